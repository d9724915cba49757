using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Par.Emulator;
using Par.Emulator.Endpoints;
using Par.Shared.ControlPlane;
using Par.Shared.Security;

namespace Par.Tests.Emulator;

public class When_tasks_are_queued_without_a_runner : IAsyncLifetime
{
    private EmulatorHost _emulator = null!;

    public async Task InitializeAsync() => _emulator = await EmulatorHost.StartAsync();
    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task The_call_is_refused_until_one_enrolls()
    {
        using var refused = await _emulator.Client.PostAsJsonAsync("/admin/tasks", new NewTaskRequest("a", null));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var runner = await _emulator.EnrollAsync();
        using var accepted = await _emulator.Client.PostAsJsonAsync("/admin/tasks", new NewTaskRequest("a", null));
        Assert.Equal(runner.RunnerId, (await accepted.Content.ReadFromJsonAsync<NewTaskResponse>())!.RunnerId);
    }

    [Fact]
    public async Task Naming_an_unknown_runner_is_not_found()
    {
        using var response = await _emulator.Client.PostAsJsonAsync("/admin/tasks", new NewTaskRequest("a", null, RunnerId: "ghost"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

public class When_a_runner_is_registered_through_the_admin_api : IAsyncLifetime
{
    private EmulatorHost _emulator = null!;

    public async Task InitializeAsync() => _emulator = await EmulatorHost.StartAsync();
    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task It_can_pull_with_the_id_it_chose()
    {
        using var key = RunnerKey.Generate();
        using var response = await _emulator.Client.PostAsJsonAsync("/admin/runners", new NewRunnerRequest(key.PublicKeyPem, "fixed-id"));
        var registered = (await response.Content.ReadFromJsonAsync<NewRunnerResponse>())!;
        Assert.Equal($"urn:dd:apps:on-prem-runner:{_emulator.Options.Region}:{_emulator.Options.OrgId}:fixed-id", registered.Urn);

        var runner = new TestRunner(key, "fixed-id", registered.OrgId, new RunnerAuthToken(key, registered.OrgId, "fixed-id", _emulator.Clock));
        using var dequeue = await _emulator.DequeueAsync(runner);
        Assert.Equal(HttpStatusCode.OK, dequeue.StatusCode);
    }
}

public class When_many_tasks_flow_through_several_consumers : IAsyncLifetime
{
    private EmulatorHost _emulator = null!;

    public async Task InitializeAsync() => _emulator = await EmulatorHost.StartAsync();
    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task Each_task_is_delivered_once_and_finished_once()
    {
        var runner = await _emulator.EnrollAsync();
        const int count = 400;
        var batch = new NewTaskBatchRequest(Enumerable.Range(0, count)
            .Select(i => new NewTaskRequest("com.datadoghq.http.request", JsonSerializer.SerializeToElement(new { i }))).ToArray());
        using (var queued = await _emulator.Client.PostAsJsonAsync("/admin/tasks/batch", batch)) queued.EnsureSuccessStatusCode();

        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (await _emulator.DequeuePayloadAsync(runner) is { } task)
            {
                seen.Add(task.TaskId);
                (await _emulator.SucceedAsync(runner, task.TaskId, new { ok = true })).EnsureSuccessStatusCode();
            }
        }));

        Assert.Equal(count, seen.Count);
        Assert.Equal(count, seen.Distinct().Count());
        var stats = await _emulator.StatsAsync();
        Assert.Equal((0, 0, count, 0, count, 0L), (stats.Queued, stats.Leased, stats.Succeeded, stats.Failed, stats.Total, stats.DuplicateReports));
    }
}

public class When_the_emulator_restarts_with_a_key_file
{
    [Fact]
    public async Task Its_jwks_stays_the_same()
    {
        var folder = Directory.CreateTempSubdirectory("par-emulator-");
        try
        {
            var options = new EmulatorOptions { KeyFile = Path.Combine(folder.FullName, "keys", "control-plane.jwk.json") };
            string first, second;
            await using (var emulator = await EmulatorHost.StartAsync(options)) first = await emulator.Client.GetStringAsync(PullPaths.Jwks);
            await using (var emulator = await EmulatorHost.StartAsync(options)) second = await emulator.Client.GetStringAsync(PullPaths.Jwks);
            Assert.Equal(first, second);
            Assert.DoesNotContain("\"d\"", first);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(options.KeyFile));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
