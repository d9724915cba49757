using Par.Executor.Actions.Http;
using Par.Shared.Contracts;
using Par.Tests.Http.Infrastructure;

namespace Par.Tests.Http;

[Collection(HttpTargetCollection.Name)]
public sealed class When_a_proxy_is_configured(HttpTargetFixture fixture) : IAsyncLifetime
{
    private TestProxy _proxy = null!;

    public async Task InitializeAsync() => _proxy = await TestProxy.StartAsync();

    public async Task DisposeAsync() => await _proxy.DisposeAsync();

    private HttpActionOptions Through(string? noProxy = null) => fixture.Options with
    {
        Proxy = EnvironmentProxy.FromEnvironment(name => name switch
        {
            "HTTP_PROXY" => _proxy.Address.ToString(),
            "NO_PROXY" => noProxy,
            _ => null,
        }),
    };

    [Fact]
    public async Task The_request_goes_through_it_in_absolute_form()
    {
        // The runner cannot resolve this name; only the proxy could. The IMDS pre-check then defers to the proxy.
        var output = await Act.RunAsync(Through(), new { verb = "GET", url = "http://only-via-proxy.test/some/path?x=1" });

        Assert.True(output.GetProperty("body").GetProperty("proxied").GetBoolean());
        Assert.Equal(["http://only-via-proxy.test/some/path?x=1"], _proxy.Targets);
    }

    [Fact]
    public async Task A_host_in_no_proxy_is_reached_directly()
    {
        var output = await Act.RunAsync(Through(noProxy: "example.com, 127.0.0.1"), new { verb = "GET", url = fixture.Target.Http("/echo") });

        Assert.Equal("GET", Act.Echo(output).GetProperty("method").GetString());
        Assert.Empty(_proxy.Targets);
    }

    [Fact]
    public async Task A_subdomain_of_a_no_proxy_entry_is_reached_directly()
    {
        var output = await Act.RunAsync(Through(noProxy: ".allowed.test"), new { verb = "GET", url = fixture.Target.Http("api.allowed.test", "/echo") });

        Assert.Equal(200, output.GetProperty("status").GetInt32());
        Assert.Empty(_proxy.Targets);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://imds.test/latest/meta-data/")]
    [InlineData("http://[fd00:ec2::254]/")]
    public async Task An_imds_target_is_refused_before_reaching_the_proxy(string url)
    {
        var error = await Act.FailsAsync(Through(), new { verb = "GET", url });

        Assert.Equal(ErrorCodes.ForbiddenDestination, error.Code);
        Assert.Empty(_proxy.Targets);
    }

    [Fact]
    public async Task The_allowlist_still_applies()
    {
        var options = Through() with { HttpAllowlist = ["allowed.test"] };

        var error = await Act.FailsAsync(options, new { verb = "GET", url = "http://only-via-proxy.test/" });

        Assert.Equal(ErrorCodes.ForbiddenDestination, error.Code);
        Assert.Empty(_proxy.Targets);
    }
}

public sealed class When_proxy_variables_are_read
{
    private static EnvironmentProxy? From(params (string Name, string Value)[] variables) =>
        EnvironmentProxy.FromEnvironment(name => variables.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void No_variable_means_no_proxy()
    {
        Assert.Null(From());
    }

    [Fact]
    public void Http_and_https_targets_use_their_own_variable()
    {
        var proxy = From(("HTTP_PROXY", "http://plain:3128"), ("HTTPS_PROXY", "http://secure:3129"))!;

        Assert.Equal(new Uri("http://plain:3128"), proxy.GetProxy(new Uri("http://a.test/")));
        Assert.Equal(new Uri("http://secure:3129"), proxy.GetProxy(new Uri("https://a.test/")));
    }

    [Fact]
    public void Lower_case_names_win_and_a_missing_scheme_means_http()
    {
        var proxy = From(("HTTP_PROXY", "http://upper:1"), ("http_proxy", "lower:2"))!;

        Assert.Equal(new Uri("http://lower:2"), proxy.GetProxy(new Uri("http://a.test/")));
    }

    [Fact]
    public void A_scheme_without_a_proxy_goes_direct()
    {
        var proxy = From(("HTTP_PROXY", "http://plain:3128"))!;

        Assert.True(proxy.IsBypassed(new Uri("https://a.test/")));
    }

    [Theory]
    [InlineData("*", "http://anything.test/", true)]
    [InlineData("corp.example", "http://corp.example/", true)]
    [InlineData("corp.example", "http://api.corp.example/", true)]
    [InlineData(".corp.example", "http://api.corp.example/", true)]
    [InlineData("corp.example", "http://notcorp.example/", false)]
    [InlineData("10.1.2.3", "http://10.1.2.3:8080/", true)]
    [InlineData("db.internal:5432", "http://db.internal/", true)]
    [InlineData("[::1]", "http://[::1]/", true)]
    public void No_proxy_entries_match_hosts_and_subdomains(string noProxy, string url, bool bypassed)
    {
        var proxy = From(("HTTP_PROXY", "http://proxy:3128"), ("NO_PROXY", noProxy))!;

        Assert.Equal(bypassed, proxy.IsBypassed(new Uri(url)));
    }

    [Fact]
    public void Credentials_in_the_proxy_url_become_proxy_credentials()
    {
        var proxy = From(("HTTPS_PROXY", "http://user:p%40ss@proxy:3128"))!;

        var credential = proxy.Credentials!.GetCredential(new Uri("http://proxy:3128"), "Basic")!;
        Assert.Equal("user", credential.UserName);
        Assert.Equal("p@ss", credential.Password);
    }
}
