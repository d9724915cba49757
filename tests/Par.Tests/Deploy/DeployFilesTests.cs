using System.Diagnostics;
using Par.Shared.Configuration;
using Par.Tests.Infrastructure;

namespace Par.Tests.Deploy;

public sealed class When_the_shipped_deployment_files_are_read
{
    [Fact]
    public void The_compose_config_is_accepted_by_the_loader()
    {
        var config = RunnerConfigLoader.Load(Path.Combine(RepoPaths.Root, "deploy/compose/config"), new Dictionary<string, string?>());

        Assert.Contains("com.datadoghq.http.request", config.ActionsAllowlist);
    }

    [Fact]
    public async Task The_compose_file_is_valid_for_docker_compose()
    {
        var info = new ProcessStartInfo("docker-compose", "-f docker-compose.yml config --quiet")
        {
            WorkingDirectory = Path.Combine(RepoPaths.Root, "deploy/compose"),
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(info)!;
        // Both pipes are read, so a full stdout buffer cannot block docker-compose; and it gets 60 s, not forever.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = await process.StandardError.ReadToEndAsync(timeout.Token);
        await output;
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, errors);
    }
}
