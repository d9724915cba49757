using System.Net;
using System.Net.Http.Json;
using Par.Shared.ControlPlane;
using Par.Shared.Security;

namespace Par.Tests.Emulator;

public class When_a_runner_enrolls : IAsyncLifetime
{
    private EmulatorHost _emulator = null!;

    public async Task InitializeAsync() => _emulator = await EmulatorHost.StartAsync();
    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task With_valid_keys_it_gets_a_runner_id_and_the_org()
    {
        var runner = await _emulator.EnrollAsync();
        Assert.False(string.IsNullOrEmpty(runner.RunnerId));
        Assert.Equal(_emulator.Options.OrgId, runner.OrgId);
        using var health = await _emulator.PullAsync(HttpMethod.Get, PullPaths.HealthCheck, runner);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Its_answer_is_snake_case()
    {
        using var key = RunnerKey.Generate();
        using var response = await SendAsync(_emulator.Options.ApiKey, _emulator.Options.ApplicationKey, Body(key.PublicKeyPem));
        var json = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"runner_id\"", json);
        Assert.Contains("\"org_id\"", json);
        Assert.Contains("\"runner_modes\"", json);
    }

    [Theory]
    [InlineData("wrong", null)]
    [InlineData(null, "wrong")]
    public async Task With_a_wrong_key_it_is_forbidden(string? apiKey, string? appKey)
    {
        using var key = RunnerKey.Generate();
        using var response = await SendAsync(apiKey ?? _emulator.Options.ApiKey, appKey ?? _emulator.Options.ApplicationKey, Body(key.PublicKeyPem));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Without_keys_it_is_unauthorized()
    {
        using var key = RunnerKey.Generate();
        using var response = await SendAsync(null, null, Body(key.PublicKeyPem));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task With_a_public_key_that_is_not_p256_it_is_a_bad_request()
    {
        using var p384 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        using var response = await SendAsync(_emulator.Options.ApiKey, _emulator.Options.ApplicationKey, Body(p384.ExportSubjectPublicKeyInfoPem()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static EnrollmentRequest Body(string pem) => new() { RunnerName = "r", RunnerModes = ["pull", "push"], PublicKeyPem = pem };

    private Task<HttpResponseMessage> SendAsync(string? apiKey, string? appKey, EnrollmentRequest body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, PullPaths.Enrollment) { Content = JsonContent.Create(body, options: PullJson.Options) };
        if (apiKey is not null) request.Headers.Add(PullHeaders.ApiKey, apiKey);
        if (appKey is not null) request.Headers.Add(PullHeaders.ApplicationKey, appKey);
        return _emulator.Client.SendAsync(request);
    }
}
