using System.Text.Json;
using System.Text.Json.Serialization;
using Par.Shared.Contracts;

namespace Par.Shared.ControlPlane;

/// <summary>Body of <c>POST …/workflow-tasks/dequeue</c>. Empty body = answer at once, as the original runner does.</summary>
public sealed record DequeueRequest
{
    public const int MaxWaitMs = 30_000;

    /// <summary>Ours: how long the control plane may hold the call open waiting for a task (long poll), capped at 30 s.</summary>
    [JsonPropertyName("waitMs")] public int? WaitMs { get; init; }
}

/// <summary>A dequeued task as JSON:API: the task travels only inside <see cref="TaskAttributes.SignedTask"/>.</summary>
public sealed record TaskDocument
{
    [JsonPropertyName("data")] public required TaskData Data { get; init; }

    public static TaskDocument For(string taskId, string signedTask) =>
        new() { Data = new TaskData { Id = taskId, Attributes = new TaskAttributes { SignedTask = signedTask } } };
}

public sealed record TaskData
{
    public const string TaskType = "task";

    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("type")] public string Type { get; init; } = TaskType;
    [JsonPropertyName("attributes")] public required TaskAttributes Attributes { get; init; }
}

public sealed record TaskAttributes
{
    /// <summary>Compact JWS (ES256) by a key of the control plane's JWKS; its payload is a <see cref="SignedTaskPayload"/>.</summary>
    [JsonPropertyName("signed_task")] public required string SignedTask { get; init; }
}

/// <summary>
/// What the control plane signs. The runner trusts nothing of a task outside this payload, and refuses it unless the
/// signature verifies, <see cref="ExpiresAt"/> has not passed and <see cref="OrgId"/>/<see cref="RunnerId"/> are its own.
/// </summary>
public sealed record SignedTaskPayload
{
    [JsonPropertyName("task_id")] public required string TaskId { get; init; }
    [JsonPropertyName("job_id")] public required string JobId { get; init; }
    [JsonPropertyName("org_id")] public required long OrgId { get; init; }
    [JsonPropertyName("runner_id")] public required string RunnerId { get; init; }
    [JsonPropertyName("action_fqn")] public required string ActionFqn { get; init; }
    [JsonPropertyName("inputs")] public required JsonElement Inputs { get; init; }
    /// <summary>camelCase inside, the shape of <see cref="ConnectionRef"/>.</summary>
    [JsonPropertyName("connection")] public ConnectionRef? Connection { get; init; }
    [JsonPropertyName("timeout_seconds")] public required int TimeoutSeconds { get; init; }
    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("iat")] public required long IssuedAt { get; init; }
    /// <summary>Unix seconds; after it the runner refuses the task.</summary>
    [JsonPropertyName("exp")] public required long ExpiresAt { get; init; }
}
