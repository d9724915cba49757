using Par.Shared.Broker;
using MassTransit;
using Par.Gateway.Tokens;
using Par.Shared.Configuration;
using Par.Shared.Contracts;
using Par.Shared.Security;

namespace Par.Gateway;

public static class GatewayExtensions
{
    public const string CorsPolicy = "push";

    /// <summary>Listens on <c>bindAddress:port</c> and registers token verification, CORS and the run endpoint.</summary>
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder, RunnerConfig config, ControlPlaneKeys keys)
    {
        var urn = config.Urn ?? throw new ConfigException(
            $"{config.SourceFile ?? "config.yaml"}: key 'urn' is required in push mode: push tokens must be issued for this runner's URN.");

        builder.WebHost.UseUrls($"http://{config.BindAddress}:{config.Port}");
        // The endpoint enforces maxRequestBodyBytes itself so the refusal is a problem+json 413, not a dropped connection.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);

        var services = builder.Services;
        services.AddSingleton(config);
        services.AddSingleton(keys);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new ActionAllowlist(config));
        services.AddSingleton<IReplayCache, InMemoryReplayCache>();
        services.AddSingleton(sp => new PushTokenVerifier(keys, sp.GetRequiredService<IReplayCache>(), sp.GetRequiredService<TimeProvider>(), urn));
        services.AddSingleton<BrokerHealth>();
        services.AddSingleton<RunActionEndpoint>();
        services.AddProblemDetails();
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy =>
        {
            if (config.AllowedOrigins.Count > 0)
                policy.WithOrigins([.. config.AllowedOrigins])
                    .WithMethods("POST")
                    .WithHeaders("Authorization", "Content-Type")
                    .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
        }));
        return builder;
    }

    /// <summary>Adds the request client that sends RunAction to the executors' queue.</summary>
    public static void RegisterGateway(this IBusRegistrationConfigurator bus, RunnerConfig config) =>
        bus.AddRequestClient<RunAction>(new Uri($"queue:{config.BrokerQueue}"));

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseCors();
        app.MapPost(RunActionEndpoint.Route, (HttpContext http, RunActionEndpoint endpoint) => endpoint.HandleAsync(http))
            .RequireCors(CorsPolicy);
        app.MapGet("/healthz", () => Results.Ok(new { status = "alive" }));
        app.MapGet("/readyz", (BrokerHealth broker) => broker.IsHealthy()
            ? Results.Ok(new { status = "ready" })
            : Results.Json(new { status = "broker-unavailable", detail = broker.Description }, statusCode: 503));
        return app;
    }
}
