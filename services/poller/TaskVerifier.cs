using System.Text.Json;
using Par.Shared.ControlPlane;
using Par.Shared.Security;

namespace Par.Poller;

/// <summary>A task whose signature, expiry and addressee were checked.</summary>
public sealed record VerifiedTask(SignedTaskPayload Payload);

/// <summary>
/// Checks a dequeued task before anything runs: signed (ES256) by a key of the control plane's JWKS, not expired, for
/// this org and this runner, and the envelope's id equal to the signed one. The reason of a refusal is reported back.
/// </summary>
public sealed class TaskVerifier(ControlPlaneKeys keys, RunnerUrn runner, TimeProvider time)
{
    public async Task<(VerifiedTask? Task, string? Refusal)> VerifyAsync(TaskDocument document, CancellationToken cancellationToken)
    {
        var jws = document.Data.Attributes?.SignedTask;
        if (string.IsNullOrWhiteSpace(jws))
            return (null, "The task is not signed.");

        string? kid;
        try
        {
            kid = Es256Jws.ReadKid(jws);
        }
        catch (JwsException e)
        {
            return (null, $"The task's signature cannot be read: {e.Message}");
        }
        var key = kid is null ? null : await keys.FindAsync(kid, cancellationToken);
        if (key is null)
            return (null, "The task is signed by a key that is not in the control plane's JWKS.");

        SignedTaskPayload? payload;
        try
        {
            var verified = await Es256Jws.VerifyAsync(jws, key);
            payload = verified.Payload.Deserialize<SignedTaskPayload>(PullJson.Options);
        }
        catch (JwsException e)
        {
            return (null, $"The task's signature does not verify: {e.Message}");
        }
        catch (JsonException e)
        {
            return (null, $"The signed task is not a task document: {e.Message}");
        }

        if (payload is null)
            return (null, "The signed task is empty.");
        if (payload.TaskId != document.Data.Id)
            return (null, "The task's envelope id differs from its signed id.");
        if (DateTimeOffset.FromUnixTimeSeconds(payload.ExpiresAt) <= time.GetUtcNow())
            return (null, $"The task expired at {DateTimeOffset.FromUnixTimeSeconds(payload.ExpiresAt):O}.");
        if (payload.OrgId != runner.OrgId)
            return (null, $"The task is for org {payload.OrgId}, not this runner's org {runner.OrgId}.");
        if (payload.RunnerId != runner.RunnerId)
            return (null, $"The task is for runner '{payload.RunnerId}', not this runner '{runner.RunnerId}'.");
        return (new VerifiedTask(payload), null);
    }
}
