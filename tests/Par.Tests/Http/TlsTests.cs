using Par.Shared.Contracts;
using Par.Tests.Http.Infrastructure;

namespace Par.Tests.Http;

[Collection(HttpTargetCollection.Name)]
public sealed class When_the_target_uses_tls(HttpTargetFixture fixture)
{
    [Fact]
    public async Task A_certificate_from_a_trusted_private_ca_is_accepted()
    {
        var output = await Act.RunAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Https("valid.test", "/echo") });

        Assert.Equal(200, output.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_certificate_from_an_unknown_ca_is_refused()
    {
        var options = fixture.Options with { TrustedRootCertificates = [] };

        var error = await Act.FailsAsync(options, new { verb = "GET", url = fixture.Target.Https("valid.test", "/echo") });

        Assert.Equal(ErrorCodes.HttpError, error.Code);
        Assert.Contains("certificate", error.Message);
    }

    [Fact]
    public async Task An_expired_certificate_is_refused_with_a_hint()
    {
        var error = await Act.FailsAsync(fixture.Options, new { verb = "GET", url = fixture.Target.Https("expired.test", "/echo") });

        Assert.Equal(ErrorCodes.HttpError, error.Code);
        Assert.Contains("NotTimeValid", error.Message);
        Assert.Contains("allowExpiredCertificate", error.Message);
    }

    [Fact]
    public async Task An_expired_certificate_is_accepted_with_allowExpiredCertificate()
    {
        var output = await Act.RunAsync(fixture.Options, new
        {
            verb = "GET",
            url = fixture.Target.Https("expired.test", "/echo"),
            allowExpiredCertificate = true,
        });

        Assert.Equal(200, output.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task AllowExpiredCertificate_does_not_forgive_an_untrusted_issuer()
    {
        var error = await Act.FailsAsync(fixture.Options, new
        {
            verb = "GET",
            url = fixture.Target.Https("untrusted.test", "/echo"),
            allowExpiredCertificate = true,
        });

        Assert.Equal(ErrorCodes.HttpError, error.Code);
        Assert.Contains("chain", error.Message);
    }

    [Fact]
    public async Task AllowExpiredCertificate_does_not_forgive_a_wrong_name()
    {
        var error = await Act.FailsAsync(fixture.Options, new
        {
            verb = "GET",
            url = fixture.Target.Https("wrongname.test", "/echo"),
            allowExpiredCertificate = true,
        });

        Assert.Equal(ErrorCodes.HttpError, error.Code);
        Assert.Contains("does not name the host", error.Message);
    }

    [Fact]
    public async Task Connections_are_reused_across_calls_of_one_action()
    {
        using var action = new Par.Executor.Actions.Http.HttpRequestAction(fixture.Options);
        var inputs = Act.Inputs(new { verb = "GET", url = fixture.Target.Https("valid.test", "/echo") });
        var context = new Par.Executor.Actions.ActionContext(inputs, null, null);

        var outputs = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => action.RunAsync(context, CancellationToken.None)));

        Assert.All(outputs, o => Assert.Equal(200, o.GetProperty("status").GetInt32()));
    }
}
