using System.Text.Json;
using Par.Executor;
using Par.Tests.Infrastructure;

namespace Par.Tests.Pull;

/// <summary>An executor process is killed with SIGKILL while it runs a pull task: the task is redelivered, none is lost.</summary>
public sealed class When_an_executor_dies_mid_pull_task
{
    private const string Http = "com.datadoghq.http.request";

    [Theory]
    [InlineData("POST", "failed", 1)]
    [InlineData("GET", "succeeded", 2)]
    public async Task The_task_is_redelivered_and_only_read_only_actions_run_again(string verb, string expectedState, int expectedHits)
    {
        await using var target = await HoldingTarget.StartAsync();
        await using var stack = await PullStack.StartAsync();
        TestConfigFile.Write(stack.Config with { HttpServerWriteTimeout = 60 });
        await using var doomed = ServiceProcess.Start(RepoPaths.ServiceDll("services/executor", "par-executor"), stack.Config.ConfigDir);
        await stack.StartPollerAsync();

        var taskId = await stack.EnqueueAsync(Http, new { verb, url = $"{target.Url}/hold" }, timeoutSeconds: 60);
        await target.FirstHit.WaitAsync(TimeSpan.FromSeconds(30));
        doomed.KillHard();
        await stack.StartExecutorAsync();
        await stack.WaitForAsync(s => s.Succeeded + s.Failed == 1, TimeSpan.FromSeconds(30));

        var task = await stack.TaskAsync(taskId);
        Assert.Equal(expectedState, task.State);
        Assert.Equal(1, task.Reports);
        Assert.Equal(expectedHits, target.Hits);
        if (expectedState == "failed")
            Assert.Equal("INTERRUPTED", task.Result!.Value.GetProperty("error_code").GetString());
    }
}
