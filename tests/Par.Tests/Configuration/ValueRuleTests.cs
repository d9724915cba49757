using Par.Shared.Configuration;
using static Par.Tests.Configuration.ConfigTestKit;

namespace Par.Tests.Configuration;

public class When_a_number_is_out_of_range
{
    [Theory]
    [InlineData("port: 0", "key 'port': 0 is not a port number (1-65535)")]
    [InlineData("port: 65536", "key 'port': 65536 is not a port number (1-65535)")]
    [InlineData("port: -1", "key 'port': -1 is not a port number")]
    [InlineData("httpServerWriteTimeout: -1", "key 'httpServerWriteTimeout': -1 s would expire at once; use 1 or more")]
    [InlineData("httpServerWriteTimeout: 0", "key 'httpServerWriteTimeout': 0 s would expire at once")]
    [InlineData("heartbeatIntervalSeconds: 0", "key 'heartbeatIntervalSeconds': 0 s would expire at once")]
    [InlineData("pollWaitMs: 30001", "key 'pollWaitMs': must be between 0 (the original's 1 s polling loop) and 30000 ms, not 30001")]
    [InlineData("drainTimeoutSeconds: -1", "key 'drainTimeoutSeconds': -1 is negative")]
    [InlineData("brokerReplyMode: fastest", "key 'brokerReplyMode': must be 'direct-reply-to' or 'response-queue'")]
    [InlineData("taskTimeoutSeconds: -5", "key 'taskTimeoutSeconds': -5 is negative")]
    [InlineData("httpTimeoutSeconds: -30", "key 'httpTimeoutSeconds': -30 is negative")]
    [InlineData("taskConcurrency: 0", "key 'taskConcurrency': 0 would run nothing; use 1 or more")]
    [InlineData("taskConcurrency: -2", "key 'taskConcurrency': -2 would run nothing")]
    [InlineData("executorConcurrency: 0", "key 'executorConcurrency': 0 would run nothing")]
    [InlineData("maxRequestBodyBytes: 0", "key 'maxRequestBodyBytes': 0 would refuse every request body")]
    public void Startup_stops_naming_line_key_and_range(string yaml, string expected) =>
        AssertProblemAt("runnerName: r\n" + yaml + "\n", 2, expected);

    [Fact]
    public void The_bounds_themselves_are_accepted()
    {
        Assert.Equal(1, Parse("port: 1").Port);
        Assert.Equal(65535, Parse("port: 65535").Port);
        Assert.Equal(0, Parse("taskTimeoutSeconds: 0").TaskTimeoutSeconds);
        Assert.Equal(0, Parse("httpTimeoutSeconds: 0").HttpTimeoutSeconds);
        Assert.Equal(1, Parse("taskConcurrency: 1").TaskConcurrency);
        Assert.Equal(10_000_000_000, Parse("maxRequestBodyBytes: 10000000000").MaxRequestBodyBytes);
    }
}

public class When_the_urn_is_malformed
{
    [Theory]
    [InlineData("urn:dd:apps:on-prem-runner:us1:1234567")]
    [InlineData("urn:dd:apps:runner:us1:1234567:abc")]
    [InlineData("1234567:abc")]
    [InlineData("urn:dd:apps:on-prem-runner:us1::abc")]
    public void Startup_stops_showing_the_expected_form(string urn) =>
        AssertProblemAt($"urn: \"{urn}\"\n", 1, "key 'urn': '" + urn + "' is not of the form urn:dd:apps:on-prem-runner:<region>:<orgId>:<runnerId>");

    [Fact]
    public void A_well_formed_urn_is_kept() => Assert.Equal(Urn, Parse($"urn: {Urn}").Urn);

    [Fact]
    public void No_urn_is_fine_outside_pull_mode() => Assert.Null(Parse("modes: [push]").Urn);
}

public class When_a_url_is_invalid
{
    [Theory]
    [InlineData("app.datadoghq.com")]
    [InlineData("/api")]
    [InlineData("ftp://app.datadoghq.com")]
    [InlineData("https://")]
    public void A_bad_ddBaseURL_stops_startup(string url) =>
        AssertProblemAt($"ddBaseURL: \"{url}\"\n", 1, "key 'ddBaseURL': '" + url + "' is not an absolute http(s) URL");

    [Theory]
    [InlineData("http://rabbit:5672")]
    [InlineData("rabbit:5672")]
    [InlineData("memory")]
    public void A_brokerUrl_that_is_not_amqp_or_in_memory_stops_startup(string url) =>
        AssertProblemAt($"brokerUrl: \"{url}\"\n", 1, "key 'brokerUrl': must be an amqp://host or amqps://host URL, or the word in-memory");

    [Fact]
    public void A_refused_brokerUrl_is_not_echoed_because_it_may_hold_a_password()
    {
        var message = Problem("brokerUrl: rabbitmq://par:hunter2@rabbit\n");
        Assert.DoesNotContain("hunter2", message);
    }

    [Theory]
    [InlineData("in-memory")]
    [InlineData("IN-MEMORY")]
    [InlineData("amqp://rabbit")]
    [InlineData("amqps://par:secret@rabbit.internal:5671/par")]
    public void Amqp_amqps_and_in_memory_are_accepted(string url) =>
        Assert.Equal(url, Parse($"brokerUrl: \"{url}\"").BrokerUrl);

    [Fact]
    public void A_jwks_url_must_be_http_but_a_path_is_left_to_its_reader()
    {
        AssertProblemAt("controlPlaneJwks: ftp://cp/jwks\n", 1, "key 'controlPlaneJwks': 'ftp://cp/jwks' is neither a path nor an absolute http(s) URL");
        Assert.Equal("keys/jwks.json", Parse("controlPlaneJwks: keys/jwks.json").ControlPlaneJwks);
        Assert.Equal("https://cp.example/jwks", Parse("controlPlaneJwks: https://cp.example/jwks").ControlPlaneJwks);
    }
}

public class When_an_allowed_origin_is_not_an_origin
{
    [Theory]
    [InlineData("https://app.datadoghq.com/")]
    [InlineData("https://app.datadoghq.com/apps")]
    [InlineData("app.datadoghq.com")]
    [InlineData("ftp://app.datadoghq.com")]
    [InlineData("https://*.datadoghq.com")]
    public void Startup_stops_showing_what_an_origin_looks_like(string origin) =>
        AssertProblemAt($"allowedOrigins:\n  - https://ok.example\n  - \"{origin}\"\n", 3,
            $"key 'allowedOrigins': '{origin}' is not an origin (scheme://host[:port] with no path or trailing slash");

    [Fact]
    public void A_wildcard_is_refused_with_the_reason() =>
        AssertProblemAt("allowedOrigins: ['*']\n", 1,
            "key 'allowedOrigins': '*' is refused: push requests carry a user's token, and a wildcard would let any web page");

    [Fact]
    public void The_null_origin_is_refused() =>
        AssertProblemAt("allowedOrigins: ['null']\n", 1, "key 'allowedOrigins': 'null' is refused");

    [Fact]
    public void Origins_with_and_without_port_are_kept() =>
        Assert.Equal(["https://app.datadoghq.com", "http://localhost:3000"],
            Parse("allowedOrigins: [https://app.datadoghq.com, http://localhost:3000]").AllowedOrigins);
}

public class When_a_tag_is_not_key_value
{
    [Theory]
    [InlineData("prod")]
    [InlineData(":prod")]
    [InlineData("env:")]
    [InlineData("env :prod")]
    public void Startup_stops_showing_the_expected_form(string tag) =>
        AssertProblemAt($"tags:\n  - \"{tag}\"\n", 2, $"key 'tags': '{tag}' is not of the form key:value (e.g. env:prod)");

    [Fact]
    public void Key_value_tags_are_kept_even_with_a_colon_in_the_value() =>
        Assert.Equal(["env:prod", "url:https://x"], Parse("tags: [\"env:prod\", \"url:https://x\"]").Tags);
}

public class When_an_allowlist_entry_is_not_an_action_name
{
    [Theory]
    [InlineData("com.datadoghq.http request")]
    [InlineData("request")]
    [InlineData("com..datadoghq")]
    [InlineData("com.datadoghq.http.request.")]
    public void Startup_stops_naming_the_entry_and_its_line(string entry) =>
        AssertProblemAt($"actionsAllowlist:\n  - com.datadoghq.http.request\n  - \"{entry}\"\n", 3,
            $"key 'actionsAllowlist': '{entry}' is not an action name (dot-separated letters and digits, e.g. com.datadoghq.http.request)");

    [Fact]
    public void A_wildcard_gets_a_hint() =>
        AssertProblemAt("actionsAllowlist: [com.datadoghq.kubernetes.*]\n", 1, "wildcards are not supported, list each action");

    [Fact]
    public void Action_names_are_kept_in_order() =>
        Assert.Equal(["com.datadoghq.http.request", "com.datadoghq.kubernetes.core.listPod"],
            Parse("actionsAllowlist:\n  - com.datadoghq.http.request\n  - com.datadoghq.kubernetes.core.listPod\n").ActionsAllowlist);
}

public class When_other_values_are_malformed
{
    [Theory]
    [InlineData("httpAllowlist: [\"https://api.example.com\"]", 1, "key 'httpAllowlist': 'https://api.example.com' is not a hostname glob")]
    [InlineData("bindAddress: everywhere", 1, "key 'bindAddress': 'everywhere' is not an IP address")]
    [InlineData("brokerQueue: run action", 1, "key 'brokerQueue': 'run action' is not a queue name")]
    public void Startup_stops_naming_line_and_key(string yaml, int line, string expected) =>
        AssertProblemAt(yaml, line, expected);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::")]
    [InlineData("localhost")]
    public void Ip_addresses_and_localhost_are_bind_addresses(string address) =>
        Assert.Equal(address, Parse($"bindAddress: \"{address}\"").BindAddress);
}
