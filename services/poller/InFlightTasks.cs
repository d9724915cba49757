using System.Collections.Concurrent;
using Par.Shared.Configuration;
using Par.Shared.ControlPlane;

namespace Par.Poller;

/// <summary>A pull task between its dequeue and its report.</summary>
public sealed class InFlightTask(SignedTaskPayload payload, DateTimeOffset deadline) : IDisposable
{
    private readonly CancellationTokenSource _finished = new();

    public SignedTaskPayload Payload { get; } = payload;
    public DateTimeOffset Deadline { get; } = deadline;
    /// <summary>Cancelled once the task is reported: its heartbeats and its watchdog stop.</summary>
    public CancellationToken Finished => _finished.Token;

    public void Finish() => _finished.Cancel();
    public void Dispose() => _finished.Dispose();
}

/// <summary>
/// The poller's capacity (taskConcurrency slots) and its in-flight tasks. A task is reported once: the first of the
/// executor's answer and the poller's own timeout claims the report, and a report that failed can be claimed again.
/// </summary>
public sealed class InFlightTasks(RunnerConfig config, TimeProvider time)
{
    private static readonly TimeSpan RememberReportedFor = TimeSpan.FromMinutes(15);
    /// <summary>Bounds memory at high rates; a forgotten task reported again is harmless (the intake is idempotent).</summary>
    public const int RememberReportedAtMost = 100_000;

    private readonly SemaphoreSlim _slots = new(config.TaskConcurrency, config.TaskConcurrency);
    private readonly ConcurrentDictionary<string, InFlightTask> _tasks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _reporting = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _reported = new(StringComparer.Ordinal);
    // Reports arrive in time order, so the oldest is always at the head: forgetting costs O(1) per report instead of a
    // scan of every remembered task (which, past 10,000 tasks, halved the poller's throughput).
    private readonly Queue<(string TaskId, DateTimeOffset At)> _reportedOrder = new();

    public int Count => _tasks.Count;

    public Task WaitForSlotAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    public void ReleaseSlot() => _slots.Release();

    /// <summary>Takes over the caller's slot until the task is reported.</summary>
    public InFlightTask Start(SignedTaskPayload payload, DateTimeOffset deadline)
    {
        var task = new InFlightTask(payload, deadline);
        _tasks[payload.TaskId] = task;
        return task;
    }

    /// <summary>
    /// True when the caller should report this task now; false when it is already reported or being reported.
    /// Tasks this process never saw (it restarted) can be claimed too: the control plane's intake is idempotent.
    /// </summary>
    public bool TryClaimReport(string taskId) => !_reported.ContainsKey(taskId) && _reporting.TryAdd(taskId, 0);

    public void ReportFailed(string taskId) => _reporting.TryRemove(taskId, out _);

    public void Reported(string taskId)
    {
        var now = time.GetUtcNow();
        if (_reported.TryAdd(taskId, 0))
            Remember(taskId, now);
        _reporting.TryRemove(taskId, out _);
        if (_tasks.TryRemove(taskId, out var task))
        {
            task.Finish();
            task.Dispose();
            _slots.Release();
        }
    }

    private void Remember(string taskId, DateTimeOffset now)
    {
        lock (_reportedOrder)
        {
            _reportedOrder.Enqueue((taskId, now));
            while (_reportedOrder.TryPeek(out var oldest)
                   && (now - oldest.At > RememberReportedFor || _reportedOrder.Count > RememberReportedAtMost))
            {
                _reportedOrder.Dequeue();
                _reported.TryRemove(oldest.TaskId, out _);
            }
        }
    }

    /// <summary>Forgets a task that could not be handed on, freeing its slot without reporting it.</summary>
    public void Abandon(string taskId)
    {
        if (_tasks.TryRemove(taskId, out var task))
        {
            task.Finish();
            task.Dispose();
            _slots.Release();
        }
    }

    /// <summary>Waits until no task is in flight, or the timeout passes; true when drained.</summary>
    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (!_tasks.IsEmpty)
        {
            if (time.GetUtcNow() >= deadline)
                return false;
            await Task.Delay(TimeSpan.FromMilliseconds(50), time);
        }
        return true;
    }
}
