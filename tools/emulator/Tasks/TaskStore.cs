using System.Collections.Concurrent;
using System.Text.Json;
using Par.Shared.Contracts;

namespace Par.Emulator.Tasks;

public enum HeartbeatOutcome
{
    Extended,
    UnknownTask,
    /// <summary>Not leased to this caller any more: expired, finished, or timed out.</summary>
    LeaseGone,
}

public enum ReportOutcome
{
    Accepted,
    Duplicate,
    UnknownTask,
    WrongRunner,
}

public sealed record TaskStats(int Queued, int Leased, int Succeeded, int Failed, int Total, long DuplicateReports);

/// <summary>
/// In-memory tasks with leases. Hot paths (enqueue, dequeue, heartbeat, report) touch only concurrent collections and
/// the one task's lock; counts by state are kept with interlocked counters so stats never scan.
/// </summary>
public sealed class TaskStore(EmulatorOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TaskEntry> _tasks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RunnerQueue> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskEntry> _leased = new(StringComparer.Ordinal);
    private readonly int[] _counts = new int[4];
    private readonly object _sweepGate = new();
    private long _duplicates;
    // Earliest instant a lease may expire; lets every caller skip the sweep with one comparison until then.
    private long _nextExpiryTicks = long.MaxValue;

    private TimeSpan Lease => TimeSpan.FromSeconds(options.LeaseSeconds);

    public bool Enqueue(TaskEntry entry)
    {
        if (!_tasks.TryAdd(entry.TaskId, entry)) return false;
        Interlocked.Increment(ref _counts[(int)TaskState.Queued]);
        QueueOf(entry.RunnerId).Add(entry, retry: false);
        return true;
    }

    public TaskEntry? Find(string taskId)
    {
        SweepExpiredLeases();
        return _tasks.TryGetValue(taskId, out var entry) ? entry : null;
    }

    /// <summary>Leases the runner's oldest queued task, waiting up to <paramref name="wait"/> for one to arrive.</summary>
    public async Task<TaskEntry?> DequeueAsync(string runnerId, TimeSpan wait, CancellationToken cancel)
    {
        SweepExpiredLeases();
        var queue = QueueOf(runnerId);
        return wait <= TimeSpan.Zero ? queue.TryTake(TryLease) : await queue.TakeAsync(TryLease, wait, time, cancel).ConfigureAwait(false);
    }

    public HeartbeatOutcome Heartbeat(string runnerId, string taskId)
    {
        if (!_tasks.TryGetValue(taskId, out var entry) || entry.RunnerId != runnerId) return HeartbeatOutcome.UnknownTask;
        var now = time.GetUtcNow();
        lock (entry.Gate)
        {
            if (entry.State != TaskState.Leased) return HeartbeatOutcome.LeaseGone;
            if (now >= entry.LeaseExpiresAt)
            {
                ExpireLease(entry, now);
                return HeartbeatOutcome.LeaseGone;
            }
            entry.Heartbeats++;
            entry.LeaseExpiresAt = Min(now + Lease, entry.LeaseBudgetEndsAt);
            return HeartbeatOutcome.Extended;
        }
    }

    /// <summary>First report wins; later ones only count. A late report still wins over a re-queued or re-leased task.</summary>
    public ReportOutcome Report(string runnerId, string taskId, bool succeeded, JsonElement payload)
    {
        if (!_tasks.TryGetValue(taskId, out var entry)) return ReportOutcome.UnknownTask;
        if (entry.RunnerId != runnerId) return ReportOutcome.WrongRunner;
        lock (entry.Gate)
        {
            entry.Reports++;
            if (entry.IsFinished)
            {
                entry.Duplicates++;
                Interlocked.Increment(ref _duplicates);
                return ReportOutcome.Duplicate;
            }
            Finish(entry, succeeded ? TaskState.Succeeded : TaskState.Failed, payload, time.GetUtcNow());
            return ReportOutcome.Accepted;
        }
    }

    public TaskStats Stats()
    {
        SweepExpiredLeases();
        int Count(TaskState s) => Volatile.Read(ref _counts[(int)s]);
        return new TaskStats(Count(TaskState.Queued), Count(TaskState.Leased), Count(TaskState.Succeeded), Count(TaskState.Failed),
            _tasks.Count, Interlocked.Read(ref _duplicates));
    }

    /// <summary>
    /// Puts tasks whose lease expired back in their queue, or fails them when they ran past their timeout. Cheap to call
    /// often: it returns at once until the earliest lease is due.
    /// </summary>
    public void SweepExpiredLeases()
    {
        var now = time.GetUtcNow();
        if (now.UtcTicks < Interlocked.Read(ref _nextExpiryTicks)) return;
        lock (_sweepGate)
        {
            var next = long.MaxValue;
            Interlocked.Exchange(ref _nextExpiryTicks, long.MaxValue);
            foreach (var entry in _leased.Values)
            {
                lock (entry.Gate)
                {
                    if (entry.State != TaskState.Leased) continue;
                    if (now >= entry.LeaseExpiresAt) ExpireLease(entry, now);
                    else next = Math.Min(next, entry.LeaseExpiresAt.UtcTicks);
                }
            }
            LowerNextExpiry(next);
        }
    }

    private bool TryLease(TaskEntry entry)
    {
        var now = time.GetUtcNow();
        lock (entry.Gate)
        {
            if (entry.State != TaskState.Queued) return false;
            Move(entry, TaskState.Leased);
            entry.Deliveries++;
            entry.LeaseBudgetEndsAt = now + TimeSpan.FromSeconds(entry.TimeoutSeconds) + Lease;
            entry.LeaseExpiresAt = Min(now + Lease, entry.LeaseBudgetEndsAt);
            _leased[entry.TaskId] = entry;
        }
        LowerNextExpiry(entry.LeaseExpiresAt.UtcTicks);
        return true;
    }

    /// <summary>Caller holds the entry's lock. A runner that went quiet gets its task retried; one that ran past the timeout does not.</summary>
    private void ExpireLease(TaskEntry entry, DateTimeOffset now)
    {
        if (now >= entry.LeaseBudgetEndsAt)
        {
            // Re-running a task that already used its whole timeout could repeat side effects for nothing: fail it, as a
            // real control plane would mark a timed-out step.
            var error = JsonSerializer.SerializeToElement(new Dictionary<string, string>
            {
                ["error_code"] = ErrorCodes.Timeout,
                ["error_details"] = $"The task was still leased {entry.TimeoutSeconds} s after delivery, plus one lease of grace.",
            });
            Finish(entry, TaskState.Failed, error, now);
            return;
        }
        Move(entry, TaskState.Queued);
        _leased.TryRemove(entry.TaskId, out _);
        QueueOf(entry.RunnerId).Add(entry, retry: true);
    }

    /// <summary>Caller holds the entry's lock.</summary>
    private void Finish(TaskEntry entry, TaskState state, JsonElement result, DateTimeOffset now)
    {
        if (entry.State == TaskState.Leased) _leased.TryRemove(entry.TaskId, out _);
        Move(entry, state);
        entry.Result = result;
        entry.CompletedAt = now;
    }

    private void Move(TaskEntry entry, TaskState to)
    {
        Interlocked.Decrement(ref _counts[(int)entry.State]);
        Interlocked.Increment(ref _counts[(int)to]);
        entry.State = to;
    }

    private void LowerNextExpiry(long ticks)
    {
        var current = Interlocked.Read(ref _nextExpiryTicks);
        while (ticks < current)
        {
            var seen = Interlocked.CompareExchange(ref _nextExpiryTicks, ticks, current);
            if (seen == current) return;
            current = seen;
        }
    }

    private RunnerQueue QueueOf(string runnerId) => _queues.GetOrAdd(runnerId, static _ => new RunnerQueue());

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
