using Par.Shared.Configuration;

namespace Par.Tests.Configuration;

public class When_the_shipped_example_is_loaded
{
    private static readonly string ExamplePath = Path.Combine(ConfigTestKit.RepositoryRoot(), "deploy", "config.example.yaml");

    /// <summary>The keys the brief and par-facts.md name; kept here so dropping one from the docs is noticed.</summary>
    public static readonly TheoryData<string> Keys = new(
        "ddBaseURL", "urn", "privateKey", "runnerName", "modes", "port", "httpServerWriteTimeout", "allowIMDSEndpoint",
        "tags", "actionsAllowlist", "taskTimeoutSeconds", "httpTimeoutSeconds", "taskConcurrency", "controlPlaneJwks",
        "httpAllowlist", "allowedOrigins", "brokerUrl", "brokerQueue", "executorConcurrency", "maxRequestBodyBytes",
        "bindAddress", "brokerReplyMode", "resultsQueue", "pollWaitMs", "heartbeatIntervalSeconds", "drainTimeoutSeconds",
        "task_concurrency", "task_timeout_seconds", "http_allowlist", "http_allow_imds_endpoint");

    [Fact]
    public void The_loader_accepts_it()
    {
        var config = RunnerConfigLoader.Parse(File.ReadAllText(ExamplePath), "deploy", ExamplePath, new Dictionary<string, string?>());

        Assert.Equal(new HashSet<RunnerMode> { RunnerMode.Pull, RunnerMode.Push }, config.Modes.ToHashSet());
        Assert.Contains("com.datadoghq.http.request", config.ActionsAllowlist);
        Assert.Equal(["https://app.datadoghq.com"], config.AllowedOrigins);
        Assert.Equal(9016, config.Port);
        Assert.True(config.UsesInMemoryBroker);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void The_documentation_describes_every_key(string key) =>
        Assert.Contains($"`{key}`", File.ReadAllText(Path.Combine(ConfigTestKit.RepositoryRoot(), "docs", "configuration.md")));

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_camelCase_key_appears_in_the_example(string key)
    {
        if (key.Contains('_')) return;
        Assert.Contains($"{key}:", File.ReadAllText(ExamplePath));
    }
}
