namespace Par.Emulator.Outage;

/// <summary>Makes the pull endpoints look down for a while, so chaos tests can watch a runner back off and recover.</summary>
public sealed class OutageSwitch(TimeProvider time)
{
    private long _untilTicks;

    public DateTimeOffset Start(TimeSpan duration)
    {
        var until = time.GetUtcNow() + duration;
        Interlocked.Exchange(ref _untilTicks, until.UtcTicks);
        return until;
    }

    /// <summary>Time left of the outage; null when the control plane is up.</summary>
    public TimeSpan? Remaining()
    {
        var until = Interlocked.Read(ref _untilTicks);
        if (until == 0) return null;
        var left = new DateTimeOffset(until, TimeSpan.Zero) - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
    }
}
