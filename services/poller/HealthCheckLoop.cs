namespace Par.Poller;

/// <summary>Tells the control plane every 30 s that this runner is alive, as the original does.</summary>
public sealed class HealthCheckLoop(ControlPlaneClient client, TimeProvider time, ILogger<HealthCheckLoop> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await client.HealthCheckAsync(stopping);
            }
            catch (Exception e) when (e is HttpRequestException or ControlPlaneException or TaskCanceledException && !stopping.IsCancellationRequested)
            {
                logger.LogWarning("Control plane health-check failed: {Error}", e.Message);
            }
        } while (await timer.WaitForNextTickAsync(stopping).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default));
    }
}
