using Par.Shared.Configuration;
using static Par.Tests.Configuration.ConfigTestKit;

namespace Par.Tests.Configuration;

public class When_the_config_file_is_empty
{
    [Theory]
    [InlineData("")]
    [InlineData("# nothing configured yet\n")]
    [InlineData("---\n")]
    [InlineData("~\n")]
    public void Every_key_takes_its_default(string yaml) =>
        Assert.Equal(new RunnerConfig { ConfigDir = "config", SourceFile = SourceFile }.ToString(), Parse(yaml).ToString());
}

public class When_nothing_is_configured
{
    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var config = Parse("");

        Assert.Null(config.DdBaseUrl);
        Assert.Null(config.Urn);
        Assert.Null(config.PrivateKey);
        Assert.Null(config.RunnerName);
        Assert.Equal([RunnerMode.Push], config.Modes);
        Assert.Equal(9016, config.Port);
        Assert.Equal(60, config.HttpServerWriteTimeout);
        Assert.False(config.AllowImdsEndpoint);
        Assert.Empty(config.Tags);
        Assert.Empty(config.ActionsAllowlist);
        Assert.Equal(0, config.TaskTimeoutSeconds);
        Assert.Equal(30, config.HttpTimeoutSeconds);
        Assert.Equal(5, config.TaskConcurrency);
        Assert.Null(config.ControlPlaneJwks);
        Assert.Empty(config.HttpAllowlist);
        Assert.Empty(config.AllowedOrigins);
        Assert.Equal("in-memory", config.BrokerUrl);
        Assert.Equal("par.run-action", config.BrokerQueue);
        Assert.Equal(32, config.ExecutorConcurrency);
        Assert.Equal(4 * 1024 * 1024, config.MaxRequestBodyBytes);
        Assert.Equal("0.0.0.0", config.BindAddress);
        Assert.Equal("config", config.ConfigDir);
        Assert.Equal(SourceFile, config.SourceFile);
    }

    [Theory]
    [InlineData("port:")]
    [InlineData("port: ~")]
    [InlineData("port: null")]
    [InlineData("brokerUrl: \"\"")]
    [InlineData("tags:")]
    public void A_key_without_a_value_keeps_its_default(string yaml) =>
        Assert.Equal(Parse("").ToString(), Parse(yaml).ToString());
}

public class When_the_yaml_is_not_valid
{
    [Fact]
    public void Startup_stops_with_the_line_the_parser_reports() =>
        AssertProblemAt("port: 9016\nrunnerName: a\n  bad: x\n", 3, "not valid YAML: ");

    [Fact]
    public void An_unclosed_bracket_is_located_although_the_parser_gives_no_position() =>
        AssertProblemAt("runnerName: a\nmodes: [pull, push\nport: 9016\n", 2, "not valid YAML after this line");

    [Fact]
    public void A_second_document_is_refused() =>
        AssertProblemAt("port: 9016\n---\nport: 9017\n", 3, "holds a second YAML document");
}

public class When_the_top_level_is_not_a_mapping
{
    [Theory]
    [InlineData("- port: 9016\n", "found a list")]
    [InlineData("port 9016\n", "found a single value")]
    public void Startup_stops_saying_what_was_found_instead(string yaml, string found) =>
        AssertProblemAt(yaml, 1, $"the top level must be a mapping of keys (key: value lines), {found}");
}

public class When_a_value_has_the_wrong_type
{
    [Theory]
    [InlineData("port: [9016, 9017]", "key 'port' expects a single value, found a list")]
    [InlineData("bindAddress:\n    first: a", "key 'bindAddress' expects a single value, found a mapping")]
    [InlineData("tags: env:prod", "key 'tags' expects a list (one '- entry' per line), found a single value")]
    [InlineData("actionsAllowlist: {a: b}", "key 'actionsAllowlist' expects a list")]
    [InlineData("allowIMDSEndpoint: maybe", "key 'allowIMDSEndpoint' expects true or false, found 'maybe'")]
    [InlineData("port: 0x2330", "key 'port' expects a whole number written in decimal, found '0x2330'")]
    [InlineData("port: 9_016", "key 'port' expects a whole number written in decimal")]
    [InlineData("taskTimeoutSeconds: 1.5", "key 'taskTimeoutSeconds' expects a whole number written in decimal")]
    [InlineData("httpTimeoutSeconds: 1e3", "key 'httpTimeoutSeconds' expects a whole number written in decimal")]
    [InlineData("executorConcurrency: 99999999999", "key 'executorConcurrency': 99999999999 is too large")]
    [InlineData("maxRequestBodyBytes: 99999999999999999999", "key 'maxRequestBodyBytes': '99999999999999999999' is too large")]
    public void Startup_stops_naming_line_key_and_expected_type(string yaml, string expected) =>
        AssertProblemAt("runnerName: r\n" + yaml + "\n", 2, expected);

    [Fact]
    public void A_list_entry_of_the_wrong_type_is_named_by_its_own_line() =>
        AssertProblemAt("actionsAllowlist:\n  - com.datadoghq.http.request\n  - [nested]\n", 3,
            "key 'actionsAllowlist': each entry must be a single value, found a list");

    [Fact]
    public void An_empty_list_entry_is_refused() =>
        AssertProblemAt("tags:\n  - env:prod\n  -\n", 3, "key 'tags' has an empty entry");

    [Fact]
    public void A_quoted_number_is_still_a_number() =>
        Assert.Equal(8443, Parse("port: \"8443\"").Port);

    [Fact]
    public void A_number_is_accepted_as_a_name() =>
        Assert.Equal("42", Parse("runnerName: 42").RunnerName);
}

public class When_a_boolean_is_written_the_YAML_1_1_way
{
    [Theory]
    [InlineData("yes")]
    [InlineData("no")]
    [InlineData("on")]
    [InlineData("Off")]
    [InlineData("y")]
    public void Startup_stops_asking_for_true_or_false(string word) =>
        AssertProblemAt($"allowIMDSEndpoint: {word}\n", 1, $"key 'allowIMDSEndpoint': '{word}' is a YAML 1.1 boolean, which this runner does not read; write true or false");

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("FALSE", false)]
    [InlineData("\"true\"", true)]
    public void True_and_false_are_read(string word, bool expected) =>
        Assert.Equal(expected, Parse($"allowIMDSEndpoint: {word}").AllowImdsEndpoint);
}
