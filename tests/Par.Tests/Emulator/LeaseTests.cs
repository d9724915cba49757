using System.Net;
using Par.Emulator;

namespace Par.Tests.Emulator;

public class When_a_lease_is_not_renewed : IAsyncLifetime
{
    private EmulatorHost _emulator = null!;
    private TestRunner _runner = null!;

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorHost.StartAsync(new EmulatorOptions { LeaseSeconds = 30 });
        _runner = await _emulator.EnrollAsync();
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task The_task_is_queued_again_and_delivered_again()
    {
        var taskId = await _emulator.EnqueueAsync();
        Assert.Equal(taskId, (await _emulator.DequeuePayloadAsync(_runner))!.TaskId);
        Assert.Equal("leased", (await _emulator.TaskAsync(taskId)).State);

        _emulator.Clock.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal("queued", (await _emulator.TaskAsync(taskId)).State);
        Assert.Equal(taskId, (await _emulator.DequeuePayloadAsync(_runner))!.TaskId);
        Assert.Equal(2, (await _emulator.TaskAsync(taskId)).Deliveries);
    }

    [Fact]
    public async Task A_re_queued_task_goes_before_newer_ones()
    {
        var older = await _emulator.EnqueueAsync();
        await _emulator.DequeuePayloadAsync(_runner);
        var newer = await _emulator.EnqueueAsync();
        _emulator.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(older, (await _emulator.DequeuePayloadAsync(_runner))!.TaskId);
        Assert.Equal(newer, (await _emulator.DequeuePayloadAsync(_runner))!.TaskId);
    }

    [Fact]
    public async Task A_long_polling_runner_gets_it_without_calling_again()
    {
        var taskId = await _emulator.EnqueueAsync();
        await _emulator.DequeuePayloadAsync(_runner);
        var waiting = _emulator.DequeuePayloadAsync(_runner, waitMs: 10_000);
        await Task.Delay(200);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(31));
        // The background sweep (every 250 ms) re-queues it and wakes the waiter.
        Assert.Equal(taskId, (await waiting.WaitAsync(TimeSpan.FromSeconds(5)))!.TaskId);
    }

    [Fact]
    public async Task A_heartbeat_after_expiry_is_told_the_lease_is_gone()
    {
        var taskId = await _emulator.EnqueueAsync();
        await _emulator.DequeuePayloadAsync(_runner);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(31));
        using var response = await _emulator.HeartbeatAsync(_runner, taskId);
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
    }
}

public class When_a_runner_heartbeats : IAsyncLifetime
{
    private EmulatorHost _emulator = null!;
    private TestRunner _runner = null!;

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorHost.StartAsync(new EmulatorOptions { LeaseSeconds = 30 });
        _runner = await _emulator.EnrollAsync();
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task The_lease_is_extended()
    {
        var taskId = await _emulator.EnqueueAsync(timeoutSeconds: 300);
        await _emulator.DequeuePayloadAsync(_runner);
        for (var i = 0; i < 3; i++)
        {
            _emulator.Clock.Advance(TimeSpan.FromSeconds(20));
            using var response = await _emulator.HeartbeatAsync(_runner, taskId);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        _emulator.Clock.Advance(TimeSpan.FromSeconds(20));
        var task = await _emulator.TaskAsync(taskId);
        Assert.Equal(("leased", 3, 1), (task.State, task.Heartbeats, task.Deliveries));
    }

    [Fact]
    public async Task It_cannot_keep_a_task_leased_past_its_timeout()
    {
        var taskId = await _emulator.EnqueueAsync(timeoutSeconds: 10);
        await _emulator.DequeuePayloadAsync(_runner);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(20));
        using (var extended = await _emulator.HeartbeatAsync(_runner, taskId))
            Assert.Equal(HttpStatusCode.OK, extended.StatusCode);
        // Budget = timeout (10 s) + one lease (30 s): a heartbeat can stretch the lease to 40 s after delivery, no further.
        _emulator.Clock.Advance(TimeSpan.FromSeconds(21));
        using (var gone = await _emulator.HeartbeatAsync(_runner, taskId))
            Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        var task = await _emulator.TaskAsync(taskId);
        Assert.Equal("failed", task.State);
        Assert.Equal("TIMEOUT", task.Result!.Value.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task For_an_unknown_task_it_gets_404()
    {
        using var response = await _emulator.HeartbeatAsync(_runner, "no-such-task");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task For_a_finished_task_it_is_told_the_lease_is_gone()
    {
        var taskId = await _emulator.EnqueueAsync();
        await _emulator.DequeuePayloadAsync(_runner);
        (await _emulator.SucceedAsync(_runner, taskId, new { status = 200 })).EnsureSuccessStatusCode();
        using var response = await _emulator.HeartbeatAsync(_runner, taskId);
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
    }
}
