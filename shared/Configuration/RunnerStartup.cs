using Microsoft.Extensions.Hosting;

namespace Par.Shared.Configuration;

/// <summary>Start-up of every service: a configuration problem prints one clear line and exits 2, never a stack trace.</summary>
public static class RunnerStartup
{
    public const int ConfigErrorExitCode = 2;

    public static RunnerConfig LoadConfig() => RunnerConfigLoader.Load();

    public static async Task<int> RunAsync(Func<Task<IHost>> build)
    {
        try
        {
            using var host = await build();
            await host.RunAsync();
            return 0;
        }
        catch (ConfigException e)
        {
            await Console.Error.WriteLineAsync($"par: configuration error: {e.Message}");
            return ConfigErrorExitCode;
        }
    }
}
