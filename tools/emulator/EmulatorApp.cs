using Par.Shared.Hosting;

namespace Par.Emulator;

/// <summary>Builds the emulator as a WebApplication, so tests and benchmarks can host it in-process.</summary>
public static class EmulatorApp
{
    public static WebApplication Create(EmulatorOptions options, TimeProvider? time = null)
    {
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder().UseRunnerLogging();
        builder.WebHost.UseUrls(options.ListenUrl);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddEmulator(options, time ?? TimeProvider.System);
        var app = builder.Build();
        app.MapEmulator();
        return app;
    }

    /// <summary>The address Kestrel actually bound (useful with port 0); valid after the app has started.</summary>
    public static Uri BaseAddress(this WebApplication app) =>
        new(app.Services.GetRequiredService<IssuerUrl>().Value);
}
