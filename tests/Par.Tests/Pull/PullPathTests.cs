using System.Text.Json;
using Par.Tests.Infrastructure;

namespace Par.Tests.Pull;

public sealed class When_a_thousand_tasks_are_queued
{
    [Fact]
    public async Task Each_completes_and_is_reported_exactly_once()
    {
        await using var stack = await PullStack.StartAsync();
        await stack.StartExecutorAsync();
        await stack.StartPollerAsync();

        var ids = await stack.EnqueueManyAsync(1000, i => (EchoAction.Name, new { i }));
        var stats = await stack.WaitForAsync(s => s.Succeeded + s.Failed == 1000, TimeSpan.FromSeconds(120));

        Assert.Equal(1000, stats.Succeeded);
        Assert.Equal(0, stats.DuplicateReports);
        Assert.Equal(1000, stack.Counter.Runs);
        var sample = await stack.TaskAsync(ids[500]);
        Assert.Equal(1, sample.Reports);
        Assert.Equal(500, sample.Result!.Value.GetProperty("outputs").GetProperty("i").GetInt32());
    }
}

public sealed class When_tasks_are_signed_wrongly_or_not_for_this_runner
{
    private static object Payload(string taskId, long orgId, string runnerId, long exp) => new
    {
        task_id = taskId, job_id = "job-1", org_id = orgId, runner_id = runnerId, action_fqn = EchoAction.Name,
        inputs = new { }, timeout_seconds = 30, iat = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), exp,
    };

    [Fact]
    public async Task None_runs_and_each_is_reported_failed_with_its_reason()
    {
        await using var stack = await PullStack.StartAsync();
        await stack.StartExecutorAsync();
        var urn = Par.Shared.Security.RunnerUrn.Parse(stack.Config.Urn!);
        var inAMinute = DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds();
        var forger = new ControlPlaneKey("someone-else");
        var forgedJws = ControlPlaneKey.Handmade(new { alg = "ES256", kid = "someone-else" }, Payload("forged", urn.OrgId, urn.RunnerId, inAMinute), forger.SignRaw);

        var cases = new Dictionary<string, string>
        {
            ["expired"] = await stack.EnqueueRawAsync(payload: Payload("expired", urn.OrgId, urn.RunnerId, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds())),
            ["another runner"] = await stack.EnqueueRawAsync(payload: Payload("wrong-runner", urn.OrgId, "another-runner", inAMinute)),
            ["another org"] = await stack.EnqueueRawAsync(payload: Payload("wrong-org", urn.OrgId + 1, urn.RunnerId, inAMinute)),
            ["not signed"] = await stack.EnqueueRawAsync(document: new { data = new { id = "unsigned", type = "task", attributes = new { signed_task = "" } } }),
            ["signature does not verify"] = await stack.EnqueueRawAsync(document: new { data = new { id = "forged", type = "task", attributes = new { signed_task = forgedJws } } }),
        };
        await stack.StartPollerAsync();
        await stack.WaitForAsync(s => s.Failed == cases.Count, TimeSpan.FromSeconds(30));

        Assert.Equal(0, stack.Counter.Runs);
        var expectedWords = new Dictionary<string, string>
        {
            ["expired"] = "expired", ["another runner"] = "another-runner", ["another org"] = "org",
            ["not signed"] = "not signed", ["signature does not verify"] = "JWKS",
        };
        foreach (var (name, taskId) in cases)
        {
            var task = await stack.TaskAsync(taskId);
            var payload = task.Result!.Value;
            Assert.Equal("failed", task.State);
            Assert.Equal("INVALID_TASK", payload.GetProperty("error_code").GetString());
            Assert.Contains(expectedWords[name], payload.GetProperty("error_details").GetString());
        }
    }
}

public sealed class When_a_task_exceeds_its_timeout
{
    [Fact]
    public async Task It_is_cancelled_reported_failed_and_no_heartbeat_follows()
    {
        await using var stack = await PullStack.StartAsync(c => c with { HeartbeatIntervalSeconds = 1 });
        await stack.StartExecutorAsync();
        await stack.StartPollerAsync();

        var taskId = await stack.EnqueueAsync(SleepAction.Name, new { ms = 60_000 }, timeoutSeconds: 3);
        await stack.WaitForAsync(s => s.Failed == 1, TimeSpan.FromSeconds(20));
        var reported = await stack.TaskAsync(taskId);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var later = await stack.TaskAsync(taskId);

        Assert.Equal("TIMEOUT", reported.Result!.Value.GetProperty("error_code").GetString());
        Assert.InRange(reported.Heartbeats, 1, 3);
        Assert.Equal(reported.Heartbeats, later.Heartbeats);
        Assert.Equal(1, later.Reports);
    }
}

public sealed class When_the_poller_restarts_while_tasks_run
{
    [Fact]
    public async Task Every_result_is_still_reported_once()
    {
        await using var stack = await PullStack.StartAsync(c => c with { DrainTimeoutSeconds = 0 });
        await stack.StartExecutorAsync();
        await stack.StartPollerAsync();

        await stack.EnqueueManyAsync(16, i => (SleepAction.Name, new { ms = 1500 }));
        await stack.WaitForAsync(s => s.Leased == 16, TimeSpan.FromSeconds(20));
        await stack.StopPollerAsync();
        // The executors finish while no poller runs: their answers wait on the durable results queue.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(16, (await stack.StatsAsync()).Leased);
        await stack.StartPollerAsync();
        var stats = await stack.WaitForAsync(s => s.Succeeded == 16, TimeSpan.FromSeconds(30));

        Assert.Equal(0, stats.DuplicateReports);
        Assert.Equal(16, stack.Counter.Runs);
    }
}

public sealed class When_the_control_plane_is_down_for_thirty_seconds
{
    [Fact]
    public async Task The_poller_backs_off_and_then_everything_completes()
    {
        await using var stack = await PullStack.StartAsync(emulatorOptions: new Par.Emulator.EmulatorOptions { LeaseSeconds = 90 });
        await stack.StartExecutorAsync();
        await stack.StartPollerAsync();
        await stack.EnqueueManyAsync(40, i => (SleepAction.Name, new { ms = 500 }));
        await stack.WaitForAsync(s => s.Leased > 0, TimeSpan.FromSeconds(20));

        await stack.OutageAsync(30);
        var stats = await stack.WaitForAsync(s => s.Succeeded == 40, TimeSpan.FromSeconds(120));

        Assert.Equal(0, stats.DuplicateReports);
        Assert.Equal(40, stack.Counter.Runs);
    }
}

public sealed class When_a_task_names_an_action_outside_the_allowlist
{
    [Fact]
    public async Task The_executor_refuses_it_and_it_is_reported_failed_saying_how_to_allow_it()
    {
        await using var stack = await PullStack.StartAsync(c => c with { ActionsAllowlist = [SleepAction.Name] });
        await stack.StartExecutorAsync();
        await stack.StartPollerAsync();

        var taskId = await stack.EnqueueAsync(EchoAction.Name, new { });
        await stack.WaitForAsync(s => s.Failed == 1, TimeSpan.FromSeconds(20));

        var result = (await stack.TaskAsync(taskId)).Result!.Value;
        Assert.Equal("ACTION_NOT_ALLOWED", result.GetProperty("error_code").GetString());
        Assert.Contains("actionsAllowlist", result.GetProperty("error_details").GetString());
        Assert.Equal(0, stack.Counter.Runs);
    }
}
