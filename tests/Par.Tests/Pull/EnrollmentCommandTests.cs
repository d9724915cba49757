using Microsoft.AspNetCore.Builder;
using Par.Emulator;
using Par.Poller.Enrollment;
using Par.Shared.Configuration;
using Par.Shared.Security;

namespace Par.Tests.Pull;

public sealed class When_a_runner_enrolls_with_an_api_key : IAsyncLifetime
{
    private WebApplication _emulator = null!;
    private string _baseUrl = "";
    private readonly string _dir = Directory.CreateTempSubdirectory("par-enroll-").FullName;

    public async Task InitializeAsync()
    {
        _emulator = EmulatorApp.Create(new EmulatorOptions { ListenUrl = "http://127.0.0.1:0" });
        await _emulator.StartAsync();
        _baseUrl = _emulator.BaseAddress().ToString().TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Dictionary<string, string?> Env(string apiKey = "emulator-api-key") => new()
    {
        ["DD_API_KEY"] = apiKey, ["DD_APP_KEY"] = "emulator-app-key", ["DD_BASE_URL"] = _baseUrl,
        ["RUNNER_NAME"] = "enroll-test", ["RUNNER_MODES"] = "pull,push", ["DD_PRIVATE_RUNNER_CONFIG_DIR"] = _dir,
    };

    private async Task<(int Code, string Out, string Err)> RunAsync(string[] args, Dictionary<string, string?> env)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await EnrollCommand.RunAsync(args, output, errors, env);
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task Config_format_prints_an_identity_the_loader_accepts()
    {
        var (code, text, _) = await RunAsync(["--enroll", "-f", "config"], Env());

        Assert.Equal(0, code);
        var config = RunnerConfigLoader.Parse(text + "controlPlaneJwks: jwks.json\n", _dir, "printed", new Dictionary<string, string?>());
        Assert.True(RunnerUrn.TryParse(config.Urn, out var urn));
        Assert.Equal(1_000_001, urn.OrgId);
        Assert.Equal(_baseUrl, config.DdBaseUrl);
        Assert.Contains(RunnerMode.Pull, config.Modes);
        using var key = RunnerKey.FromConfigValue(config.PrivateKey!);
        Assert.False(File.Exists(Path.Combine(_dir, "config.yaml")));
    }

    [Fact]
    public async Task Helm_values_format_nests_the_identity_under_runner_config()
    {
        var (code, text, _) = await RunAsync(["--enroll", "-f", "helm-values"], Env());

        Assert.Equal(0, code);
        Assert.StartsWith("runner:\n  config:\n", text.Replace("\r\n", "\n"));
        Assert.Contains("    urn: urn:dd:apps:on-prem-runner:us1:1000001:", text);
        Assert.Contains("    privateKey: ", text);
    }

    [Fact]
    public async Task Env_format_prints_variables_the_loader_reads()
    {
        var (code, text, _) = await RunAsync(["--enroll", "-f", "env"], Env());

        Assert.Equal(0, code);
        var variables = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2)).ToDictionary(p => p[0], p => (string?)p[1].Trim());
        var config = RunnerConfigLoader.Parse("controlPlaneJwks: jwks.json\n", _dir, "empty", variables);
        Assert.Contains(RunnerMode.Pull, config.Modes);
        Assert.StartsWith("urn:dd:apps:on-prem-runner:", config.Urn);
        Assert.NotNull(config.PrivateKey);
    }

    [Fact]
    public async Task With_api_key_writes_the_identity_into_config_yaml_keeping_the_other_keys()
    {
        var path = Path.Combine(_dir, "config.yaml");
        await File.WriteAllTextAsync(path, "actionsAllowlist:\n  - com.datadoghq.http.request\nurn: urn:dd:apps:on-prem-runner:us1:1:old\n");

        var (code, text, _) = await RunAsync(["--with-api-key"], Env());

        Assert.Equal(0, code);
        Assert.Contains("identity written", text);
        var config = RunnerConfigLoader.Load(_dir, new Dictionary<string, string?>());
        Assert.Equal(["com.datadoghq.http.request"], config.ActionsAllowlist);
        Assert.DoesNotContain(":old", config.Urn);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task A_wrong_api_key_is_refused_with_a_clear_message()
    {
        var (code, _, errors) = await RunAsync(["--with-api-key"], Env(apiKey: "wrong"));

        Assert.Equal(1, code);
        Assert.Contains("refused the API key", errors);
    }

    [Fact]
    public async Task An_unknown_format_is_refused_naming_the_formats()
    {
        var (code, _, errors) = await RunAsync(["--enroll", "-f", "xml"], Env());

        Assert.Equal(1, code);
        Assert.Contains("config, helm-values, env", errors);
    }

    [Fact]
    public async Task A_control_plane_that_cannot_be_reached_is_named()
    {
        var env = Env();
        env["DD_BASE_URL"] = "http://127.0.0.1:1";

        var (code, _, errors) = await RunAsync(["--enroll", "-f", "env"], env);

        Assert.Equal(1, code);
        Assert.Contains("Cannot reach the control plane", errors);
    }
}
