using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Par.Shared.ControlPlane;
using Par.Shared.Security;

namespace Par.Tests.Emulator;

public class When_a_runner_dequeues : IAsyncLifetime
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
    public async Task An_empty_queue_answers_200_with_an_empty_body()
    {
        using var response = await _emulator.DequeueAsync(_runner);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task It_gets_the_oldest_task_first()
    {
        var first = await _emulator.EnqueueAsync();
        var second = await _emulator.EnqueueAsync();
        Assert.Equal(first, (await _emulator.DequeuePayloadAsync(_runner))!.TaskId);
        Assert.Equal(second, (await _emulator.DequeuePayloadAsync(_runner))!.TaskId);
        Assert.Null(await _emulator.DequeuePayloadAsync(_runner));
    }

    [Fact]
    public async Task The_task_is_a_json_api_document_signed_by_a_key_of_the_emulator_jwks()
    {
        var taskId = await _emulator.EnqueueAsync("com.datadoghq.http.request", timeoutSeconds: 12);
        var jwks = Jwks.Parse(await _emulator.Client.GetStringAsync(PullPaths.Jwks));
        using var response = await _emulator.DequeueAsync(_runner);
        var document = (await response.Content.ReadFromJsonAsync<TaskDocument>(PullJson.Options))!;
        Assert.Equal((taskId, "task"), (document.Data.Id, document.Data.Type));

        var verified = await Es256Jws.VerifyAsync(document.Data.Attributes.SignedTask, jwks);
        var task = verified.Payload.Deserialize<SignedTaskPayload>(PullJson.Options)!;
        Assert.Equal(taskId, task.TaskId);
        Assert.Equal(_runner.RunnerId, task.RunnerId);
        Assert.Equal(_emulator.Options.OrgId, task.OrgId);
        Assert.Equal("com.datadoghq.http.request", task.ActionFqn);
        Assert.Equal("GET", task.Inputs.GetProperty("verb").GetString());
        Assert.Equal(12, task.TimeoutSeconds);
        Assert.Equal(task.IssuedAt + _emulator.Options.TaskExpirySeconds, task.ExpiresAt);
    }

    [Fact]
    public async Task A_runner_only_gets_its_own_tasks()
    {
        var other = await _emulator.EnrollAsync("other");
        await _emulator.EnqueueAsync(runnerId: _runner.RunnerId);
        Assert.Null(await _emulator.DequeuePayloadAsync(other));
        Assert.NotNull(await _emulator.DequeuePayloadAsync(_runner));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_bad_request()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, PullPaths.Dequeue) { Content = new StringContent("{waitMs:") };
        request.Headers.Authorization = new("Bearer", _runner.Token.Current);
        using var response = await _emulator.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

public class When_a_runner_long_polls : IAsyncLifetime
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
    public async Task It_wakes_as_soon_as_a_task_is_enqueued()
    {
        var watch = Stopwatch.StartNew();
        var waiting = _emulator.DequeuePayloadAsync(_runner, waitMs: 20_000);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);

        var enqueuedAt = watch.Elapsed;
        var taskId = await _emulator.EnqueueAsync();
        var task = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(taskId, task!.TaskId);
        Assert.True(watch.Elapsed - enqueuedAt < TimeSpan.FromSeconds(2), $"woke {watch.Elapsed - enqueuedAt} after the enqueue");
    }

    [Fact]
    public async Task It_answers_empty_when_the_wait_ends_without_a_task()
    {
        var watch = Stopwatch.StartNew();
        Assert.Null(await _emulator.DequeuePayloadAsync(_runner, waitMs: 400));
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Each_task_goes_to_exactly_one_of_several_waiters()
    {
        var waiters = Enumerable.Range(0, 4).Select(_ => _emulator.DequeuePayloadAsync(_runner, waitMs: 1_500)).ToArray();
        await Task.Delay(200);
        var first = await _emulator.EnqueueAsync();
        var second = await _emulator.EnqueueAsync();
        var got = (await Task.WhenAll(waiters)).Where(t => t is not null).Select(t => t!.TaskId).Order().ToArray();
        Assert.Equal(new[] { first, second }.Order(), got);
    }
}
