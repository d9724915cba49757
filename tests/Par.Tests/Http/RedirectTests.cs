using Par.Shared.Contracts;
using Par.Tests.Http.Infrastructure;

namespace Par.Tests.Http;

[Collection(HttpTargetCollection.Name)]
public sealed class When_the_target_redirects(HttpTargetFixture fixture)
{
    private string RedirectTo(string to, int code = 302) => fixture.Target.Http($"/redirect?code={code}&to={Uri.EscapeDataString(to)}");

    [Fact]
    public async Task The_final_response_is_returned()
    {
        var output = await Act.RunAsync(fixture.Options, new { verb = "GET", url = RedirectTo("/echo?landed=1") });

        Assert.Equal(200, output.GetProperty("status").GetInt32());
        Assert.Equal("?landed=1", Act.Echo(output).GetProperty("query").GetString());
    }

    [Fact]
    public async Task With_followRedirect_false_the_redirect_itself_is_returned()
    {
        var output = await Act.RunAsync(fixture.Options, new { verb = "GET", url = RedirectTo("/echo"), followRedirect = false });

        Assert.Equal(302, output.GetProperty("status").GetInt32());
        Assert.Equal("/echo", output.GetProperty("headers").GetProperty("location").GetString());
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    public async Task A_post_becomes_a_get_without_body(int code)
    {
        var output = await Act.RunAsync(fixture.Options, new { verb = "POST", url = RedirectTo("/echo", code), body = "payload" });

        var echo = Act.Echo(output);
        Assert.Equal("GET", echo.GetProperty("method").GetString());
        Assert.Equal("", echo.GetProperty("body").GetString());
        Assert.Null(Act.Header(echo, "content-type"));
    }

    [Theory]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_307_or_308_keeps_method_and_body(int code)
    {
        var output = await Act.RunAsync(fixture.Options, new { verb = "PUT", url = RedirectTo("/echo", code), body = new { keep = true } });

        var echo = Act.Echo(output);
        Assert.Equal("PUT", echo.GetProperty("method").GetString());
        Assert.Equal("""{"keep":true}""", echo.GetProperty("body").GetString());
    }

    [Fact]
    public async Task A_head_stays_a_head_on_303()
    {
        var output = await Act.RunAsync(fixture.Options, new { verb = "HEAD", url = RedirectTo("/echo", 303) });

        Assert.Equal(200, output.GetProperty("status").GetInt32());
        Assert.Contains(fixture.Target.Received, r => r.StartsWith("HEAD ", StringComparison.Ordinal) && r.EndsWith("/echo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Authorization_and_cookies_are_dropped_when_the_host_changes()
    {
        var output = await Act.RunAsync(fixture.Options, new
        {
            verb = "GET",
            url = RedirectTo(fixture.Target.Http("other.test", "/echo")),
            requestHeaders = new[]
            {
                new { key = "Authorization", value = new[] { "Bearer abc" } },
                new { key = "Cookie", value = new[] { "session=1" } },
                new { key = "X-Kept", value = new[] { "yes" } },
            },
        });

        var echo = Act.Echo(output);
        Assert.StartsWith("other.test:", echo.GetProperty("host").GetString());
        Assert.Null(Act.Header(echo, "authorization"));
        Assert.Null(Act.Header(echo, "cookie"));
        Assert.Equal("yes", Act.Header(echo, "x-kept"));
    }

    [Fact]
    public async Task Authorization_is_kept_on_the_same_host()
    {
        var output = await Act.RunAsync(fixture.Options, new
        {
            verb = "GET",
            url = RedirectTo("/echo"),
            requestHeaders = new[] { new { key = "Authorization", value = new[] { "Bearer abc" } } },
        });

        Assert.Equal("Bearer abc", Act.Header(Act.Echo(output), "authorization"));
    }

    [Fact]
    public async Task Ten_redirects_are_followed()
    {
        var output = await Act.RunAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Http("/chain/10") });

        Assert.Equal("end of chain", output.GetProperty("body").GetString());
    }

    [Fact]
    public async Task An_eleventh_redirect_fails()
    {
        var error = await Act.FailsAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Http("/chain/11") });

        Assert.Equal(ErrorCodes.HttpError, error.Code);
        Assert.Contains("10 redirects", error.Message);
    }

    [Fact]
    public async Task A_redirect_to_another_scheme_fails()
    {
        var error = await Act.FailsAsync(fixture.Options, new { verb = "GET", url = RedirectTo("file:///etc/passwd") });

        Assert.Equal(ErrorCodes.HttpError, error.Code);
    }
}
