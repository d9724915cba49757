using static Par.Tests.Configuration.ConfigTestKit;

namespace Par.Tests.Configuration;

public class When_a_key_is_misspelled
{
    [Fact]
    public void Startup_stops_naming_file_line_and_key()
    {
        var message = Problem("port: 9016\nactionAllowlist:\n  - com.datadoghq.http.request\n");

        Assert.Equal("config/config.yaml:2: key 'actionAllowlist' is not known (did you mean 'actionsAllowlist'?)", message);
    }

    [Theory]
    [InlineData("ddBaseUrl: https://app.datadoghq.com", "ddBaseURL")]
    [InlineData("brokerURL: in-memory", "brokerUrl")]
    [InlineData("http_timeout_seconds: 5", "httpTimeoutSeconds")]
    [InlineData("task_concurency: 5", "task_concurrency")]
    [InlineData("allowedOrigin: []", "allowedOrigins")]
    [InlineData("prot: 9016", "port")]
    public void The_nearest_known_key_is_suggested(string yaml, string suggestion) =>
        AssertProblemAt(yaml, 1, $"(did you mean '{suggestion}'?)");

    [Fact]
    public void A_key_like_no_known_one_is_answered_with_the_list_of_known_keys()
    {
        var message = Problem("colour: red\n");

        Assert.StartsWith("config/config.yaml:1: key 'colour' is not known (known keys: ddBaseURL, urn, privateKey", message);
        Assert.Contains("actionsAllowlist", message);
    }

    [Fact]
    public void Every_misspelled_key_is_reported_at_once()
    {
        var message = Problem("prot: 1\nrunnerName: a\ntagz: []\n");

        Assert.Contains("config/config.yaml:1: key 'prot' is not known (did you mean 'port'?)", message);
        Assert.Contains("config/config.yaml:3: key 'tagz' is not known (did you mean 'tags'?)", message);
    }
}

public class When_a_key_appears_twice
{
    [Fact]
    public void Startup_stops_naming_the_second_occurrence() =>
        AssertProblemAt("port: 9016\nrunnerName: a\nport: 9017\n", 3, "key 'port' appears twice; keep one");

    [Fact]
    public void A_key_and_its_alias_count_as_the_same_key() =>
        AssertProblemAt("taskConcurrency: 2\ntask_concurrency: 3\n", 2,
            "key 'task_concurrency' sets the same value as 'taskConcurrency' on line 1; keep one");
}

public class When_snake_case_aliases_of_the_agent_runner_are_used
{
    [Fact]
    public void They_set_the_same_values_as_the_camelCase_keys()
    {
        var config = Parse("""
            task_concurrency: 7
            task_timeout_seconds: 120
            http_allowlist: ["*.example.com", api.internal]
            http_allow_imds_endpoint: true
            """);

        Assert.Equal(7, config.TaskConcurrency);
        Assert.Equal(120, config.TaskTimeoutSeconds);
        Assert.Equal(["*.example.com", "api.internal"], config.HttpAllowlist);
        Assert.True(config.AllowImdsEndpoint);
    }

    [Fact]
    public void Their_values_are_checked_under_the_name_written() =>
        AssertProblemAt("task_concurrency: 0\n", 1, "key 'task_concurrency': 0 would run nothing");
}
