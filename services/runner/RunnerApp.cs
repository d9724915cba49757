using Par.Executor;
using Par.Gateway;
using Par.Poller;
using Par.Shared.Broker;
using Par.Shared.Configuration;
using Par.Shared.Hosting;
using Par.Shared.Security;

namespace Par.Runner;

/// <summary>
/// The embedded default: every role in one process. With <c>brokerUrl: in-memory</c> (the default) the roles talk over
/// MassTransit's in-memory transport, so a newcomer needs no broker; with an amqp:// URL this process is one replica of
/// each role on a real broker. <c>modes</c> decides which of gateway (push) and poller (pull) run; the executor always does.
/// </summary>
public static class RunnerApp
{
    public static async Task<IHost> BuildAsync(RunnerConfig config, string[]? args = null)
    {
        var push = config.Modes.Contains(RunnerMode.Push);
        var pull = config.Modes.Contains(RunnerMode.Pull);
        var keys = await ControlPlaneKeys.LoadAsync(config);

        IHostApplicationBuilder builder;
        if (push)
        {
            var web = WebApplication.CreateSlimBuilder(args ?? []);
            web.AddGateway(config, keys);
            builder = web;
        }
        else
        {
            builder = Host.CreateApplicationBuilder(args ?? []);
        }
        builder.UseRunnerLogging();

        builder.Services.AddExecutor(config);
        builder.Services.AddRunnerBus(config, bus =>
        {
            if (push) bus.RegisterGateway(config);
            if (pull) bus.RegisterPoller();
            bus.RegisterExecutor();
        });
        if (pull)
        {
            builder.Services.AddPoller(config, keys);
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(config.DrainTimeoutSeconds + 15));
        }

        if (builder is WebApplicationBuilder webBuilder)
        {
            var app = webBuilder.Build();
            app.MapGateway();
            return app;
        }
        return ((HostApplicationBuilder)builder).Build();
    }
}
