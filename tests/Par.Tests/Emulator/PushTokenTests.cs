using System.Net;
using System.Net.Http.Json;
using Par.Emulator.Endpoints;
using Par.Shared.ControlPlane;
using Par.Shared.Contracts;
using Par.Shared.Security;

namespace Par.Tests.Emulator;

public class When_a_push_token_is_minted : IAsyncLifetime
{
    private EmulatorHost _emulator = null!;

    public async Task InitializeAsync() => _emulator = await EmulatorHost.StartAsync();
    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task It_verifies_against_the_jwks_and_is_scoped_to_the_runner_action_and_connection()
    {
        var runner = await _emulator.EnrollAsync();
        var connection = new ConnectionRef { Id = "c1", Integration = "http", CredentialsFile = "http.json", BaseUrl = "https://svc.internal" };
        using var response = await _emulator.Client.PostAsJsonAsync("/admin/tokens", new NewTokenRequest("com.datadoghq.http.request", connection));
        var minted = (await response.Content.ReadFromJsonAsync<NewTokenResponse>())!;

        var jwks = Jwks.Parse(await _emulator.Client.GetStringAsync(PullPaths.Jwks));
        var verified = await Es256Jws.VerifyAsync(minted.Token, jwks);
        var claims = verified.Payload;
        var urn = new RunnerUrn(_emulator.Options.Region, _emulator.Options.OrgId, runner.RunnerId).ToString();

        Assert.Equal(jwks.Keys[0].Kid, verified.Kid);
        Assert.Equal(urn, claims.GetProperty("aud").GetString());
        Assert.Equal(_emulator.Client.BaseAddress!.ToString().TrimEnd('/'), claims.GetProperty("iss").GetString());
        Assert.Equal("com.datadoghq.http.request", claims.GetProperty(PushTokenClaims.Action).GetString());
        Assert.Equal("http.json", claims.GetProperty(PushTokenClaims.Connection).GetProperty("credentialsFile").GetString());
        Assert.Equal(minted.Jti, claims.GetProperty("jti").GetString());
        Assert.Equal(120, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
    }

    [Fact]
    public async Task Each_token_has_its_own_jti()
    {
        await _emulator.EnrollAsync();
        var request = new NewTokenRequest("com.datadoghq.http.request", Audience: "urn:x", LifetimeSeconds: 30);
        using var a = await _emulator.Client.PostAsJsonAsync("/admin/tokens", request);
        using var b = await _emulator.Client.PostAsJsonAsync("/admin/tokens", request);
        Assert.NotEqual((await a.Content.ReadFromJsonAsync<NewTokenResponse>())!.Jti, (await b.Content.ReadFromJsonAsync<NewTokenResponse>())!.Jti);
    }

    [Fact]
    public async Task Without_an_audience_or_an_enrolled_runner_it_is_a_bad_request()
    {
        using var response = await _emulator.Client.PostAsJsonAsync("/admin/tokens", new NewTokenRequest("com.datadoghq.http.request"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
