using Par.Executor.Actions;
using Par.Shared.Broker;
using Par.Shared.Configuration;
using Par.Shared.Hosting;

namespace Par.Executor;

/// <summary>The executor as its own process: a worker consuming RunAction from the broker.</summary>
public static class ExecutorApp
{
    /// <param name="configureServices">Lets tests add actions or substitute services.</param>
    public static IHost Build(RunnerConfig config, string[]? args = null, Action<IServiceCollection>? configureServices = null)
    {
        config.RequireSharedBroker("executor");

        var builder = Host.CreateApplicationBuilder(args ?? []).UseRunnerLogging();
        builder.Services.AddExecutor(config);
        configureServices?.Invoke(builder.Services);
        builder.Services.AddRunnerBus(config, bus => bus.RegisterExecutor());
        // A stopping executor finishes the actions it holds; what it cannot finish is redelivered by the broker.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(Math.Max(30, config.HttpTimeoutSeconds + 5)));
        return builder.Build();
    }

    /// <summary>Every FQN this build can run, one per line, sorted.</summary>
    public static IEnumerable<string> ListActions(RunnerConfig config)
    {
        var services = new ServiceCollection().AddExecutor(config).BuildServiceProvider();
        return services.GetRequiredService<ActionRegistry>().Fqns.Order(StringComparer.Ordinal);
    }
}
