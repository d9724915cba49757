using MassTransit;

namespace Par.Shared.Broker;

/// <summary>
/// Whether the bus is connected, read from MassTransit's health and cached briefly: with the broker down the gateway
/// answers 503 at once and the poller stops dequeuing, instead of waiting on a send that cannot happen.
/// </summary>
public sealed class BrokerHealth(IBusControl bus, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMilliseconds(100);
    private long _checkedAt;
    private volatile bool _healthy;
    private volatile string _description = "not checked yet";

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

    /// <summary>Completes when the bus stops being healthy; checked every 100 ms until <paramref name="cancellationToken"/> ends.</summary>
    public async Task WhenUnhealthyAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(CacheFor, time);
        while (IsHealthy())
        {
            if (!await timer.WaitForNextTickAsync(cancellationToken).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default))
                return;
        }
    }
}
