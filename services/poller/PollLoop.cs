using MassTransit;
using Par.Shared.Broker;
using Par.Shared.Configuration;
using Par.Shared.ControlPlane;
using Par.Shared.Contracts;
using Polly;

namespace Par.Poller;

/// <summary>
/// Dequeues tasks only while a slot is free, verifies each, sends it to the executors as a RunAction whose answer goes
/// to the durable results queue, and keeps its lease alive with heartbeats until it is reported or its timeout passes.
/// On stop it dequeues no more and waits up to drainTimeoutSeconds for the tasks in flight.
/// </summary>
public sealed partial class PollLoop(
    ControlPlaneClient client,
    TaskVerifier verifier,
    TaskReporter reporter,
    InFlightTasks inFlight,
    BrokerHealth broker,
    ISendEndpointProvider sendEndpoints,
    RunnerConfig config,
    TimeProvider time,
    ILogger<PollLoop> logger) : BackgroundService
{
    /// <summary>Bound for a task that names no timeout while the runner sets none: no lease lives forever.</summary>
    public static readonly TimeSpan DefaultTaskTimeout = TimeSpan.FromMinutes(15);
    /// <summary>How long after its deadline the executor's own TIMEOUT answer is awaited before the poller reports one.</summary>
    public static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan OriginalPollInterval = TimeSpan.FromSeconds(1);

    private readonly ResiliencePipeline _dequeueRetry = ControlPlaneBackoff.Create(time, logger, "dequeue");
    private readonly Uri _executors = new($"queue:{config.BrokerQueue}");
    private readonly Uri _results = new($"queue:{config.ResultsQueue}");

    /// <summary>
    /// Dequeue calls in flight at once. One call fetches one task, so a single sequential loop caps throughput at one
    /// round trip per task; a few concurrent callers, each holding a free slot, keep the slots full. The default
    /// taskConcurrency (5) keeps the original's single loop.
    /// </summary>
    public static int DequeuersFor(int taskConcurrency) => Math.Clamp(taskConcurrency / 4, 1, 16);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        await Task.Yield();
        await Task.WhenAll(Enumerable.Range(0, DequeuersFor(config.TaskConcurrency)).Select(_ => DequeueLoopAsync(stopping)));
    }

    private async Task DequeueLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await inFlight.WaitForSlotAsync(stopping);
                var handedOn = false;
                try
                {
                    handedOn = await TryDequeueAndStartAsync(stopping);
                }
                finally
                {
                    if (!handedOn)
                        inFlight.ReleaseSlot();
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogLoopError(e);
                await Task.Delay(OriginalPollInterval, time, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var drained = await inFlight.DrainAsync(TimeSpan.FromSeconds(config.DrainTimeoutSeconds));
        LogStopped(drained, inFlight.Count);
    }

    /// <summary>True when the slot now belongs to a task in flight.</summary>
    private async Task<bool> TryDequeueAndStartAsync(CancellationToken stopping)
    {
        // With the broker down nothing accepted could be handed on: leave tasks with the control plane.
        if (!broker.IsHealthy())
        {
            await Task.Delay(OriginalPollInterval, time, stopping);
            return false;
        }

        var document = await _dequeueRetry.ExecuteAsync(async ct => await client.DequeueAsync(config.PollWaitMs, ct), stopping);
        if (document is null)
        {
            if (config.PollWaitMs == 0)
                await Task.Delay(OriginalPollInterval, time, stopping);
            return false;
        }

        var (task, refusal) = await verifier.VerifyAsync(document, stopping);
        if (task is null)
        {
            LogRefused(document.Data.Id, refusal!);
            await ReportRefusalAsync(document, refusal!, stopping);
            return false;
        }

        await StartAsync(task.Payload, stopping);
        return true;
    }

    private async Task StartAsync(SignedTaskPayload payload, CancellationToken stopping)
    {
        var now = time.GetUtcNow();
        var deadline = now + TimeoutOf(payload);
        var inFlightTask = inFlight.Start(payload, deadline);
        var command = new RunAction
        {
            Id = NewId.NextGuid(),
            Origin = ActionOrigin.Pull,
            ActionFqn = payload.ActionFqn,
            Connection = payload.Connection,
            Inputs = payload.Inputs,
            Deadline = deadline,
            Task = new PullTaskRef(payload.TaskId, payload.JobId),
        };
        try
        {
            var endpoint = await sendEndpoints.GetSendEndpoint(_executors);
            await endpoint.Send(command, context => context.ResponseAddress = _results, stopping);
        }
        catch (Exception e)
        {
            // Not handed on, so not reported either: its lease expires and the control plane offers it again.
            LogHandOffFailed(e, payload.TaskId);
            inFlight.Abandon(payload.TaskId);
            return;
        }
        _ = WatchAsync(inFlightTask);
    }

    private TimeSpan TimeoutOf(SignedTaskPayload payload)
    {
        var fromTask = payload.TimeoutSeconds > 0 ? TimeSpan.FromSeconds(payload.TimeoutSeconds) : (TimeSpan?)null;
        var fromConfig = config.TaskTimeoutSeconds > 0 ? TimeSpan.FromSeconds(config.TaskTimeoutSeconds) : (TimeSpan?)null;
        return (fromTask, fromConfig) switch
        {
            ({ } a, { } b) => a < b ? a : b,
            ({ } a, null) => a,
            (null, { } b) => b,
            _ => DefaultTaskTimeout,
        };
    }

    /// <summary>Heartbeats until the task is reported or its deadline passes, never after; then reports a timeout if nobody answered.</summary>
    private async Task WatchAsync(InFlightTask task)
    {
        var taskId = task.Payload.TaskId;
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(config.HeartbeatIntervalSeconds), time);
            using var untilDeadline = CancellationTokenSource.CreateLinkedTokenSource(task.Finished);
            untilDeadline.CancelAfter(Max(task.Deadline - time.GetUtcNow(), TimeSpan.Zero));
            // Ending the wait by disposing the timer (the wait then returns false) rather than by cancelling it: a
            // cancelled WaitForNextTickAsync throws an exception whose stack trace is captured as text, which cost
            // about a quarter of the poller's CPU when every finished task ended its watch that way.
            using var stopTimer = untilDeadline.Token.Register(static t => ((PeriodicTimer)t!).Dispose(), timer);
            while (await timer.WaitForNextTickAsync())
            {
                try
                {
                    if (!await client.HeartbeatAsync(taskId, untilDeadline.Token))
                        LogLeaseLost(taskId);
                }
                catch (Exception e) when (e is HttpRequestException or ControlPlaneException)
                {
                    LogHeartbeatFailed(taskId, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        if (task.Finished.IsCancellationRequested)
            return;
        try
        {
            await Task.Delay(AnswerGrace, time, task.Finished);
            await reporter.ReportFailureAsync(taskId, task.Payload.ActionFqn, task.Payload.JobId, ErrorCodes.Timeout,
                $"No executor answered before the task's deadline ({task.Deadline:O}).", CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            // Answered during the grace period.
        }
        catch (Exception e)
        {
            LogLoopError(e);
        }
    }

    private async Task ReportRefusalAsync(TaskDocument document, string refusal, CancellationToken stopping)
    {
        // The payload of a refused task is unverified: used only to fill the report's ids, never to run anything.
        string actionFqn = "", jobId = "";
        try
        {
            var unverified = Par.Shared.Security.Es256Jws.ReadUnverifiedPayload(document.Data.Attributes?.SignedTask ?? "");
            actionFqn = unverified.TryGetProperty("action_fqn", out var a) ? a.GetString() ?? "" : "";
            jobId = unverified.TryGetProperty("job_id", out var j) ? j.GetString() ?? "" : "";
        }
        catch (Exception e) when (e is Par.Shared.Security.JwsException or InvalidOperationException)
        {
        }
        await reporter.ReportFailureAsync(document.Data.Id, actionFqn, jobId, ErrorCodes.InvalidTask, refusal, stopping);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} refused, not run: {Reason}")]
    private partial void LogRefused(string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The control plane no longer holds the lease of task {TaskId}")]
    private partial void LogLeaseLost(string taskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat of task {TaskId} failed: {Error}")]
    private partial void LogHeartbeatFailed(string taskId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Task {TaskId} could not be sent to the executors; its lease will expire and it will be offered again")]
    private partial void LogHandOffFailed(Exception exception, string taskId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Poll loop error")]
    private partial void LogLoopError(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Poller stopped dequeuing; drained: {Drained}, tasks left in flight: {Left}")]
    private partial void LogStopped(bool drained, int left);
}
