using System.Text.Json;
using Par.Emulator.Keys;
using Par.Shared.ControlPlane;
using Par.Shared.Contracts;
using Par.Shared.Security;

namespace Par.Emulator.Tasks;

/// <summary>What the admin API asks to run; becomes a signed task for one runner.</summary>
public sealed record TaskSpec(
    string RunnerId, string ActionFqn, JsonElement Inputs, ConnectionRef? Connection, int TimeoutSeconds, TimeSpan ExpiresIn, string? JobId = null);

/// <summary>Turns task specs (or hand-made documents) into store entries, signing once at enqueue so dequeue only copies bytes.</summary>
public sealed class TaskSigner(ControlPlaneKey key, EmulatorOptions options, TimeProvider time)
{
    public TaskEntry Create(TaskSpec spec)
    {
        var now = time.GetUtcNow();
        var payload = new SignedTaskPayload
        {
            TaskId = Guid.NewGuid().ToString(),
            JobId = spec.JobId ?? Guid.NewGuid().ToString(),
            OrgId = options.OrgId,
            RunnerId = spec.RunnerId,
            ActionFqn = spec.ActionFqn,
            Inputs = spec.Inputs,
            Connection = spec.Connection,
            TimeoutSeconds = spec.TimeoutSeconds,
            IssuedAt = now.ToUnixTimeSeconds(),
            ExpiresAt = (now + spec.ExpiresIn).ToUnixTimeSeconds(),
        };
        var document = TaskDocument.For(payload.TaskId, Es256Jws.Sign(payload, key.Key, PullJson.Options));
        return Entry(payload.TaskId, payload.JobId, spec.RunnerId, spec.ActionFqn, spec.TimeoutSeconds, document, now);
    }

    /// <summary>Signs an arbitrary payload with the real key: validly signed tasks with wrong claims (expired, other runner or org).</summary>
    public TaskEntry SignRaw(string runnerId, JsonElement payload)
    {
        var taskId = Text(payload, "task_id") ?? Guid.NewGuid().ToString();
        var document = TaskDocument.For(taskId, Es256Jws.Sign(payload.GetRawText(), key.Key));
        return Raw(runnerId, taskId, payload, document);
    }

    /// <summary>Queues a document exactly as given: forged signatures, unsigned tasks, malformed JSON:API.</summary>
    public TaskEntry Wrap(string runnerId, JsonElement document)
    {
        var data = document.ValueKind == JsonValueKind.Object && document.TryGetProperty("data", out var d) ? d : default;
        var taskId = Text(data, "id") ?? Guid.NewGuid().ToString();
        return Entry(taskId, "", runnerId, "", options.DefaultTaskTimeoutSeconds,
            JsonSerializer.SerializeToUtf8Bytes(document), time.GetUtcNow());
    }

    private TaskEntry Raw(string runnerId, string taskId, JsonElement payload, TaskDocument document)
    {
        var timeout = payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("timeout_seconds", out var t)
            && t.TryGetInt32(out var seconds) && seconds > 0 ? seconds : options.DefaultTaskTimeoutSeconds;
        return Entry(taskId, Text(payload, "job_id") ?? "", runnerId, Text(payload, "action_fqn") ?? "", timeout, document, time.GetUtcNow());
    }

    private static TaskEntry Entry(
        string taskId, string jobId, string runnerId, string action, int timeout, TaskDocument document, DateTimeOffset now) =>
        Entry(taskId, jobId, runnerId, action, timeout, JsonSerializer.SerializeToUtf8Bytes(document, PullJson.Options), now);

    private static TaskEntry Entry(string taskId, string jobId, string runnerId, string action, int timeout, byte[] document, DateTimeOffset now) =>
        new()
        {
            TaskId = taskId, JobId = jobId, RunnerId = runnerId, ActionFqn = action, TimeoutSeconds = timeout,
            Document = document, EnqueuedAt = now,
        };

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString() : null;
}
