using System.Net;
using Par.Poller;
using Par.Tests.Infrastructure;

namespace Par.Tests.Pull;

public sealed class When_the_poller_is_stopped_while_tasks_run
{
    [Fact]
    public async Task It_drains_them_reports_them_and_then_exits()
    {
        await using var stack = await PullStack.StartAsync(c => c with { DrainTimeoutSeconds = 20 });
        await stack.StartExecutorAsync();
        await stack.StartPollerAsync();
        await stack.EnqueueManyAsync(5, _ => (SleepAction.Name, new { ms = 1500 }));
        await stack.WaitForAsync(s => s.Leased == 5, TimeSpan.FromSeconds(20));

        await stack.StopPollerAsync();

        var stats = await stack.StatsAsync();
        Assert.Equal(5, stats.Succeeded);
        Assert.Equal(0, stats.Leased);
    }
}

public sealed class When_the_poller_has_fewer_slots_than_tasks
{
    [Fact]
    public async Task It_never_holds_more_tasks_than_its_concurrency()
    {
        await using var stack = await PullStack.StartAsync(c => c with { TaskConcurrency = 2 });
        await stack.StartExecutorAsync();
        await stack.StartPollerAsync();
        await stack.EnqueueManyAsync(8, _ => (SleepAction.Name, new { ms = 300 }));

        var mostLeased = 0;
        while (true)
        {
            var stats = await stack.StatsAsync();
            mostLeased = Math.Max(mostLeased, stats.Leased);
            if (stats.Succeeded == 8) break;
            await Task.Delay(20);
        }

        Assert.Equal(2, mostLeased);
    }
}

public sealed class When_control_plane_calls_fail
{
    [Theory]
    [InlineData(0, 0.8, 1.2)]
    [InlineData(3, 6.4, 9.6)]
    [InlineData(10, 144, 216)]
    public void The_wait_grows_exponentially_from_one_second_to_three_minutes(int attempt, double min, double max) =>
        Assert.InRange(ControlPlaneBackoff.Delay(attempt, new HttpRequestException("down")).TotalSeconds, min, max);

    [Fact]
    public void After_twenty_failures_in_a_row_it_pauses_five_minutes() =>
        Assert.Equal(TimeSpan.FromMinutes(5), ControlPlaneBackoff.Delay(19, new HttpRequestException("down")));

    [Fact]
    public void The_servers_retry_after_is_honoured() =>
        Assert.Equal(TimeSpan.FromSeconds(7), ControlPlaneBackoff.Delay(12,
            new ControlPlaneException("dequeue", HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(7), null)));

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    public void Only_overload_and_server_errors_are_retried(HttpStatusCode status, bool transient) =>
        Assert.Equal(transient, new ControlPlaneException("dequeue", status, null, null).IsTransient);
}
