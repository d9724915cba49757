using System.Diagnostics;
using System.Net;
using Par.Executor.Actions.Http;
using Par.Shared.Contracts;
using Par.Tests.Http.Infrastructure;

namespace Par.Tests.Http;

public sealed class When_the_url_is_an_imds_address
{
    private static readonly HttpActionOptions Options = new() { Proxy = null, ResolveHost = TestDns.Resolve, HttpTimeoutSeconds = 30 };

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/")]
    [InlineData("https://169.254.169.254/")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    [InlineData("http://[::ffff:a9fe:a9fe]/")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/")]
    [InlineData("http://2852039166/")]
    [InlineData("http://169.254.169.254:8080/")]
    public async Task It_is_refused_before_connecting(string url)
    {
        var watch = Stopwatch.StartNew();
        var error = await Act.FailsAsync(Options, new { verb = "GET", url });

        Assert.Equal(ErrorCodes.ForbiddenDestination, error.Code);
        Assert.Contains("metadata", error.Message);
        // A connection attempt to an unroutable address would hang until the timeout.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("169.254.169.254", true)]
    [InlineData("fd00:ec2::254", true)]
    [InlineData("fd00:ec2::254%3", true)]
    [InlineData("::ffff:169.254.169.254", true)]
    [InlineData("::169.254.169.254", true)]
    [InlineData("64:ff9b::169.254.169.254", true)]
    [InlineData("169.254.169.253", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fd00:ec2::253", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    public void The_address_check_knows_every_form(string address, bool isImds)
    {
        Assert.Equal(isImds, ImdsAddresses.Contains(IPAddress.Parse(address)));
    }
}

public sealed class When_the_url_resolves_to_imds
{
    private static readonly HttpActionOptions Options = new() { Proxy = null, ResolveHost = TestDns.Resolve };

    [Theory]
    [InlineData("http://imds.test/latest/meta-data/")]
    [InlineData("http://imds6.test/")]
    [InlineData("http://mapped-imds.test/")]
    [InlineData("http://mixed-imds.test/")]
    [InlineData("https://imds.test/")]
    public async Task It_is_refused_before_connecting(string url)
    {
        var error = await Act.FailsAsync(Options, new { verb = "GET", url });

        Assert.Equal(ErrorCodes.ForbiddenDestination, error.Code);
        Assert.Contains("metadata", error.Message);
    }
}

[Collection(HttpTargetCollection.Name)]
public sealed class When_a_redirect_leads_to_imds(HttpTargetFixture fixture)
{
    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://imds.test/latest/meta-data/")]
    [InlineData("http://[fd00:ec2::254]/")]
    public async Task It_is_refused(string location)
    {
        var url = fixture.Target.Http($"/redirect?to={Uri.EscapeDataString(location)}");

        var error = await Act.FailsAsync(fixture.Options, new { verb = "GET", url });

        Assert.Equal(ErrorCodes.ForbiddenDestination, error.Code);
    }
}

public sealed class When_imds_is_allowed : IAsyncLifetime
{
    private TestProxy _proxy = null!;

    public async Task InitializeAsync() => _proxy = await TestProxy.StartAsync();

    public async Task DisposeAsync() => await _proxy.DisposeAsync();

    [Fact]
    public async Task It_is_not_refused()
    {
        // Through the in-test proxy, so that nothing ever connects to the metadata address itself (on some build
        // machines something answers there).
        var options = new HttpActionOptions
        {
            ResolveHost = TestDns.Resolve,
            AllowImdsEndpoint = true,
            Proxy = EnvironmentProxy.FromEnvironment(name => name == "HTTP_PROXY" ? _proxy.Address.ToString() : null),
        };

        var output = await Act.RunAsync(options, new { verb = "GET", url = "http://169.254.169.254/latest/meta-data/" });

        Assert.True(output.GetProperty("body").GetProperty("proxied").GetBoolean());
        Assert.Equal(["http://169.254.169.254/latest/meta-data/"], _proxy.Targets);
    }
}

[Collection(HttpTargetCollection.Name)]
public sealed class When_an_http_allowlist_is_set(HttpTargetFixture fixture)
{
    private HttpActionOptions Allow(params string[] hosts) => fixture.Options with { HttpAllowlist = hosts };

    [Fact]
    public async Task An_exact_host_is_allowed_whatever_its_case()
    {
        var output = await Act.RunAsync(Allow("ALLOWED.test"), new { verb = "GET", url = fixture.Target.Http("allowed.test", "/echo") });

        Assert.Equal(200, output.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("api.allowed.test")]
    [InlineData("deep.api.allowed.test")]
    public async Task A_glob_allows_matching_hosts(string host)
    {
        var output = await Act.RunAsync(Allow("*.allowed.test"), new { verb = "GET", url = fixture.Target.Http(host, "/echo") });

        Assert.Equal(200, output.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Another_host_is_refused_naming_it_and_the_setting()
    {
        var before = fixture.Target.Received.Count;

        var error = await Act.FailsAsync(Allow("allowed.test", "*.allowed.test"), new { verb = "GET", url = fixture.Target.Http("denied.test", "/echo") });

        Assert.Equal(ErrorCodes.ForbiddenDestination, error.Code);
        Assert.Contains("'denied.test'", error.Message);
        Assert.Contains("httpAllowlist", error.Message);
        Assert.DoesNotContain(fixture.Target.Received.Skip(before), r => r.Contains("denied.test"));
    }

    [Fact]
    public async Task A_glob_does_not_cover_the_bare_domain()
    {
        var error = await Act.FailsAsync(Allow("*.allowed.test"), new { verb = "GET", url = fixture.Target.Http("allowed.test", "/echo") });

        Assert.Equal(ErrorCodes.ForbiddenDestination, error.Code);
    }

    [Fact]
    public async Task A_redirect_to_a_host_outside_it_is_refused()
    {
        var url = fixture.Target.Http("allowed.test", $"/redirect?to={Uri.EscapeDataString(fixture.Target.Http("denied.test", "/echo"))}");

        var error = await Act.FailsAsync(Allow("allowed.test"), new { verb = "GET", url });

        Assert.Equal(ErrorCodes.ForbiddenDestination, error.Code);
        Assert.Contains("'denied.test'", error.Message);
    }

    [Theory]
    [InlineData("*", "anything.example", true)]
    [InlineData("*.example.com", "a.example.com", true)]
    [InlineData("*.example.com", "a.b.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "evilexample.com", false)]
    [InlineData("*.example.com", "a.example.com.evil.test", false)]
    [InlineData("api-*.corp", "api-eu.corp", true)]
    [InlineData("api-*.corp", "web-eu.corp", false)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    [InlineData("example.com", "EXAMPLE.com.", true)]
    [InlineData("10.0.0.5", "10.0.0.5", true)]
    public void The_matching_rules_hold(string pattern, string host, bool allowed)
    {
        Assert.Equal(allowed, new HostAllowlist([pattern]).Allows(host));
    }

    [Fact]
    public void An_empty_list_allows_every_host()
    {
        Assert.True(new HostAllowlist([]).Allows("any.host"));
    }
}
