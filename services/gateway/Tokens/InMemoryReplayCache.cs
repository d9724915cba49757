using System.Collections.Concurrent;

namespace Par.Gateway.Tokens;

/// <summary>
/// Replay cache of one gateway process. Entries live until the token's expiry plus the clock skew, then are swept.
/// Several gateway replicas need a shared cache (see docs/push-tokens.md): this one protects a single replica.
/// </summary>
public sealed class InMemoryReplayCache(TimeProvider time) : IReplayCache
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    public int Count => _seen.Count;

    public bool TryConsume(string jti, DateTimeOffset expiresAt)
    {
        var now = time.GetUtcNow();
        SweepIfDue(now);
        return _seen.TryAdd(jti, expiresAt);
    }

    private void SweepIfDue(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, now.AddSeconds(10).UtcTicks, due) != due)
            return;
        foreach (var (jti, expiresAt) in _seen)
        {
            if (expiresAt < now)
                _seen.TryRemove(jti, out _);
        }
    }
}
