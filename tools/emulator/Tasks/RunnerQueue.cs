using System.Collections.Concurrent;

namespace Par.Emulator.Tasks;

/// <summary>
/// The tasks waiting for one runner. Lock-free: producers and consumers meet on concurrent queues, and long-polling
/// consumers wait on a signal that enqueues complete, so a waiting dequeue answers as soon as a task arrives.
/// Entries may be stale (finished by a late report while queued); <see cref="TryTake"/> skips them.
/// </summary>
internal sealed class RunnerQueue
{
    // Tasks whose lease expired go first: they are the oldest work.
    private readonly ConcurrentQueue<TaskEntry> _retries = new();
    private readonly ConcurrentQueue<TaskEntry> _fresh = new();
    private TaskCompletionSource _signal = NewSignal();
    private int _waiters;

    public void Add(TaskEntry entry, bool retry)
    {
        (retry ? _retries : _fresh).Enqueue(entry);
        // Enqueue is a full fence, so a waiter that registered before this read is seen; one registering after sees the task.
        if (Volatile.Read(ref _waiters) > 0) Interlocked.Exchange(ref _signal, NewSignal()).TrySetResult();
    }

    /// <summary>Takes the oldest task <paramref name="lease"/> accepts; entries it refuses are dropped as stale.</summary>
    public TaskEntry? TryTake(Func<TaskEntry, bool> lease)
    {
        while (_retries.TryDequeue(out var entry) || _fresh.TryDequeue(out entry))
        {
            if (lease(entry)) return entry;
        }
        return null;
    }

    public async Task<TaskEntry?> TakeAsync(Func<TaskEntry, bool> lease, TimeSpan wait, TimeProvider time, CancellationToken cancel)
    {
        var started = time.GetTimestamp();
        Interlocked.Increment(ref _waiters);
        try
        {
            while (true)
            {
                // Read the signal before looking, so a task added after the look completes the signal we wait on.
                var signal = Volatile.Read(ref _signal).Task;
                if (TryTake(lease) is { } entry) return entry;
                var left = wait - time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero) return null;
                try
                {
                    await signal.WaitAsync(left, time, cancel).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    return TryTake(lease);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiters);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
