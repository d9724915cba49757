using System.Text.Json;

namespace Par.Emulator.Tasks;

public enum TaskState
{
    Queued,
    Leased,
    Succeeded,
    Failed,
}

/// <summary>
/// One task and its lease. Mutable fields change only under a lock on the entry itself: contention is per task, never
/// across the store.
/// </summary>
public sealed class TaskEntry
{
    public required string TaskId { get; init; }
    public required string JobId { get; init; }
    public required string RunnerId { get; init; }
    public required string ActionFqn { get; init; }
    public required int TimeoutSeconds { get; init; }
    /// <summary>The serialized task document, built once at enqueue and handed out unchanged on every delivery.</summary>
    public required byte[] Document { get; init; }
    public required DateTimeOffset EnqueuedAt { get; init; }

    internal readonly object Gate = new();
    public TaskState State { get; internal set; } = TaskState.Queued;
    public DateTimeOffset LeaseExpiresAt { get; internal set; }
    /// <summary>Heartbeats cannot extend a lease past this: the task timeout plus one lease of grace.</summary>
    public DateTimeOffset LeaseBudgetEndsAt { get; internal set; }
    public int Deliveries { get; internal set; }
    public int Heartbeats { get; internal set; }
    /// <summary>Every result report received, the first included.</summary>
    public int Reports { get; internal set; }
    /// <summary>Reports that came after the task was already finished (by an earlier report or by timing out).</summary>
    public int Duplicates { get; internal set; }
    /// <summary>The payload of the winning report ({outputs} or {error_code, error_details}).</summary>
    public JsonElement? Result { get; internal set; }
    public DateTimeOffset? CompletedAt { get; internal set; }

    public bool IsFinished => State is TaskState.Succeeded or TaskState.Failed;
}
