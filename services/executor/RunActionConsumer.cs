using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using MassTransit;
using Par.Executor.Actions;
using Par.Executor.Credentials;
using Par.Shared.Configuration;
using Par.Shared.Contracts;

namespace Par.Executor;

/// <summary>
/// Runs one <see cref="RunAction"/> and answers it. The broker message is acknowledged only when this method returns,
/// that is after the answer is sent: an executor that dies mid-action leaves the command to be redelivered.
/// </summary>
public sealed partial class RunActionConsumer(
    ActionRegistry registry,
    ICredentialStore credentials,
    ActionAllowlist allowlist,
    RunnerConfig config,
    ExecutorIdentity identity,
    TimeProvider time,
    ILogger<RunActionConsumer> logger) : IConsumer<RunAction>
{
    public const long MaxOutputBytes = 15 * 1024 * 1024;

    public async Task Consume(ConsumeContext<RunAction> context)
    {
        var command = context.Message;
        var started = time.GetTimestamp();
        var outcome = await RunAsync(command, context.ReceiveContext.Redelivered, context.CancellationToken);
        var elapsed = time.GetElapsedTime(started);

        var result = outcome.Outputs is { } outputs
            ? ActionResult.Success(command, outputs, elapsed, identity.Id)
            : ActionResult.Failure(command, outcome.Error!, elapsed, identity.Id);
        LogFinished(command.Id, command.ActionFqn, command.Origin, result.Status, result.Error?.Code, elapsed.TotalMilliseconds);
        await context.RespondAsync(result);
    }

    private async Task<Outcome> RunAsync(RunAction command, bool redelivered, CancellationToken stopping)
    {
        if (!registry.TryGet(command.ActionFqn, out var action))
            return Fail(ErrorCodes.UnknownAction, $"This runner has no action '{command.ActionFqn}'. `par-executor --list-actions` lists the ones it has.");
        if (!allowlist.Allows(command.ActionFqn))
            return Fail(ErrorCodes.ActionNotAllowed, allowlist.RefusalMessage(command.ActionFqn));

        var now = time.GetUtcNow();
        if (command.Deadline <= now)
            return Fail(ErrorCodes.DeadlineExceeded, $"The command reached the executor {(now - command.Deadline).TotalMilliseconds:F0} ms after its deadline; nobody waits for it, so it was not run.");

        if (redelivered && action.HasSideEffects(command.Inputs))
            return Fail(ErrorCodes.Interrupted,
                "The executor running this action stopped before answering. The action has side effects, so it was not run again: check its target before retrying.");

        using var timeout = new CancellationTokenSource(ActionTimeout(command, now), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        try
        {
            var credential = command.Connection?.CredentialsFile is { Length: > 0 } file
                ? await credentials.ReadAsync(file, linked.Token)
                : null;
            var outputs = await action.RunAsync(new ActionContext(command.Inputs, command.Connection, credential), linked.Token);
            var size = JsonMarshal.GetRawUtf8Value(outputs).Length;
            return size > MaxOutputBytes
                ? Fail(ErrorCodes.OutputTooLarge, $"The action's outputs are {size} bytes; the limit is {MaxOutputBytes} bytes.")
                : new Outcome(outputs, null);
        }
        catch (ActionFailedException failure)
        {
            return new Outcome(null, new ActionError(failure.Code, failure.Message, failure.Details));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return Fail(ErrorCodes.Timeout, $"The action did not finish within {ActionTimeout(command, now).TotalSeconds:F0} s and was cancelled.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogCrashed(exception, command.Id, command.ActionFqn);
            return Fail(ErrorCodes.Internal, $"The action failed unexpectedly ({exception.GetType().Name}). The executor log has the details under command id {command.Id}.");
        }
    }

    /// <summary>The earlier of the command's deadline and the configured task timeout.</summary>
    private TimeSpan ActionTimeout(RunAction command, DateTimeOffset now)
    {
        var untilDeadline = command.Deadline - now;
        return config.TaskTimeoutSeconds > 0 && TimeSpan.FromSeconds(config.TaskTimeoutSeconds) < untilDeadline
            ? TimeSpan.FromSeconds(config.TaskTimeoutSeconds)
            : untilDeadline;
    }

    private static Outcome Fail(string code, string message) => new(null, new ActionError(code, message));

    private readonly record struct Outcome(JsonElement? Outputs, ActionError? Error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Command {CommandId} {Fqn} ({Origin}) finished {Status} {ErrorCode} in {ElapsedMs:F1} ms")]
    private partial void LogFinished(Guid commandId, string fqn, ActionOrigin origin, ActionStatus status, string? errorCode, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Command {CommandId} {Fqn} crashed")]
    private partial void LogCrashed(Exception exception, Guid commandId, string fqn);
}
