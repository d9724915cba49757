using Par.Shared.Configuration;
using static Par.Tests.Configuration.ConfigTestKit;

namespace Par.Tests.Configuration;

public class When_the_environment_overrides_the_file
{
    private const string Yaml = "runnerName: from-file\nactionsAllowlist: [com.datadoghq.http.request]\nddBaseURL: https://file.example\nbrokerUrl: amqp://file-broker\nmodes: [push]\n";

    [Fact]
    public void ACTIONS_ALLOWLIST_replaces_the_list() =>
        Assert.Equal(["com.datadoghq.jenkins.buildJenkinsJob", "com.datadoghq.postgresql.select"],
            Parse(Yaml, new() { ["ACTIONS_ALLOWLIST"] = " com.datadoghq.jenkins.buildJenkinsJob, com.datadoghq.postgresql.select ," }).ActionsAllowlist);

    [Fact]
    public void RUNNER_MODES_replaces_the_modes() =>
        Assert.Equal(new HashSet<RunnerMode> { RunnerMode.Pull, RunnerMode.Push },
            Parse(PullIdentity.Replace("ddBaseURL: https://app.datadoghq.com\n", "") + Yaml, new() { ["RUNNER_MODES"] = "workflowAutomation,PUSH" }).Modes.ToHashSet());

    [Fact]
    public void RUNNER_NAME_replaces_the_name() =>
        Assert.Equal("from-env", Parse(Yaml, new() { ["RUNNER_NAME"] = "from-env" }).RunnerName);

    [Fact]
    public void DD_BASE_URL_replaces_the_base_url() =>
        Assert.Equal("https://app.datadoghq.eu", Parse(Yaml, new() { ["DD_BASE_URL"] = "https://app.datadoghq.eu" }).DdBaseUrl);

    [Fact]
    public void BROKER_URL_replaces_the_broker() =>
        Assert.Equal("amqps://rabbit.internal", Parse(Yaml, new() { ["BROKER_URL"] = "amqps://rabbit.internal" }).BrokerUrl);

    [Theory]
    [InlineData("ACTIONS_ALLOWLIST")]
    [InlineData("RUNNER_MODES")]
    [InlineData("RUNNER_NAME")]
    [InlineData("DD_BASE_URL")]
    [InlineData("BROKER_URL")]
    public void An_empty_variable_is_ignored(string variable)
    {
        // Records compare lists by reference; their printed form spells the values out.
        var fromFile = Parse(Yaml).ToString();
        Assert.Equal(fromFile, Parse(Yaml, new() { [variable] = "" }).ToString());
        Assert.Equal(fromFile, Parse(Yaml, new() { [variable] = "   " }).ToString());
        Assert.Equal(fromFile, Parse(Yaml, new() { [variable] = null }).ToString());
    }
}

public class When_an_environment_variable_holds_a_bad_value
{
    [Theory]
    [InlineData("ACTIONS_ALLOWLIST", "com.datadoghq.http.request,not an action", "'not an action' is not an action name")]
    [InlineData("RUNNER_MODES", "push,poll", "'poll' is not a mode")]
    [InlineData("RUNNER_MODES", ",", "names no mode")]
    [InlineData("DD_BASE_URL", "app.datadoghq.com", "'app.datadoghq.com' is not an absolute http(s) URL")]
    [InlineData("BROKER_URL", "redis://cache", "must be an amqp://host or amqps://host URL, or the word in-memory")]
    public void Startup_stops_naming_the_variable(string variable, string value, string expected) =>
        AssertVariableProblem(variable, value, expected);

    [Fact]
    public void File_and_variable_problems_are_reported_together()
    {
        var message = Problem("port: 0\n", new() { ["RUNNER_MODES"] = "poll" });

        Assert.Contains("config/config.yaml:1: key 'port'", message);
        Assert.Contains("environment variable RUNNER_MODES: 'poll'", message);
    }
}
