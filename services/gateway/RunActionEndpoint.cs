using Par.Shared.Broker;
using System.Buffers;
using System.Text.Json;
using MassTransit;
using Par.Gateway.Tokens;
using Par.Shared.Configuration;
using Par.Shared.Contracts;

namespace Par.Gateway;

/// <summary>
/// <c>POST /api/v1/actions/run</c>: verify the token, check the body against it and the allowlist, send one RunAction
/// over the broker and answer with the executor's result.
/// </summary>
public sealed partial class RunActionEndpoint(
    PushTokenVerifier tokens,
    ActionAllowlist allowlist,
    BrokerHealth broker,
    IRequestClient<RunAction> executors,
    RunnerConfig config,
    TimeProvider time,
    ILogger<RunActionEndpoint> logger)
{
    public const string Route = "/api/v1/actions/run";

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var cancellation = http.RequestAborted;
        var authorization = http.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || authorization.Length <= 7)
            return Problems.Unauthorized("The request needs an 'Authorization: Bearer <token>' header.");

        var (grant, rejection) = await tokens.VerifyAsync(authorization[7..].Trim(), cancellation);
        if (grant is null)
        {
            LogRejected(rejection!.Reason);
            return Problems.Unauthorized(rejection.Reason);
        }

        var (body, bodyProblem) = await ReadBodyAsync(http.Request, cancellation);
        if (body is null)
            return bodyProblem!;
        if (!string.Equals(body.Action, grant.Action, StringComparison.Ordinal))
            return Problems.Forbidden($"The token allows '{grant.Action}', not '{body.Action}'.");
        if (!allowlist.Allows(body.Action))
            return Problems.Forbidden(allowlist.RefusalMessage(body.Action));
        if (!broker.IsHealthy())
            return Problems.BrokerUnavailable($"The broker is not connected ({broker.Description}). Nothing was run; retry shortly.");

        var timeout = TimeSpan.FromSeconds(config.HttpServerWriteTimeout);
        var command = new RunAction
        {
            Id = NewId.NextGuid(),
            Origin = ActionOrigin.Push,
            ActionFqn = body.Action,
            Connection = grant.Connection,
            Inputs = body.Inputs,
            Deadline = time.GetUtcNow() + timeout,
        };
        using var inFlight = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        try
        {
            var response = executors.GetResponse<ActionResult>(command, inFlight.Token, RequestTimeout.After(ms: (int)timeout.TotalMilliseconds));
            // A broker lost mid-request would leave this waiting for a reply that cannot come: answer 503 as soon as it goes.
            var brokerLost = broker.WhenUnhealthyAsync(inFlight.Token);
            if (await Task.WhenAny(response, brokerLost) != response && !cancellation.IsCancellationRequested)
            {
                await inFlight.CancelAsync();
                _ = response.ContinueWith(static t => t.Exception, TaskScheduler.Default);
                return Problems.BrokerUnavailable($"The broker connection was lost while command {command.Id} was in flight; the action may or may not have run.");
            }
            await inFlight.CancelAsync();
            return new ActionResultJson((await response).Message);
        }
        catch (RequestTimeoutException)
        {
            return Problems.NoExecutor(timeout);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The browser went away; the executor still answers into a closed request, which is harmless.
            return Results.Empty;
        }
        catch (Exception exception) when (exception is not RequestFaultException)
        {
            LogSendFailed(exception, command.Id);
            return Problems.BrokerUnavailable($"The command could not be sent to the broker ({exception.GetType().Name}). Nothing was run; retry shortly.");
        }
    }

    private sealed record RunRequest(string Action, JsonElement Inputs);

    private async Task<(RunRequest?, IResult?)> ReadBodyAsync(HttpRequest request, CancellationToken cancellation)
    {
        var limit = config.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
            return (null, Problems.TooLarge(limit));

        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and var length ? (int)length : 1024);
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(4096), cancellation);
            if (read == 0)
                break;
            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
                return (null, Problems.TooLarge(limit));
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.WrittenMemory);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, Problems.BadRequest("The body must be a JSON object {\"action\": \"<fqn>\", \"inputs\": {…}}."));
            if (!root.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.String || action.GetString() is not { Length: > 0 } fqn)
                return (null, Problems.BadRequest("The body needs an 'action' string naming the action's FQN."));
            var inputs = root.TryGetProperty("inputs", out var given) ? given : default;
            if (inputs.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
                return (null, Problems.BadRequest("'inputs' must be a JSON object."));
            var owned = inputs.ValueKind == JsonValueKind.Object ? inputs.Clone() : EmptyObject;
            return (new RunRequest(fqn, owned), null);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest($"The body is not valid JSON: {e.Message}"));
        }
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    [LoggerMessage(Level = LogLevel.Information, Message = "Push request refused: {Reason}")]
    private partial void LogRejected(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {CommandId} could not be sent to the broker")]
    private partial void LogSendFailed(Exception exception, Guid commandId);
}
