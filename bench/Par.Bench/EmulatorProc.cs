using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Par.Shared.Security;

namespace Par.Bench;

/// <summary>The control-plane emulator as its own process (tools/emulator), driven through its admin API.</summary>
public sealed class EmulatorProc : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private EmulatorProc(ServiceProc process, string url)
    {
        Process = process;
        Url = url;
        Admin = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
    }

    public ServiceProc Process { get; }
    public string Url { get; }
    public HttpClient Admin { get; }

    public static async Task<EmulatorProc> StartAsync(BenchOptions o)
    {
        var port = Proc.FreePort();
        var url = $"http://127.0.0.1:{port}";
        var process = ServiceProc.Start("emulator", o.ServiceDll("tools/emulator", "par-emulator"), null, ["--ListenUrl", url]);
        await process.WaitStartedAsync();
        return new EmulatorProc(process, url);
    }

    public sealed record Runner(string RunnerId, string Urn, string PrivateKey);

    /// <summary>A runner of its own per measurement, so no task or waiting dequeue of one phase reaches another.</summary>
    public async Task<Runner> RegisterRunnerAsync()
    {
        using var key = RunnerKey.Generate();
        var response = await Admin.PostAsJsonAsync("/admin/runners", new { publicKeyPem = key.PublicKeyPem }, Json);
        var body = await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(Json);
        return new Runner(body.GetProperty("runnerId").GetString()!, body.GetProperty("urn").GetString()!, key.ToConfigValue());
    }

    public async Task EnqueueAsync(string runnerId, string url)
    {
        var response = await Admin.PostAsJsonAsync("/admin/tasks", Task(runnerId, url), Json);
        response.EnsureSuccessStatusCode();
    }

    public async Task EnqueueBatchAsync(string runnerId, string url, int count)
    {
        var tasks = Enumerable.Range(0, count).Select(_ => Task(runnerId, url)).ToArray();
        var response = await Admin.PostAsJsonAsync("/admin/tasks/batch", new { tasks }, Json);
        response.EnsureSuccessStatusCode();
    }

    private static object Task(string runnerId, string url) =>
        new { action = TokenMinter.Action, inputs = new { verb = "GET", url }, runnerId };

    public sealed record Stats(int Queued, int Leased, int Succeeded, int Failed, int Total, long DuplicateReports, int Runners);

    public async Task<Stats> StatsAsync() => (await Admin.GetFromJsonAsync<Stats>("/admin/stats", Json))!;

    /// <summary>config.yaml keys of a pull runner registered here.</summary>
    public IEnumerable<(string, object)> PullKeys(Runner runner, BenchOptions o, string queue, string resultsQueue, int pollWaitMs,
        int taskConcurrency, int executorConcurrency) =>
    [
        ("ddBaseURL", Url),
        ("urn", runner.Urn),
        ("privateKey", runner.PrivateKey),
        ("modes", new[] { "pull" }),
        ("controlPlaneJwks", Url + "/.well-known/jwks.json"),
        ("brokerUrl", o.BrokerUrl),
        ("brokerQueue", queue),
        ("resultsQueue", resultsQueue),
        ("pollWaitMs", pollWaitMs),
        ("taskConcurrency", taskConcurrency),
        ("executorConcurrency", executorConcurrency),
        ("actionsAllowlist", new[] { TokenMinter.Action }),
    ];

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Process.DisposeAsync();
    }
}
