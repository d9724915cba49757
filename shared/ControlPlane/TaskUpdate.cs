using System.Text.Json;
using System.Text.Json.Serialization;

namespace Par.Shared.ControlPlane;

/// <summary>Values of <see cref="TaskUpdateData.Id"/>: the JSON:API id names the outcome, as in the original protocol.</summary>
public static class TaskUpdateKinds
{
    public const string Succeed = "succeed_task";
    public const string Fail = "fail_task";
}

/// <summary>Body of <c>POST …/workflow-tasks/publish-task-update</c>: the one result of a task.</summary>
public sealed record TaskUpdateRequest
{
    [JsonPropertyName("data")] public required TaskUpdateData Data { get; init; }

    public static TaskUpdateRequest Succeeded(string taskId, string actionFqn, string jobId, JsonElement outputs) =>
        Create(TaskUpdateKinds.Succeed, taskId, actionFqn, jobId, new TaskUpdatePayload { Outputs = outputs });

    public static TaskUpdateRequest Failed(string taskId, string actionFqn, string jobId, string errorCode, string errorDetails) =>
        Create(TaskUpdateKinds.Fail, taskId, actionFqn, jobId, new TaskUpdatePayload { ErrorCode = errorCode, ErrorDetails = errorDetails });

    private static TaskUpdateRequest Create(string kind, string taskId, string actionFqn, string jobId, TaskUpdatePayload payload) => new()
    {
        Data = new TaskUpdateData
        {
            Id = kind,
            Attributes = new TaskUpdateAttributes { TaskId = taskId, ActionFqn = actionFqn, JobId = jobId, Payload = payload },
        },
    };
}

public sealed record TaskUpdateData
{
    public const string TaskUpdateType = "taskUpdate";

    /// <summary><see cref="TaskUpdateKinds.Succeed"/> or <see cref="TaskUpdateKinds.Fail"/>.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("type")] public string Type { get; init; } = TaskUpdateType;
    [JsonPropertyName("attributes")] public required TaskUpdateAttributes Attributes { get; init; }
}

public sealed record TaskUpdateAttributes
{
    [JsonPropertyName("task_id")] public required string TaskId { get; init; }
    [JsonPropertyName("action_fqn")] public required string ActionFqn { get; init; }
    [JsonPropertyName("job_id")] public required string JobId { get; init; }
    [JsonPropertyName("payload")] public required TaskUpdatePayload Payload { get; init; }
}

/// <summary>{outputs} on success; {error_code, error_details} on failure.</summary>
public sealed record TaskUpdatePayload
{
    [JsonPropertyName("outputs")] public JsonElement? Outputs { get; init; }
    [JsonPropertyName("error_code")] public string? ErrorCode { get; init; }
    [JsonPropertyName("error_details")] public string? ErrorDetails { get; init; }
}
