using System.Text.Json;
using Par.Poller;
using Par.Shared.Configuration;
using Par.Shared.ControlPlane;
using Par.Tests.Support;

namespace Par.Tests.Pull;

public sealed class When_a_task_has_been_reported
{
    private readonly ManualTimeProvider _time = new();
    private readonly InFlightTasks _tasks;

    public When_a_task_has_been_reported() =>
        _tasks = new InFlightTasks(new RunnerConfig { ConfigDir = "config", TaskConcurrency = 2 }, _time);

    [Fact]
    public async Task Its_slot_is_free_again_and_a_late_answer_cannot_claim_a_second_report()
    {
        await _tasks.WaitForSlotAsync(CancellationToken.None);
        _tasks.Start(Payload("t-1"), _time.GetUtcNow().AddMinutes(1));
        Assert.True(_tasks.TryClaimReport("t-1"));

        _tasks.Reported("t-1");

        Assert.Equal(0, _tasks.Count);
        Assert.False(_tasks.TryClaimReport("t-1"));
        await _tasks.WaitForSlotAsync(CancellationToken.None);
        await _tasks.WaitForSlotAsync(CancellationToken.None);
    }

    [Fact]
    public void It_is_remembered_for_15_minutes_then_forgotten()
    {
        _tasks.Reported("t-1");
        _time.Advance(TimeSpan.FromMinutes(14));
        _tasks.Reported("t-2");
        Assert.False(_tasks.TryClaimReport("t-1"));

        _time.Advance(TimeSpan.FromMinutes(2));
        _tasks.Reported("t-3");

        Assert.True(_tasks.TryClaimReport("t-1"));
        Assert.False(_tasks.TryClaimReport("t-2"));
    }

    [Fact]
    public void At_most_a_bounded_number_are_remembered_forgetting_the_oldest_first()
    {
        for (var i = 0; i <= InFlightTasks.RememberReportedAtMost; i++)
            _tasks.Reported($"t-{i}");

        Assert.True(_tasks.TryClaimReport("t-0"));
        Assert.False(_tasks.TryClaimReport("t-1"));
        Assert.False(_tasks.TryClaimReport($"t-{InFlightTasks.RememberReportedAtMost}"));
    }

    private static SignedTaskPayload Payload(string taskId) => new()
    {
        TaskId = taskId,
        JobId = "job-1",
        OrgId = 1,
        RunnerId = "runner-1",
        ActionFqn = "com.datadoghq.http.request",
        Inputs = JsonDocument.Parse("{}").RootElement,
        TimeoutSeconds = 60,
        IssuedAt = 0,
        ExpiresAt = 0,
    };
}
