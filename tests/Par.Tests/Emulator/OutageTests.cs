using System.Net;
using System.Net.Http.Json;
using Par.Emulator.Endpoints;
using Par.Shared.ControlPlane;

namespace Par.Tests.Emulator;

public class When_the_control_plane_has_an_outage : IAsyncLifetime
{
    private EmulatorHost _emulator = null!;
    private TestRunner _runner = null!;

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorHost.StartAsync();
        _runner = await _emulator.EnrollAsync();
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task Every_pull_call_gets_503_with_retry_after_until_it_ends()
    {
        (await _emulator.Client.PostAsJsonAsync("/admin/outage", new OutageRequest(10))).EnsureSuccessStatusCode();

        foreach (var (method, path) in new[] { (HttpMethod.Post, PullPaths.Dequeue), (HttpMethod.Post, PullPaths.Heartbeat),
                     (HttpMethod.Post, PullPaths.PublishTaskUpdate), (HttpMethod.Get, PullPaths.HealthCheck) })
        {
            using var response = await _emulator.PullAsync(method, path, _runner);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(10), response.Headers.RetryAfter?.Delta);
        }

        _emulator.Clock.Advance(TimeSpan.FromSeconds(11));
        using var after = await _emulator.DequeueAsync(_runner);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task The_admin_api_keeps_working_so_tests_can_end_it()
    {
        (await _emulator.Client.PostAsJsonAsync("/admin/outage", new OutageRequest(60))).EnsureSuccessStatusCode();
        var taskId = await _emulator.EnqueueAsync();
        (await _emulator.Client.PostAsJsonAsync("/admin/outage", new OutageRequest(0))).EnsureSuccessStatusCode();
        Assert.Equal(taskId, (await _emulator.DequeuePayloadAsync(_runner))!.TaskId);
    }
}
