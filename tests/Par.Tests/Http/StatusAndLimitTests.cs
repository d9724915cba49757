using System.Diagnostics;
using Par.Executor.Actions;
using Par.Executor.Actions.Http;
using Par.Shared.Contracts;
using Par.Tests.Http.Infrastructure;

namespace Par.Tests.Http;

[Collection(HttpTargetCollection.Name)]
public sealed class When_the_status_is_an_error(HttpTargetFixture fixture)
{
    [Fact]
    public async Task A_4xx_fails_by_default_with_status_body_and_headers_in_details()
    {
        var error = await Act.FailsAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Http("/status/404?body=missing") });

        Assert.Equal(ErrorCodes.HttpStatus, error.Code);
        Assert.Contains("status 404", error.Message);
        var details = error.Details!.Value;
        Assert.Equal(404, details.GetProperty("status").GetInt32());
        Assert.Equal("missing", details.GetProperty("body").GetString());
        Assert.Equal("Kestrel", details.GetProperty("headers").GetProperty("server").GetString());
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(204)]
    [InlineData(304)]
    [InlineData(399)]
    public async Task A_status_below_400_succeeds_by_default(int status)
    {
        var output = await Act.RunAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Http($"/status/{status}"), followRedirect = false });

        Assert.Equal(status, output.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task A_5xx_fails_by_default(int status)
    {
        var error = await Act.FailsAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Http($"/status/{status}") });

        Assert.Equal(ErrorCodes.HttpStatus, error.Code);
        Assert.Contains($"status {status}", error.Message);
    }

    [Fact]
    public async Task The_body_in_details_is_cut_to_750_characters()
    {
        var error = await Act.FailsAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Http("/status/500?repeat=5000&char=x") });

        Assert.Equal(new string('x', 750), error.Details!.Value.GetProperty("body").GetString());
    }

    [Fact]
    public async Task The_cut_does_not_split_a_character()
    {
        // "é" is two UTF-8 bytes but one character: 750 of them must come back whole.
        var error = await Act.FailsAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Http("/status/500?repeat=2000&char=%C3%A9") });

        Assert.Equal(new string('é', 750), error.Details!.Value.GetProperty("body").GetString());
    }
}

[Collection(HttpTargetCollection.Name)]
public sealed class When_errorOnStatus_is_given(HttpTargetFixture fixture)
{
    [Theory]
    [InlineData("400-499", 404, true)]
    [InlineData("400-499", 500, false)]
    [InlineData("500,502-504", 503, true)]
    [InlineData("500,502-504", 500, true)]
    [InlineData("500,502-504", 501, false)]
    [InlineData("500,502-504", 404, false)]
    [InlineData(" 418 ", 418, true)]
    [InlineData("200", 200, true)]
    [InlineData("", 404, true)]
    public async Task Only_the_listed_statuses_fail(string errorOnStatus, int status, bool fails)
    {
        var inputs = new { verb = "GET", url = fixture.Target.Http($"/status/{status}"), errorOnStatus };

        if (fails)
            Assert.Equal(ErrorCodes.HttpStatus, (await Act.FailsAsync(fixture.Options, inputs)).Code);
        else
            Assert.Equal(status, (await Act.RunAsync(fixture.Options, inputs)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_number_is_accepted()
    {
        var error = await Act.FailsAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Http("/status/202"), errorOnStatus = 202 });

        Assert.Equal(ErrorCodes.HttpStatus, error.Code);
    }

    [Theory]
    [InlineData("4xx")]
    [InlineData("abc")]
    [InlineData("600")]
    [InlineData("99")]
    [InlineData("499-400")]
    [InlineData("400-")]
    [InlineData("-400")]
    public async Task A_malformed_list_is_refused(string errorOnStatus)
    {
        var error = await Act.FailsAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Http("/status/200"), errorOnStatus });

        Assert.Equal(ErrorCodes.InvalidInputs, error.Code);
        Assert.Contains("errorOnStatus", error.Message);
    }
}

[Collection(HttpTargetCollection.Name)]
public sealed class When_the_response_body_is_too_large(HttpTargetFixture fixture)
{
    private HttpActionOptions Capped => fixture.Options with { MaxOutputBytes = 1024 };

    [Theory]
    [InlineData("")]
    [InlineData("&chunked=1")]
    public async Task One_byte_over_the_cap_fails(string chunked)
    {
        var error = await Act.FailsAsync(Capped, new { verb = "GET", url = fixture.Target.Http($"/bytes?count=1025{chunked}"), responseParsing = "text" });

        Assert.Equal(ErrorCodes.OutputTooLarge, error.Code);
        Assert.Contains("1024", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("&chunked=1")]
    public async Task Exactly_the_cap_succeeds(string chunked)
    {
        var output = await Act.RunAsync(Capped, new { verb = "GET", url = fixture.Target.Http($"/bytes?count=1024{chunked}"), responseParsing = "text" });

        Assert.Equal(1024, output.GetProperty("body").GetString()!.Length);
    }

    [Fact]
    public async Task Reading_stops_at_the_cap_instead_of_buffering_everything()
    {
        const long huge = 2L * 1024 * 1024 * 1024;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var error = await Act.FailsAsync(Capped with { MaxOutputBytes = 64 * 1024 },
            new { verb = "GET", url = fixture.Target.Http($"/bytes?count={huge}&chunked=1") });

        Assert.Equal(ErrorCodes.OutputTooLarge, error.Code);
        // Process-wide, so other tests running meanwhile count too; buffering the body would count 2 GiB.
        Assert.InRange(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore, 0, 256L * 1024 * 1024);
    }
}

[Collection(HttpTargetCollection.Name)]
public sealed class When_the_target_is_slow_or_unreachable(HttpTargetFixture fixture)
{
    [Fact]
    public async Task It_times_out_after_httpTimeoutSeconds()
    {
        var watch = Stopwatch.StartNew();

        var error = await Act.FailsAsync(fixture.Options with { HttpTimeoutSeconds = 1 }, new { verb = "GET", url = fixture.Target.Http("/slow") });

        Assert.Equal(ErrorCodes.Timeout, error.Code);
        Assert.Contains("1 s", error.Message);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_cancellation_by_the_caller_is_not_reported_as_a_timeout()
    {
        using var action = new HttpRequestAction(fixture.Options);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var context = new ActionContext(Act.Inputs(new { verb = "GET", url = fixture.Target.Http("/slow") }), null, null);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => action.RunAsync(context, cancel.Token));
    }

    [Fact]
    public async Task A_refused_connection_is_an_http_error_naming_the_host()
    {
        var error = await Act.FailsAsync(fixture.Options, new { verb = "GET", url = "http://127.0.0.1:1/" });

        Assert.Equal(ErrorCodes.HttpError, error.Code);
        Assert.Contains("127.0.0.1", error.Message);
    }

    [Fact]
    public async Task An_unknown_host_is_an_http_error()
    {
        var error = await Act.FailsAsync(fixture.Options, new { verb = "GET", url = "http://nowhere.test/" });

        Assert.Equal(ErrorCodes.HttpError, error.Code);
        Assert.Contains("nowhere.test", error.Message);
    }
}
