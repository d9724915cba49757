using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Par.Emulator;
using Par.Emulator.Endpoints;
using Par.Shared.ControlPlane;
using Par.Shared.Security;
using Par.Tests.Support;

namespace Par.Tests.Emulator;

/// <summary>A runner as tests play it: its key, its identity and the JWT it sends.</summary>
public sealed record TestRunner(RunnerKey Key, string RunnerId, long OrgId, RunnerAuthToken Token);

/// <summary>The emulator on Kestrel at a free loopback port, with a clock the test moves.</summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorHost(WebApplication app, EmulatorOptions options, ManualTimeProvider clock)
    {
        _app = app;
        Options = options;
        Clock = clock;
        Client = new HttpClient { BaseAddress = app.BaseAddress(), Timeout = TimeSpan.FromSeconds(60) };
    }

    public EmulatorOptions Options { get; }
    public ManualTimeProvider Clock { get; }
    public HttpClient Client { get; }

    public static async Task<EmulatorHost> StartAsync(EmulatorOptions? options = null, ManualTimeProvider? clock = null)
    {
        options = (options ?? new EmulatorOptions()) with { ListenUrl = "http://127.0.0.1:0" };
        clock ??= new ManualTimeProvider();
        var app = EmulatorApp.Create(options, clock);
        await app.StartAsync();
        return new EmulatorHost(app, options, clock);
    }

    public async Task<TestRunner> EnrollAsync(string name = "test-runner")
    {
        var key = RunnerKey.Generate();
        using var request = new HttpRequestMessage(HttpMethod.Post, PullPaths.Enrollment)
        {
            Content = JsonContent.Create(
                new EnrollmentRequest { RunnerName = name, RunnerModes = ["pull"], PublicKeyPem = key.PublicKeyPem }, options: PullJson.Options),
        };
        request.Headers.Add(PullHeaders.ApiKey, Options.ApiKey);
        request.Headers.Add(PullHeaders.ApplicationKey, Options.ApplicationKey);
        using var response = await Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var enrolled = (await response.Content.ReadFromJsonAsync<EnrollmentResponse>(PullJson.Options))!;
        return new TestRunner(key, enrolled.RunnerId, enrolled.OrgId, new RunnerAuthToken(key, enrolled.OrgId, enrolled.RunnerId, Clock));
    }

    public Task<HttpResponseMessage> PullAsync(HttpMethod method, string path, TestRunner runner, object? body = null) =>
        PullAsync(method, path, runner.Token.Current, body);

    public Task<HttpResponseMessage> PullAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: PullJson.Options);
        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> DequeueAsync(TestRunner runner, int? waitMs = null) =>
        PullAsync(HttpMethod.Post, PullPaths.Dequeue, runner, waitMs is null ? null : new DequeueRequest { WaitMs = waitMs });

    /// <summary>Dequeues and reads the signed payload (without verifying: tests that care verify separately).</summary>
    public async Task<SignedTaskPayload?> DequeuePayloadAsync(TestRunner runner, int? waitMs = null)
    {
        using var response = await DequeueAsync(runner, waitMs);
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length == 0) return null;
        var document = JsonSerializer.Deserialize<TaskDocument>(text, PullJson.Options)!;
        return Es256Jws.ReadUnverifiedPayload(document.Data.Attributes.SignedTask).Deserialize<SignedTaskPayload>(PullJson.Options);
    }

    public Task<HttpResponseMessage> HeartbeatAsync(TestRunner runner, string taskId) =>
        PullAsync(HttpMethod.Post, PullPaths.Heartbeat, runner, HeartbeatRequest.For(taskId));

    public Task<HttpResponseMessage> SucceedAsync(TestRunner runner, string taskId, object outputs) =>
        PullAsync(HttpMethod.Post, PullPaths.PublishTaskUpdate, runner,
            TaskUpdateRequest.Succeeded(taskId, "com.datadoghq.http.request", "job", JsonSerializer.SerializeToElement(outputs)));

    public Task<HttpResponseMessage> FailAsync(TestRunner runner, string taskId, string code, string details) =>
        PullAsync(HttpMethod.Post, PullPaths.PublishTaskUpdate, runner,
            TaskUpdateRequest.Failed(taskId, "com.datadoghq.http.request", "job", code, details));

    public async Task<string> EnqueueAsync(string action = "com.datadoghq.http.request", int? timeoutSeconds = null, string? runnerId = null)
    {
        using var response = await Client.PostAsJsonAsync("/admin/tasks",
            new NewTaskRequest(action, JsonSerializer.SerializeToElement(new { verb = "GET", url = "http://example.test/" }),
                TimeoutSeconds: timeoutSeconds, RunnerId: runnerId));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<NewTaskResponse>())!.TaskId;
    }

    public async Task<TaskView> TaskAsync(string taskId) => (await Client.GetFromJsonAsync<TaskView>($"/admin/tasks/{taskId}"))!;

    public async Task<StatsView> StatsAsync() => (await Client.GetFromJsonAsync<StatsView>("/admin/stats"))!;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
