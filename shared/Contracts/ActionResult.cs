using System.Text.Json;

namespace Par.Shared.Contracts;

public enum ActionStatus
{
    Succeeded,
    Failed,
}

/// <summary>Why an action did not succeed. <see cref="Code"/> is stable and documented in docs/errors.md.</summary>
public sealed record ActionError(string Code, string Message, JsonElement? Details = null);

/// <summary>The executor's answer to one <see cref="RunAction"/>.</summary>
public sealed record ActionResult
{
    public required Guid CommandId { get; init; }
    public required ActionStatus Status { get; init; }
    public JsonElement? Outputs { get; init; }
    public ActionError? Error { get; init; }
    public required TimeSpan Duration { get; init; }
    public required string ExecutorId { get; init; }
    public required string ActionFqn { get; init; }
    public PullTaskRef? Task { get; init; }

    public static ActionResult Success(RunAction command, JsonElement outputs, TimeSpan duration, string executorId) => new()
    {
        CommandId = command.Id, ActionFqn = command.ActionFqn, Task = command.Task, Status = ActionStatus.Succeeded,
        Outputs = outputs, Duration = duration, ExecutorId = executorId,
    };

    public static ActionResult Failure(RunAction command, ActionError error, TimeSpan duration, string executorId) => new()
    {
        CommandId = command.Id, ActionFqn = command.ActionFqn, Task = command.Task, Status = ActionStatus.Failed,
        Error = error, Duration = duration, ExecutorId = executorId,
    };
}
