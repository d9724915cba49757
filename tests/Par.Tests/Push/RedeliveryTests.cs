using System.Net;
using System.Text.Json;
using Par.Executor;
using Par.Tests.Infrastructure;

namespace Par.Tests.Push;

/// <summary>
/// An executor process is killed with SIGKILL while its action is in flight. The broker redelivers the unacknowledged
/// command to the surviving executor: a read-only action runs again, a side-effect action is answered INTERRUPTED.
/// Nothing is lost and nothing with side effects runs twice.
/// </summary>
public sealed class When_an_executor_is_killed_mid_action
{
    private const string Http = "com.datadoghq.http.request";

    [Theory]
    [InlineData("POST", "failed", 1)]
    [InlineData("GET", "succeeded", 2)]
    public async Task The_command_is_redelivered_and_only_read_only_actions_run_again(string verb, string expectedStatus, int expectedHits)
    {
        await using var target = await HoldingTarget.StartAsync();
        await using var stack = await PushStack.StartAsync(c => c with { HttpServerWriteTimeout = 60 }, withExecutor: false);
        TestConfigFile.Write(stack.Config);
        await using var doomed = ServiceProcess.Start(RepoPaths.ServiceDll("services/executor", "par-executor"), stack.Config.ConfigDir);

        var call = stack.RunAsync(stack.Key.Token(Http), Http, new { verb, url = $"{target.Url}/hold" });
        await target.FirstHit.WaitAsync(TimeSpan.FromSeconds(30));
        doomed.KillHard();

        using var survivor = ExecutorApp.Build(stack.Config);
        await survivor.StartAsync();
        var response = await call.WaitAsync(TimeSpan.FromSeconds(30));
        await survivor.StopAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(expectedStatus, body.RootElement.GetProperty("status").GetString());
        if (expectedStatus == "failed")
            Assert.Equal("INTERRUPTED", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(expectedHits, target.Hits);
    }
}
