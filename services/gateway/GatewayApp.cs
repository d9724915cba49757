using Par.Shared.Broker;
using Par.Shared.Configuration;
using Par.Shared.Hosting;
using Par.Shared.Security;

namespace Par.Gateway;

/// <summary>The gateway as its own process: push endpoint plus a bus that only sends requests.</summary>
public static class GatewayApp
{
    public static async Task<WebApplication> BuildAsync(RunnerConfig config, string[]? args = null)
    {
        config.RequireSharedBroker("gateway");

        var keys = await ControlPlaneKeys.LoadAsync(config);
        var builder = WebApplication.CreateSlimBuilder(args ?? []).UseRunnerLogging();
        builder.AddGateway(config, keys);
        builder.Services.AddRunnerBus(config, bus => bus.RegisterGateway(config));
        var app = builder.Build();
        app.MapGateway();
        return app;
    }
}
