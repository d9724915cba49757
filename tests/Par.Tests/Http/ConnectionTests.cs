using System.Text;
using Par.Executor.Credentials;
using Par.Shared.Contracts;
using Par.Tests.Http.Infrastructure;

namespace Par.Tests.Http;

[Collection(HttpTargetCollection.Name)]
public sealed class When_a_connection_is_used(HttpTargetFixture fixture)
{
    private const string Token = "tok-S3cr3t-value-123";

    private static readonly TokenCredential Tokens = new(new Dictionary<string, string> { ["apiKey"] = Token, ["team"] = "payments" });

    private ConnectionRef Connection(string? baseUrl = null, HeaderValue[]? headers = null, Dictionary<string, string>? urlParams = null) => new()
    {
        Id = "conn-1",
        Integration = "http",
        CredentialsFile = "http/tokens.json",
        BaseUrl = baseUrl,
        Headers = headers,
        UrlParams = urlParams,
    };

    [Fact]
    public async Task Basic_credentials_become_an_authorization_header_replacing_the_actions()
    {
        var output = await Act.RunAsync(fixture.Options, new
        {
            verb = "GET",
            url = fixture.Target.Http("/echo"),
            requestHeaders = new[] { new { key = "authorization", value = new[] { "Bearer from-inputs" } } },
        }, Connection(), new BasicCredential("alice", "pa:ss wörd"));

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:pa:ss wörd"));
        Assert.Equal(expected, Act.Header(Act.Echo(output), "authorization"));
    }

    [Fact]
    public async Task Token_placeholders_in_headers_and_url_params_are_filled()
    {
        var connection = Connection(
            headers: [new HeaderValue("Authorization", ["Bearer {{ apiKey }}"]), new HeaderValue("X-Team", ["{{team}}"])],
            urlParams: new() { ["api_key"] = "{{ apiKey }}" });

        var output = await Act.RunAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Http("/echo") }, connection, Tokens);

        var echo = Act.Echo(output);
        Assert.Equal($"Bearer {Token}", Act.Header(echo, "authorization"));
        Assert.Equal("payments", Act.Header(echo, "x-team"));
        Assert.Equal(Token, echo.GetProperty("queryValues").GetProperty("api_key")[0].GetString());
    }

    [Fact]
    public async Task Connection_values_override_the_actions_same_named_ones()
    {
        var connection = Connection(
            headers: [new HeaderValue("x-api-key", ["{{ apiKey }}"])],
            urlParams: new() { ["tenant"] = "from-connection" });

        var output = await Act.RunAsync(fixture.Options, new
        {
            verb = "GET",
            url = fixture.Target.Http("/echo?tenant=from-url&other=1"),
            requestHeaders = new[] { new { key = "X-API-KEY", value = new[] { "from-inputs" } } },
            urlParams = new[] { new { key = "tenant", value = "from-inputs" } },
        }, connection, Tokens);

        var echo = Act.Echo(output);
        Assert.Equal(Token, Act.Header(echo, "x-api-key"));
        Assert.Equal(["from-connection"], echo.GetProperty("queryValues").GetProperty("tenant").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("1", echo.GetProperty("queryValues").GetProperty("other")[0].GetString());
    }

    [Fact]
    public async Task Placeholders_in_the_actions_own_inputs_are_not_filled()
    {
        var output = await Act.RunAsync(fixture.Options, new
        {
            verb = "GET",
            url = fixture.Target.Http("/echo"),
            requestHeaders = new[] { new { key = "X-Exfiltrate", value = new[] { "{{ apiKey }}" } } },
        }, Connection(), Tokens);

        Assert.Equal("{{ apiKey }}", Act.Header(Act.Echo(output), "x-exfiltrate"));
    }

    [Fact]
    public async Task An_unknown_token_is_a_credentials_error_naming_it_but_no_value()
    {
        var connection = Connection(headers: [new HeaderValue("Authorization", ["Bearer {{ apiToken }}"])]);

        var error = await Act.FailsAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Http("/echo") }, connection, Tokens);

        Assert.Equal(ErrorCodes.CredentialsError, error.Code);
        Assert.Contains("'apiToken'", error.Message);
        Assert.Contains("conn-1", error.Message);
        Assert.DoesNotContain(Token, error.Message);
    }

    [Fact]
    public async Task Placeholders_without_token_credentials_are_a_credentials_error()
    {
        var connection = Connection(headers: [new HeaderValue("Authorization", ["Bearer {{ apiKey }}"])]);

        var error = await Act.FailsAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Http("/echo") }, connection, new BasicCredential("u", "p"));

        Assert.Equal(ErrorCodes.CredentialsError, error.Code);
    }

    [Fact]
    public async Task A_denied_header_in_the_connection_is_refused()
    {
        var connection = Connection(headers: [new HeaderValue("X-Forwarded-For", ["10.0.0.1"])]);

        var error = await Act.FailsAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Http("/echo") }, connection, Tokens);

        Assert.Equal(ErrorCodes.InvalidInputs, error.Code);
        Assert.Contains("'X-Forwarded-For'", error.Message);
    }

    [Fact]
    public async Task A_url_on_the_base_url_is_accepted()
    {
        var output = await Act.RunAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Http("/echo") },
            Connection(baseUrl: fixture.Target.Http("/api/")), Tokens);

        Assert.Equal(200, output.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("other.test", "http")]
    [InlineData("127.0.0.1", "https")]
    public async Task A_url_off_the_base_url_is_refused(string host, string scheme)
    {
        var url = $"{scheme}://{host}:{fixture.Target.HttpPort}/echo";

        var error = await Act.FailsAsync(fixture.Options, new { verb = "GET", url }, Connection(baseUrl: fixture.Target.Http("/")), Tokens);

        Assert.Equal(ErrorCodes.ForbiddenDestination, error.Code);
        Assert.Contains("base URL", error.Message);
    }

    [Fact]
    public async Task A_different_port_is_off_the_base_url()
    {
        var error = await Act.FailsAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Http("/echo") },
            Connection(baseUrl: "http://127.0.0.1:1/"), Tokens);

        Assert.Equal(ErrorCodes.ForbiddenDestination, error.Code);
    }

    [Fact]
    public async Task Connection_headers_are_not_sent_to_another_host_after_a_redirect()
    {
        var connection = Connection(headers: [new HeaderValue("X-Api-Key", ["{{ apiKey }}"])]);
        var url = fixture.Target.Http($"/redirect?to={Uri.EscapeDataString(fixture.Target.Http("other.test", "/echo"))}");

        var output = await Act.RunAsync(fixture.Options, new { verb = "GET", url }, connection, Tokens);

        Assert.Null(Act.Header(Act.Echo(output), "x-api-key"));
    }

    [Fact]
    public async Task Credentials_without_a_connection_are_ignored()
    {
        var output = await Act.RunAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Http("/echo") }, null, new BasicCredential("u", "secretpw"));

        Assert.Null(Act.Header(Act.Echo(output), "authorization"));
    }
}

[Collection(HttpTargetCollection.Name)]
public sealed class When_an_error_could_reveal_a_secret(HttpTargetFixture fixture)
{
    private const string Token = "tok-S3cr3t-value-123";
    private const string Password = "Pa55-w0rd-secret";

    private static readonly ConnectionRef Connection = new()
    {
        Id = "conn-1",
        Integration = "http",
        Headers = [new HeaderValue("X-Api-Key", ["{{ apiKey }}"])],
        UrlParams = new Dictionary<string, string> { ["key"] = "{{ apiKey }}" },
    };

    private static readonly TokenCredential Tokens = new(new Dictionary<string, string> { ["apiKey"] = Token });

    [Fact]
    public async Task A_status_error_masks_a_token_the_server_echoes_back()
    {
        var error = await Act.FailsAsync(fixture.Options,
            new { verb = "GET", url = fixture.Target.Http("/status/401?body=you+sent+&echo=X-Api-Key&header=X-Api-Key") }, Connection, Tokens);

        Assert.Equal(ErrorCodes.HttpStatus, error.Code);
        var details = error.Details!.Value.GetRawText();
        Assert.DoesNotContain(Token, details);
        Assert.Contains("you sent ***", details);
        Assert.DoesNotContain(Token, error.Message);
    }

    [Fact]
    public async Task A_status_error_masks_basic_credentials_the_server_echoes_back()
    {
        var basic = new ConnectionRef { Id = "conn-2", Integration = "http" };

        var error = await Act.FailsAsync(fixture.Options,
            new { verb = "GET", url = fixture.Target.Http("/status/403?echo=Authorization") }, basic, new BasicCredential("bob", Password));

        var details = error.Details!.Value.GetRawText();
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"bob:{Password}")), details);
        Assert.Contains("Basic ***", details);
    }

    [Theory]
    [InlineData("/slow", ErrorCodes.Timeout)]
    [InlineData("/bytes?count=100000", ErrorCodes.OutputTooLarge)]
    [InlineData("/status/500", ErrorCodes.HttpStatus)]
    public async Task No_failure_message_contains_the_token(string path, string code)
    {
        var options = fixture.Options with { HttpTimeoutSeconds = 1, MaxOutputBytes = 1000 };

        var error = await Act.FailsAsync(options, new { verb = "GET", url = fixture.Target.Http(path) }, Connection, Tokens);

        Assert.Equal(code, error.Code);
        Assert.DoesNotContain(Token, error.Message);
        Assert.DoesNotContain(Token, error.Details?.GetRawText() ?? "");
    }

    [Fact]
    public async Task A_connection_failure_message_does_not_contain_the_token()
    {
        var error = await Act.FailsAsync(fixture.Options, new { verb = "GET", url = "http://127.0.0.1:1/" }, Connection, Tokens);

        Assert.Equal(ErrorCodes.HttpError, error.Code);
        Assert.DoesNotContain(Token, error.Message);
    }
}
