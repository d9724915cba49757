using System.Net;
using System.Net.Http.Json;
using Par.Emulator.Endpoints;
using Par.Shared.ControlPlane;
using Par.Shared.Security;

namespace Par.Tests.Emulator;

public class When_a_pull_call_lacks_a_valid_runner_jwt : IAsyncLifetime
{
    private EmulatorHost _emulator = null!;
    private TestRunner _runner = null!;

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorHost.StartAsync();
        _runner = await _emulator.EnrollAsync();
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Theory]
    [InlineData(PullPaths.Dequeue)]
    [InlineData(PullPaths.Heartbeat)]
    [InlineData(PullPaths.PublishTaskUpdate)]
    public async Task Without_a_token_it_is_unauthorized_with_a_problem(string path)
    {
        using var response = await _emulator.PullAsync(HttpMethod.Post, path, token: null);
        await AssertUnauthorized(response);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_is_refused()
    {
        using var stranger = RunnerKey.Generate();
        var forged = new RunnerAuthToken(stranger, _runner.OrgId, _runner.RunnerId, _emulator.Clock).Current;
        using var response = await _emulator.PullAsync(HttpMethod.Post, PullPaths.Dequeue, forged);
        await AssertUnauthorized(response);
    }

    [Fact]
    public async Task A_token_for_another_org_is_refused()
    {
        var otherOrg = new RunnerAuthToken(_runner.Key, _runner.OrgId + 1, _runner.RunnerId, _emulator.Clock).Current;
        using var response = await _emulator.PullAsync(HttpMethod.Post, PullPaths.Dequeue, otherOrg);
        await AssertUnauthorized(response);
    }

    [Fact]
    public async Task A_token_naming_an_unknown_runner_is_refused()
    {
        var unknown = new RunnerAuthToken(_runner.Key, _runner.OrgId, "no-such-runner", _emulator.Clock).Current;
        using var response = await _emulator.PullAsync(HttpMethod.Post, PullPaths.Dequeue, unknown);
        await AssertUnauthorized(response);
    }

    [Fact]
    public async Task An_expired_token_is_refused_even_after_it_was_accepted()
    {
        var token = _runner.Token.Current;
        using (var accepted = await _emulator.PullAsync(HttpMethod.Post, PullPaths.Dequeue, token))
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(70));
        using var response = await _emulator.PullAsync(HttpMethod.Post, PullPaths.Dequeue, token);
        await AssertUnauthorized(response);
        using var refreshed = await _emulator.DequeueAsync(_runner);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [Fact]
    public async Task A_runner_registered_again_with_a_new_key_loses_its_old_tokens()
    {
        var oldToken = _runner.Token.Current;
        using (var accepted = await _emulator.PullAsync(HttpMethod.Post, PullPaths.Dequeue, oldToken))
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        using var newKey = RunnerKey.Generate();
        using (var registered = await _emulator.Client.PostAsJsonAsync("/admin/runners", new NewRunnerRequest(newKey.PublicKeyPem, _runner.RunnerId)))
            registered.EnsureSuccessStatusCode();
        using var response = await _emulator.PullAsync(HttpMethod.Post, PullPaths.Dequeue, oldToken);
        await AssertUnauthorized(response);
    }

    private static async Task AssertUnauthorized(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("\"status\":401", await response.Content.ReadAsStringAsync());
    }
}
