using Par.Executor;
using Par.Gateway;
using Par.Shared.Broker;
using Par.Shared.Configuration;
using Par.Shared.Security;

namespace Par.Runner;

/// <summary>
/// The embedded default: every role in one process. With <c>brokerUrl: in-memory</c> (the default) the roles talk over
/// MassTransit's in-memory transport, so a newcomer needs no broker; with an amqp:// URL this process is one replica of
/// each role on a real broker. <c>modes</c> decides which front roles run; the executor always does.
/// </summary>
public static class RunnerApp
{
    public static async Task<IHost> BuildAsync(RunnerConfig config, string[]? args = null)
    {
        if (!config.Modes.Contains(RunnerMode.Push))
        {
            var worker = Host.CreateApplicationBuilder(args ?? []);
            worker.Services.AddExecutor(config);
            worker.Services.AddRunnerBus(config, bus => bus.RegisterExecutor());
            return worker.Build();
        }

        var keys = await ControlPlaneKeys.LoadAsync(config);
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.AddGateway(config, keys);
        builder.Services.AddExecutor(config);
        builder.Services.AddRunnerBus(config, bus =>
        {
            bus.RegisterGateway(config);
            bus.RegisterExecutor();
        });
        var app = builder.Build();
        app.MapGateway();
        return app;
    }
}
