using MassTransit;
using Par.Shared.Broker;
using Par.Shared.Configuration;
using Par.Shared.Security;

namespace Par.Poller;

public static class PollerExtensions
{
    /// <summary>
    /// Registers the pull mode: the runner's identity and JWT, the control-plane client, task verification and the poll
    /// loop. Call after AddRunnerBus so the loop stops (and drains) before the bus does.
    /// </summary>
    public static IServiceCollection AddPoller(this IServiceCollection services, RunnerConfig config, ControlPlaneKeys keys)
    {
        var source = config.SourceFile ?? "config.yaml";
        var baseUrl = config.DdBaseUrl ?? throw new ConfigException($"{source}: key 'ddBaseURL' is required in pull mode.");
        if (!RunnerUrn.TryParse(config.Urn, out var urn))
            throw new ConfigException($"{source}: key 'urn' is required in pull mode, as urn:dd:apps:on-prem-runner:<region>:<orgId>:<runnerId>.");
        RunnerKey key;
        try
        {
            key = RunnerKey.FromConfigValue(config.PrivateKey ?? throw new ConfigException($"{source}: key 'privateKey' is required in pull mode (run enrollment to create one)."));
        }
        catch (RunnerKeyException e)
        {
            throw new ConfigException($"{source}: key 'privateKey' is not a usable key: {e.Message}");
        }

        services.AddSingleton(config);
        services.AddSingleton(keys);
        services.AddSingleton(urn);
        services.AddSingleton(key);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new RunnerAuthToken(key, urn.OrgId, urn.RunnerId, sp.GetRequiredService<TimeProvider>()));
        services.AddHttpClient<ControlPlaneClient>(http =>
        {
            http.BaseAddress = new Uri(baseUrl);
            // Each call sets its own limit (30 s, plus the long-poll wait).
            http.Timeout = Timeout.InfiniteTimeSpan;
        });
        services.AddSingleton<TaskVerifier>();
        services.AddSingleton<InFlightTasks>();
        services.AddSingleton<TaskReporter>();
        services.AddSingleton<BrokerHealth>();
        services.AddHostedService<PollLoop>();
        services.AddHostedService<HealthCheckLoop>();
        return services;
    }

    /// <summary>Adds the consumer of executors' answers to pull tasks.</summary>
    public static void RegisterPoller(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<TaskResultConsumer, TaskResultConsumerDefinition>();
}
