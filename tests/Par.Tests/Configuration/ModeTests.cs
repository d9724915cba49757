using Par.Shared.Configuration;
using static Par.Tests.Configuration.ConfigTestKit;

namespace Par.Tests.Configuration;

public class When_modes_are_configured
{
    [Theory]
    [InlineData("modes: [push]", new[] { RunnerMode.Push })]
    [InlineData("modes:\n  - pull\n  - push", new[] { RunnerMode.Pull, RunnerMode.Push })]
    [InlineData("modes: pull,push", new[] { RunnerMode.Pull, RunnerMode.Push })]
    [InlineData("modes: \"push, pull\"", new[] { RunnerMode.Pull, RunnerMode.Push })]
    [InlineData("modes: [PULL, Push]", new[] { RunnerMode.Pull, RunnerMode.Push })]
    [InlineData("modes: [workflowAutomation]", new[] { RunnerMode.Pull })]
    [InlineData("modes: [appBuilder]", new[] { RunnerMode.Push })]
    [InlineData("modes: [WorkflowAutomation, appbuilder]", new[] { RunnerMode.Pull, RunnerMode.Push })]
    public void Lists_comma_strings_and_older_names_are_read_without_case(string yaml, RunnerMode[] expected) =>
        Assert.Equal(expected.ToHashSet(), Parse(PullIdentity + yaml).Modes.ToHashSet());

    [Fact]
    public void An_unknown_mode_is_named_by_its_line() =>
        AssertProblemAt("modes:\n  - push\n  - poll\n", 3,
            "key 'modes': 'poll' is not a mode (use pull and/or push; workflowAutomation and appBuilder are their older names)");

    [Theory]
    [InlineData("modes: []")]
    [InlineData("modes: \",\"")]
    public void No_mode_at_all_is_refused(string yaml) =>
        AssertProblemAt(yaml + "\n", 1, "key 'modes' names no mode; use pull, push or both");
}

public class When_pull_mode_lacks_its_identity
{
    [Fact]
    public void Startup_stops_listing_what_is_missing_at_the_modes_line()
    {
        var message = Problem("runnerName: r\nmodes: [pull]\n");

        Assert.Equal("config/config.yaml:2: modes includes pull, which needs ddBaseURL, urn and privateKey; "
                     + "missing: ddBaseURL, urn, privateKey (urn and privateKey come from enrolling the runner)", message);
    }

    [Fact]
    public void Only_the_missing_keys_are_listed() =>
        AssertProblemAt($"modes: [pull, push]\nddBaseURL: https://app.datadoghq.com\nprivateKey: {PrivateKey}\n", 1, "missing: urn (");

    [Fact]
    public void Pull_set_by_RUNNER_MODES_is_checked_too()
    {
        var message = Problem("", new() { ["RUNNER_MODES"] = "pull" });

        Assert.StartsWith("config/config.yaml: modes includes pull (from RUNNER_MODES), which needs", message);
    }

    [Fact]
    public void DD_BASE_URL_counts_as_the_ddBaseURL()
    {
        var config = Parse($"modes: [pull]\nurn: {Urn}\nprivateKey: {PrivateKey}\n",
            new() { ["DD_BASE_URL"] = "https://app.datadoghq.eu" });

        Assert.Equal("https://app.datadoghq.eu", config.DdBaseUrl);
    }

    [Fact]
    public void Push_alone_needs_no_identity_and_no_key_requires_controlPlaneJwks()
    {
        Assert.Null(Parse("modes: [push]").Urn);
        Assert.Null(Parse(PullIdentity + "modes: [pull]").ControlPlaneJwks);
    }
}
