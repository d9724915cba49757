namespace Par.Emulator.Tasks;

/// <summary>
/// Expires leases even when no runner calls: a long-polling runner must get a re-queued task without waiting for the
/// next request to trigger the sweep.
/// </summary>
internal sealed class LeaseSweeper(TaskStore store, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) store.SweepExpiredLeases();
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }
}
