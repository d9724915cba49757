using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Par.Emulator.Endpoints;
using Par.Shared.ControlPlane;
using Par.Shared.Security;

namespace Par.Tests.Emulator;

public class When_a_hand_crafted_task_is_queued : IAsyncLifetime
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
    public async Task A_document_is_delivered_exactly_as_given()
    {
        using var forger = RunnerKey.Generate();
        var forged = TaskDocument.For("forged-1", Es256Jws.Sign(new { task_id = "forged-1", runner_id = _runner.RunnerId }, forger));
        var document = JsonSerializer.SerializeToElement(forged, PullJson.Options);
        using var queued = await _emulator.Client.PostAsJsonAsync("/admin/tasks/raw", new RawTaskRequest(Document: document));
        Assert.Equal("forged-1", (await queued.Content.ReadFromJsonAsync<RawTaskResponse>())!.TaskId);

        using var response = await _emulator.DequeueAsync(_runner);
        var delivered = (await response.Content.ReadFromJsonAsync<TaskDocument>(PullJson.Options))!;
        Assert.Equal(forged, delivered);
        var jwks = Jwks.Parse(await _emulator.Client.GetStringAsync(PullPaths.Jwks));
        await Assert.ThrowsAsync<JwsException>(() => Es256Jws.VerifyAsync(delivered.Data.Attributes.SignedTask, jwks));
    }

    [Fact]
    public async Task A_payload_is_signed_with_the_real_key_whatever_its_claims()
    {
        var expired = JsonSerializer.SerializeToElement(new
        {
            task_id = "expired-1", job_id = "j", org_id = 999, runner_id = "someone-else", action_fqn = "com.datadoghq.http.request",
            inputs = new { }, timeout_seconds = 5, iat = 1, exp = 2,
        });
        using var queued = await _emulator.Client.PostAsJsonAsync("/admin/tasks/raw", new RawTaskRequest(Payload: expired));
        queued.EnsureSuccessStatusCode();

        using var response = await _emulator.DequeueAsync(_runner);
        var delivered = (await response.Content.ReadFromJsonAsync<TaskDocument>(PullJson.Options))!;
        var jwks = Jwks.Parse(await _emulator.Client.GetStringAsync(PullPaths.Jwks));
        var payload = (await Es256Jws.VerifyAsync(delivered.Data.Attributes.SignedTask, jwks)).Payload;
        Assert.Equal("someone-else", payload.GetProperty("runner_id").GetString());
        Assert.Equal(2, payload.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task Giving_both_or_neither_is_a_bad_request()
    {
        using var neither = await _emulator.Client.PostAsJsonAsync("/admin/tasks/raw", new RawTaskRequest());
        Assert.Equal(HttpStatusCode.BadRequest, neither.StatusCode);
    }
}
