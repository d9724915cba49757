using Par.Tests.Infrastructure;

namespace Par.Tests.Services;

/// <summary>Each service binary, started as an operator would, on a broken configuration: one clear line, exit code 2.</summary>
public sealed class When_a_service_starts_on_a_broken_config : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("par-startup-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string> Services() => new()
    {
        { "services/gateway", "par-gateway" },
        { "services/executor", "par-executor" },
        { "services/poller", "par-poller" },
        { "services/runner", "par" },
    };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task A_misspelled_key_stops_it_naming_file_line_and_key(string folder, string assembly)
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "config.yaml"), "port: 9016\nactionAllowlist:\n  - com.datadoghq.http.request\n");

        await using var service = ServiceProcess.Start(RepoPaths.ServiceDll(folder, assembly), _dir);
        var code = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, code);
        Assert.Contains("config.yaml:2", service.Output);
        Assert.Contains("'actionAllowlist'", service.Output);
        Assert.Contains("did you mean 'actionsAllowlist'", service.Output);
        Assert.DoesNotContain("   at ", service.Output);
    }

    [Theory]
    [InlineData("services/gateway", "par-gateway")]
    [InlineData("services/executor", "par-executor")]
    public async Task A_standalone_role_without_a_real_broker_is_told_to_set_brokerUrl(string folder, string assembly)
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "config.yaml"), "urn: urn:dd:apps:on-prem-runner:us1:1:r1\ncontrolPlaneJwks: jwks.json\n");

        await using var service = ServiceProcess.Start(RepoPaths.ServiceDll(folder, assembly), _dir);
        var code = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, code);
        Assert.Contains("'brokerUrl' must be an amqp:// URL", service.Output);
    }

    [Fact]
    public async Task A_missing_jwks_file_stops_the_gateway_naming_it()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "config.yaml"),
            "urn: urn:dd:apps:on-prem-runner:us1:1:r1\ncontrolPlaneJwks: missing-jwks.json\nbrokerUrl: amqp://guest:guest@127.0.0.1:5672/\n");

        await using var service = ServiceProcess.Start(RepoPaths.ServiceDll("services/gateway", "par-gateway"), _dir);
        var code = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, code);
        Assert.Contains("missing-jwks.json", service.Output);
    }

    [Fact]
    public async Task A_missing_config_folder_is_named_with_how_to_fix_it()
    {
        var missing = Path.Combine(_dir, "nowhere");

        await using var service = ServiceProcess.Start(RepoPaths.ServiceDll("services/runner", "par"), missing);
        var code = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, code);
        Assert.Contains(missing, service.Output);
        Assert.Contains("DD_PRIVATE_RUNNER_CONFIG_DIR", service.Output);
    }
}

public sealed class When_the_executor_is_asked_for_its_actions
{
    [Fact]
    public async Task It_prints_every_registered_fqn_one_per_line()
    {
        await using var service = ServiceProcess.Start(RepoPaths.ServiceDll("services/executor", "par-executor"), "/nonexistent", "--list-actions");
        var code = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, code);
        var lines = service.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("com.datadoghq.http.request", lines);
        Assert.All(lines, line => Assert.Matches(@"^[a-zA-Z0-9.]+$", line));
    }
}
