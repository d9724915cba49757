using System.Collections.Concurrent;
using System.Text.Json;
using Par.Emulator.Runners;
using Par.Shared.Security;

namespace Par.Emulator.Auth;

/// <summary>Who called, once the runner's JWT verified.</summary>
public sealed record RunnerIdentity(string RunnerId, long OrgId);

public sealed record RunnerAuthResult(RunnerIdentity? Identity, string? Error)
{
    public static RunnerAuthResult Fail(string error) => new(null, error);
}

/// <summary>
/// Checks the <c>Authorization: Bearer</c> JWT a runner signs with its own key: signature by the key registered at
/// enrollment, ES256 only, the emulator's org, not expired, and not living longer than a runner would ask for.
/// A runner reuses one token for ~15 s, so a verified token is remembered until it expires: one ECDSA verification per
/// token instead of one per call keeps the emulator off the benchmarks' critical path.
/// </summary>
public sealed class RunnerTokenVerifier(RunnerRegistry runners, EmulatorOptions options, TimeProvider time)
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);
    /// <summary>Runners ask for 60 s; a far longer token is a stolen-key risk the control plane should not accept.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);
    private const int MaxCachedTokens = 10_000;

    private readonly ConcurrentDictionary<string, CachedToken> _verified = new(StringComparer.Ordinal);

    public async ValueTask<RunnerAuthResult> VerifyAsync(string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return RunnerAuthResult.Fail("A runner JWT is required (Authorization: Bearer <token>).");
        var token = authorization[scheme.Length..].Trim();
        var now = time.GetUtcNow();

        if (_verified.TryGetValue(token, out var cached))
        {
            if (now > cached.ExpiresAt + ClockSkew) return Expired(token);
            // A runner registered again under the same id has a new key: tokens of the old one stop counting.
            if (!ReferenceEquals(runners.Find(cached.Identity.RunnerId), cached.Runner)) return Forget(token);
            return new RunnerAuthResult(cached.Identity, null);
        }

        var (result, runner, expiresAt) = await VerifyFreshAsync(token, now).ConfigureAwait(false);
        if (result.Identity is not null && runner is not null) Remember(token, new CachedToken(result.Identity, runner, expiresAt), now);
        return result;
    }

    private async Task<(RunnerAuthResult, RegisteredRunner?, DateTimeOffset)> VerifyFreshAsync(string token, DateTimeOffset now)
    {
        static (RunnerAuthResult, RegisteredRunner?, DateTimeOffset) Fail(string error) => (RunnerAuthResult.Fail(error), null, default);

        RegisteredRunner? runner;
        JsonElement claims;
        try
        {
            // Unverified read only to choose the key; every claim used below comes from the verified payload.
            runner = runners.Find(ReadString(Es256Jws.ReadUnverifiedPayload(token), RunnerTokenClaims.RunnerId));
            if (runner is null) return Fail("The token names no enrolled runner.");
            claims = (await Es256Jws.VerifyAsync(token, runner.VerificationKey).ConfigureAwait(false)).Payload;
        }
        catch (JwsException e)
        {
            return Fail(e.Message);
        }

        if (ReadString(claims, RunnerTokenClaims.RunnerId) != runner.RunnerId) return Fail("The token's runnerId does not match its key.");
        if (ReadLong(claims, RunnerTokenClaims.OrgId) != options.OrgId) return Fail("The token's orgId is not this control plane's org.");
        if (ReadLong(claims, "exp") is not { } exp) return Fail("The token has no exp.");
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(exp);
        if (now > expiresAt + ClockSkew) return Fail("The token has expired.");
        if (expiresAt - now > MaxLifetime) return Fail("The token lives longer than a runner token may.");
        if (ReadLong(claims, "iat") is { } iat && DateTimeOffset.FromUnixTimeSeconds(iat) > now + ClockSkew)
            return Fail("The token was issued in the future.");
        return (new RunnerAuthResult(new RunnerIdentity(runner.RunnerId, options.OrgId), null), runner, expiresAt);
    }

    private RunnerAuthResult Expired(string token)
    {
        _verified.TryRemove(token, out _);
        return RunnerAuthResult.Fail("The token has expired.");
    }

    private RunnerAuthResult Forget(string token)
    {
        _verified.TryRemove(token, out _);
        return RunnerAuthResult.Fail("The token was signed by a key the runner no longer has.");
    }

    private void Remember(string token, CachedToken verified, DateTimeOffset now)
    {
        if (_verified.Count >= MaxCachedTokens)
        {
            foreach (var (key, value) in _verified)
                if (now > value.ExpiresAt + ClockSkew) _verified.TryRemove(key, out _);
            // Still full: many live runners or a flood of tokens; forgetting costs only re-verification.
            if (_verified.Count >= MaxCachedTokens) _verified.Clear();
        }
        _verified[token] = verified;
    }

    private static string? ReadString(JsonElement claims, string name) =>
        claims.ValueKind == JsonValueKind.Object && claims.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Numbers, or numeric strings (some JWT libraries write ids as strings).</summary>
    private static long? ReadLong(JsonElement claims, string name)
    {
        if (claims.ValueKind != JsonValueKind.Object || !claims.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n)) return n;
        if (v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), out var s)) return s;
        return null;
    }

    private sealed record CachedToken(RunnerIdentity Identity, RegisteredRunner Runner, DateTimeOffset ExpiresAt);
}
