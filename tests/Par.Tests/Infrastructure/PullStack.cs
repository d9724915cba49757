using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Par.Emulator;
using Par.Emulator.Endpoints;
using Par.Executor;
using Par.Executor.Actions;
using Par.Poller;
using Par.Shared.Configuration;
using Par.Shared.ControlPlane;
using Par.Shared.Security;

namespace Par.Tests.Infrastructure;

/// <summary>
/// The control-plane emulator, a poller and executors as separate hosts, joined by the real RabbitMQ (and by HTTP to the
/// emulator), each with its own service provider and connections. Pollers and executors can be stopped and restarted.
/// </summary>
public sealed class PullStack : IAsyncDisposable
{
    private readonly WebApplication _emulator;
    private readonly List<IHost> _executors = [];
    private IHost? _poller;

    private PullStack(WebApplication emulator, RunnerConfig config, RunCounter counter)
    {
        _emulator = emulator;
        Config = config;
        Counter = counter;
        Admin = new HttpClient { BaseAddress = emulator.BaseAddress(), Timeout = TimeSpan.FromSeconds(60) };
    }

    public RunnerConfig Config { get; }
    public RunCounter Counter { get; }
    public HttpClient Admin { get; }

    public static async Task<PullStack> StartAsync(Func<RunnerConfig, RunnerConfig>? configure = null, EmulatorOptions? emulatorOptions = null)
    {
        var emulator = EmulatorApp.Create((emulatorOptions ?? new EmulatorOptions()) with { ListenUrl = "http://127.0.0.1:0" }, TimeProvider.System);
        await emulator.StartAsync();
        var baseUrl = emulator.BaseAddress().ToString().TrimEnd('/');

        using var key = RunnerKey.Generate();
        using var admin = new HttpClient { BaseAddress = emulator.BaseAddress() };
        var registered = await (await admin.PostAsJsonAsync("/admin/runners", new NewRunnerRequest(key.PublicKeyPem)))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<NewRunnerResponse>();

        var dir = Directory.CreateTempSubdirectory("par-pull-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "credentials"));
        var config = new RunnerConfig
        {
            ConfigDir = dir,
            Modes = new HashSet<RunnerMode> { RunnerMode.Pull },
            DdBaseUrl = baseUrl,
            Urn = registered!.Urn,
            PrivateKey = key.ToConfigValue(),
            ControlPlaneJwks = baseUrl + PullPaths.Jwks,
            BrokerUrl = TestBroker.Url,
            BrokerQueue = TestBroker.UniqueQueue("run-action"),
            ResultsQueue = TestBroker.UniqueQueue("task-results"),
            ActionsAllowlist = ["com.datadoghq.http.request", EchoAction.Name, SleepAction.Name],
            TaskConcurrency = 16,
            PollWaitMs = 5_000,
            DrainTimeoutSeconds = 5,
        };
        return new PullStack(emulator, configure is null ? config : configure(config), new RunCounter());
    }

    public async Task StartPollerAsync()
    {
        _poller = await PollerApp.BuildAsync(Config);
        await _poller.StartAsync();
    }

    public async Task StopPollerAsync()
    {
        if (_poller is null) return;
        await _poller.StopAsync();
        _poller.Dispose();
        _poller = null;
    }

    public async Task<IHost> StartExecutorAsync()
    {
        var executor = ExecutorApp.Build(Config, configureServices: services =>
        {
            services.AddSingleton(Counter);
            services.AddSingleton<IAction, EchoAction>();
            services.AddSingleton<IAction, SleepAction>();
        });
        await executor.StartAsync();
        _executors.Add(executor);
        return executor;
    }

    public async Task<string> EnqueueAsync(string action, object inputs, int? timeoutSeconds = null)
    {
        var response = await Admin.PostAsJsonAsync("/admin/tasks", new NewTaskRequest(action, JsonSerializer.SerializeToElement(inputs), TimeoutSeconds: timeoutSeconds));
        return (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<NewTaskResponse>())!.TaskId;
    }

    public async Task<IReadOnlyList<string>> EnqueueManyAsync(int count, Func<int, (string Action, object Inputs)> task)
    {
        var tasks = Enumerable.Range(0, count).Select(i =>
        {
            var (action, inputs) = task(i);
            return new NewTaskRequest(action, JsonSerializer.SerializeToElement(inputs));
        }).ToList();
        var response = await Admin.PostAsJsonAsync("/admin/tasks/batch", new NewTaskBatchRequest(tasks));
        return (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<NewTaskBatchResponse>())!.TaskIds;
    }

    public async Task<string> EnqueueRawAsync(object? document = null, object? payload = null)
    {
        var request = new RawTaskRequest(
            Document: document is null ? null : JsonSerializer.SerializeToElement(document),
            Payload: payload is null ? null : JsonSerializer.SerializeToElement(payload));
        var response = await Admin.PostAsJsonAsync("/admin/tasks/raw", request);
        return (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<RawTaskResponse>())!.TaskId;
    }

    public async Task<TaskView> TaskAsync(string taskId) => (await Admin.GetFromJsonAsync<TaskView>($"/admin/tasks/{taskId}"))!;

    public async Task<StatsView> StatsAsync() => (await Admin.GetFromJsonAsync<StatsView>("/admin/stats"))!;

    public Task OutageAsync(double seconds) => Admin.PostAsJsonAsync("/admin/outage", new OutageRequest(seconds));

    /// <summary>Waits until <paramref name="done"/> holds of the emulator's counts, or fails the test with them.</summary>
    public async Task<StatsView> WaitForAsync(Func<StatsView, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var stats = await StatsAsync();
            if (done(stats)) return stats;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Not done within {timeout}: {stats}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopPollerAsync();
        foreach (var executor in _executors)
        {
            await executor.StopAsync();
            executor.Dispose();
        }
        Admin.Dispose();
        await _emulator.StopAsync();
        await _emulator.DisposeAsync();
        try { Directory.Delete(Config.ConfigDir, recursive: true); } catch (IOException) { }
    }
}
