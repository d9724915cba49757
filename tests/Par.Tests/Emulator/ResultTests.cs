using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Par.Shared.ControlPlane;

namespace Par.Tests.Emulator;

public class When_a_result_is_reported_twice : IAsyncLifetime
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
    public async Task The_first_wins_and_the_duplicate_is_counted()
    {
        var taskId = await _emulator.EnqueueAsync();
        await _emulator.DequeuePayloadAsync(_runner);

        using var first = await _emulator.SucceedAsync(_runner, taskId, new { status = 200, body = "first" });
        using var second = await _emulator.FailAsync(_runner, taskId, "HTTP_ERROR", "second");
        using var third = await _emulator.SucceedAsync(_runner, taskId, new { status = 200, body = "third" });

        Assert.All(new[] { first, second, third }, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Contains("\"duplicate\":false", await first.Content.ReadAsStringAsync());
        Assert.Contains("\"duplicate\":true", await second.Content.ReadAsStringAsync());

        var task = await _emulator.TaskAsync(taskId);
        Assert.Equal(("succeeded", 3, 2), (task.State, task.Reports, task.Duplicates));
        Assert.Equal("first", task.Result!.Value.GetProperty("outputs").GetProperty("body").GetString());
        var stats = await _emulator.StatsAsync();
        Assert.Equal((1, 2L), (stats.Succeeded, stats.DuplicateReports));
    }

    [Fact]
    public async Task A_late_report_after_the_lease_expired_still_wins_over_the_retry()
    {
        var taskId = await _emulator.EnqueueAsync();
        await _emulator.DequeuePayloadAsync(_runner);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(_emulator.Options.LeaseSeconds + 1));
        Assert.Equal("queued", (await _emulator.TaskAsync(taskId)).State);

        (await _emulator.FailAsync(_runner, taskId, "TIMEOUT", "slow")).EnsureSuccessStatusCode();

        Assert.Equal("failed", (await _emulator.TaskAsync(taskId)).State);
        Assert.Null(await _emulator.DequeuePayloadAsync(_runner));
    }
}

public class When_a_result_is_reported_for_a_task_it_does_not_own : IAsyncLifetime
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
    public async Task An_unknown_task_gets_404()
    {
        using var response = await _emulator.SucceedAsync(_runner, "no-such-task", new { });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Another_runners_task_is_forbidden_and_left_alone()
    {
        var taskId = await _emulator.EnqueueAsync(runnerId: _runner.RunnerId);
        var intruder = await _emulator.EnrollAsync("intruder");
        using var response = await _emulator.SucceedAsync(intruder, taskId, new { });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("queued", (await _emulator.TaskAsync(taskId)).State);
    }

    [Fact]
    public async Task An_update_that_is_neither_succeed_nor_fail_is_a_bad_request()
    {
        var taskId = await _emulator.EnqueueAsync();
        var update = TaskUpdateRequest.Succeeded(taskId, "a", "j", JsonSerializer.SerializeToElement(new { }));
        update = update with { Data = update.Data with { Id = "maybe_task" } };
        using var response = await _emulator.PullAsync(HttpMethod.Post, PullPaths.PublishTaskUpdate, _runner, update);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_wire_shape_is_json_api_with_snake_case_attributes()
    {
        var json = JsonSerializer.Serialize(
            TaskUpdateRequest.Failed("t1", "com.datadoghq.http.request", "j1", "HTTP_STATUS", "404"), PullJson.Options);
        Assert.Equal(
            """{"data":{"id":"fail_task","type":"taskUpdate","attributes":{"task_id":"t1","action_fqn":"com.datadoghq.http.request","job_id":"j1","payload":{"error_code":"HTTP_STATUS","error_details":"404"}}}}""",
            json);
        await Task.CompletedTask;
    }
}
