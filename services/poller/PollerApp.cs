using Par.Shared.Broker;
using Par.Shared.Configuration;
using Par.Shared.Hosting;
using Par.Shared.Security;

namespace Par.Poller;

/// <summary>The poller as its own process: pulls tasks, hands them to executors over the broker, reports results.</summary>
public static class PollerApp
{
    public static async Task<IHost> BuildAsync(RunnerConfig config, string[]? args = null)
    {
        config.RequireSharedBroker("poller");

        var keys = await ControlPlaneKeys.LoadAsync(config);
        var builder = Host.CreateApplicationBuilder(args ?? []).UseRunnerLogging();
        builder.Services.AddRunnerBus(config, bus => bus.RegisterPoller());
        builder.Services.AddPoller(config, keys);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(config.DrainTimeoutSeconds + 15));
        return builder.Build();
    }
}
