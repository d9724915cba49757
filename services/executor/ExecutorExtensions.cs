using MassTransit;
using Par.Executor.Actions;
using Par.Executor.Actions.Http;
using Par.Executor.Credentials;
using Par.Shared.Configuration;

namespace Par.Executor;

public static class ExecutorExtensions
{
    /// <summary>Registers the action registry, credentials and every action this build ships.</summary>
    public static IServiceCollection AddExecutor(this IServiceCollection services, RunnerConfig config)
    {
        services.AddSingleton(config);
        services.AddSingleton(new ActionAllowlist(config));
        services.AddSingleton(ExecutorIdentity.ForThisProcess());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ICredentialStore>(new FileCredentialStore(config.CredentialsDir));
        services.AddSingleton<ActionRegistry>();
        services.AddActions(config);
        return services;
    }

    /// <summary>The catalog of actions: one line per integration.</summary>
    public static IServiceCollection AddActions(this IServiceCollection services, RunnerConfig config)
    {
        services.AddSingleton(HttpActionOptions.From(config));
        services.AddSingleton<IAction, HttpRequestAction>();
        return services;
    }

    /// <summary>Adds the executor's consumer to the process's bus.</summary>
    public static void RegisterExecutor(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<RunActionConsumer, RunActionConsumerDefinition>();
}
