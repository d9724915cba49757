using Par.Shared.ControlPlane;
using Par.Shared.Contracts;
using Polly;

namespace Par.Poller;

/// <summary>Reports a pull task's outcome to the control plane once, retrying with back-off while it is away.</summary>
public sealed partial class TaskReporter(ControlPlaneClient client, InFlightTasks inFlight, TimeProvider time, ILogger<TaskReporter> logger)
{
    private readonly ResiliencePipeline _retry = ControlPlaneBackoff.Create(time, logger, "publish-task-update");

    public Task ReportAsync(ActionResult result, CancellationToken cancellationToken)
    {
        var task = result.Task!;
        var update = result.Status == ActionStatus.Succeeded
            ? TaskUpdateRequest.Succeeded(task.TaskId, result.ActionFqn, task.JobId, result.Outputs ?? default)
            : TaskUpdateRequest.Failed(task.TaskId, result.ActionFqn, task.JobId, result.Error?.Code ?? ErrorCodes.Internal, Describe(result.Error));
        return ReportAsync(task.TaskId, update, cancellationToken);
    }

    public Task ReportFailureAsync(string taskId, string actionFqn, string jobId, string code, string message, CancellationToken cancellationToken) =>
        ReportAsync(taskId, TaskUpdateRequest.Failed(taskId, actionFqn, jobId, code, message), cancellationToken);

    /// <summary>
    /// Returns once the report is accepted (or the task was already reported). Throws when cancelled before that, so a
    /// result taken from the broker is not acknowledged and comes back to be reported later.
    /// </summary>
    private async Task ReportAsync(string taskId, TaskUpdateRequest update, CancellationToken cancellationToken)
    {
        if (!inFlight.TryClaimReport(taskId))
        {
            LogAlreadyReported(taskId);
            return;
        }
        try
        {
            var known = await _retry.ExecuteAsync(async ct => await client.PublishTaskUpdateAsync(update, ct), cancellationToken);
            if (!known)
                LogUnknownTask(taskId);
            inFlight.Reported(taskId);
        }
        catch
        {
            inFlight.ReportFailed(taskId);
            throw;
        }
    }

    private static string Describe(ActionError? error) =>
        error?.Details is { } details ? $"{error.Message} {details.GetRawText()}" : error?.Message ?? "The action failed.";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId} was already reported; this later outcome is dropped")]
    private partial void LogAlreadyReported(string taskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The control plane no longer knows task {TaskId}; its result was dropped")]
    private partial void LogUnknownTask(string taskId);
}
