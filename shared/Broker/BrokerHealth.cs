using MassTransit;

namespace Par.Shared.Broker;

/// <summary>
/// Whether the bus is connected, read from MassTransit's health and cached briefly: with the broker down the gateway
/// answers 503 at once and the poller stops dequeuing, instead of waiting on a send that cannot happen.
/// </summary>
public sealed class BrokerHealth(IBusControl bus, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMilliseconds(100);
    private long _checkedAt;
    private volatile bool _healthy;
    private volatile string _description = "not checked yet";
    private readonly Lock _watchStart = new();
    private ITimer? _watch;
    private TaskCompletionSource _lost = NewSignal();

    public string Description => _description;

    public bool IsHealthy()
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _checkedAt);
        if (last != 0 && time.GetElapsedTime(last, now) < CacheFor)
            return _healthy;

        var health = bus.CheckHealth();
        _healthy = health.Status == BusHealthStatus.Healthy;
        _description = health.Description;
        Interlocked.Exchange(ref _checkedAt, now);
        return _healthy;
    }

    /// <summary>
    /// Completes when the bus stops being healthy (checked every 100 ms); cancelled with <paramref name="cancellationToken"/>.
    /// Every caller shares one signal and one timer: a timer per in-flight push request cost CPU on the hot path.
    /// </summary>
    public Task WhenUnhealthyAsync(CancellationToken cancellationToken)
    {
        StartWatching();
        var lost = Volatile.Read(ref _lost);
        // A signal left completed by an outage that has since ended must not fail a request sent after it.
        if (lost.Task.IsCompleted && IsHealthy())
            lost = Rearm(lost);
        return lost.Task.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        lock (_watchStart)
            _watch?.Dispose();
    }

    private void StartWatching()
    {
        if (Volatile.Read(ref _watch) is not null)
            return;
        lock (_watchStart)
            _watch ??= time.CreateTimer(_ => Check(), null, CacheFor, CacheFor);
    }

    private void Check()
    {
        var lost = Volatile.Read(ref _lost);
        bool healthy;
        try
        {
            healthy = IsHealthy();
        }
        catch (ObjectDisposedException)
        {
            // The host is shutting down and the bus went first; an exception here would end the process.
            return;
        }
        if (!healthy)
            lost.TrySetResult();
        else if (lost.Task.IsCompleted)
            Rearm(lost);
    }

    private TaskCompletionSource Rearm(TaskCompletionSource completed)
    {
        var fresh = NewSignal();
        var current = Interlocked.CompareExchange(ref _lost, fresh, completed);
        return current == completed ? fresh : current;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
