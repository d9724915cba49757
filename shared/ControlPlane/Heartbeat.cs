using System.Text.Json.Serialization;

namespace Par.Shared.ControlPlane;

/// <summary>Body of <c>POST …/workflow-tasks/heartbeat</c>: extends the lease of a running task.</summary>
public sealed record HeartbeatRequest
{
    [JsonPropertyName("data")] public required HeartbeatData Data { get; init; }

    public static HeartbeatRequest For(string taskId) =>
        new() { Data = new HeartbeatData { Attributes = new HeartbeatAttributes { TaskId = taskId } } };
}

public sealed record HeartbeatData
{
    public const string HeartbeatType = "heartbeat";

    [JsonPropertyName("type")] public string Type { get; init; } = HeartbeatType;
    [JsonPropertyName("attributes")] public required HeartbeatAttributes Attributes { get; init; }
}

public sealed record HeartbeatAttributes
{
    [JsonPropertyName("task_id")] public required string TaskId { get; init; }
}
