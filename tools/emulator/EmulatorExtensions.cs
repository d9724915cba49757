using Par.Emulator.Auth;
using Par.Emulator.Endpoints;
using Par.Emulator.Keys;
using Par.Emulator.Outage;
using Par.Emulator.Runners;
using Par.Emulator.Tasks;
using Par.Emulator.Tokens;

namespace Par.Emulator;

public static class EmulatorExtensions
{
    public static IServiceCollection AddEmulator(this IServiceCollection services, EmulatorOptions options, TimeProvider time)
    {
        services.AddProblemDetails();
        services.AddSingleton(options);
        services.AddSingleton(time);
        services.AddSingleton(_ => ControlPlaneKey.LoadOrCreate(options.KeyFile));
        services.AddSingleton<IssuerUrl>();
        services.AddSingleton<RunnerRegistry>();
        services.AddSingleton<RunnerTokenVerifier>();
        services.AddSingleton<OutageSwitch>();
        services.AddSingleton<TaskStore>();
        services.AddSingleton<TaskSigner>();
        services.AddSingleton<PushTokenIssuer>();
        services.AddHostedService<LeaseSweeper>();
        return services;
    }

    public static WebApplication MapEmulator(this WebApplication app)
    {
        // With AddProblemDetails: error answers the framework produces bare (unbindable admin bodies, 404 routes) get a problem body.
        app.UseStatusCodePages();
        app.MapJwks();
        app.MapEnrollment();
        app.MapPull();
        app.MapAdmin();
        return app;
    }
}
