using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Par.Shared.Configuration;

namespace Par.Bench;

/// <summary>
/// Push section: the direct call, bare request/reply (the transport's ceiling), the push path in both reply modes, and
/// the all-in-one runner over the in-memory broker; each at <c>clients</c> concurrent clients and at one client.
/// </summary>
public sealed class PushBench(BenchOptions o, Target target, Report report, int? rabbitPid)
{
    private readonly HttpClient _http = LoadClient();
    private readonly TokenMinter _tokens = new();
    private double _rateEstimate = 4000;

    public static HttpClient LoadClient() => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 1024,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseCookies = false,
        UseProxy = false,
        AllowAutoRedirect = false,
    }) { Timeout = TimeSpan.FromSeconds(60) };

    private string PingUrl => target.BaseUrl + "/ping";

    public async Task RunAsync()
    {
        report.Knobs.Add(("push: concurrent clients", o.Clients.ToString()));
        report.Knobs.Add(("push: warm-up per phase", $"until the services' background JIT is idle {LoadGenerator.QuietSeconds} s in a row, {o.WarmupSeconds}-{o.MaxWarmup.TotalSeconds} s; 1-client phases {o.LatencyWarmupSeconds}-{o.LatencyMaxWarmup.TotalSeconds} s"));
        report.Knobs.Add(("push: measured window per phase", $"{o.DurationSeconds} s ({o.LatencyDurationSeconds} s for 1-client phases)"));
        report.Knobs.Add(("executorConcurrency (push executor, echo consumer, all-in-one)", o.ExecutorConcurrency.ToString()));
        report.Knobs.Add(("gateway httpServerWriteTimeout", "60 (default)"));

        await DirectAsync();
        await BareAsync(RunnerConfig.DirectReplyTo);
        if (o.BareResponseQueue)
            await BareAsync(RunnerConfig.ResponseQueue);
        await PushViaBrokerAsync();
        if (o.AllInOne)
            await AllInOneAsync();
    }

    private IEnumerable<(string, int)> Watch(params (string Name, int Pid)[] services)
    {
        foreach (var s in services) yield return s;
        if (rabbitPid is { } pid) yield return ("rabbitmq", pid);
        yield return ("bench (load + target)", Environment.ProcessId);
    }

    private async Task DirectAsync()
    {
        Console.WriteLine("push: (1) direct HTTP GET to the target");
        async Task<bool> Call(CancellationToken ct)
        {
            using var response = await _http.GetAsync(PingUrl, ct);
            await response.Content.ReadAsByteArrayAsync(ct);
            return response.IsSuccessStatusCode;
        }
        report.Push.Add(await LoadGenerator.RunAsync("direct", o.Clients, o.Warmup, o.MaxWarmup, o.Duration, Call, Watch()));
        report.PushUnloaded.Add(await LoadGenerator.RunAsync("direct", 1, o.LatencyWarmup, o.LatencyMaxWarmup, o.LatencyDuration, Call, Watch()));
    }

    private async Task BareAsync(string replyMode)
    {
        Console.WriteLine($"push: (2) bare request/reply, {replyMode}");
        var queue = ConfigFolder.UniqueQueue("bare");
        await using var echo = ServiceProc.Start("echo consumer", typeof(Program).Assembly.Location, null,
            [BareTransport.EchoFlag, o.BrokerUrl, queue, o.ExecutorConcurrency.ToString()]);
        await echo.WaitForOutputAsync(BareTransport.ReadyLine, TimeSpan.FromSeconds(60));
        await using var requester = await BareTransport.Requester.StartAsync(o.BrokerUrl, queue, replyMode);
        var inputs = JsonSerializer.SerializeToElement(new { verb = "GET", url = PingUrl });
        await requester.CallAsync(inputs, CancellationToken.None);

        var name = $"bare request/reply ({replyMode})";
        var loaded = await LoadGenerator.RunAsync(name, o.Clients, o.Warmup, o.MaxWarmup, o.Duration, ct => requester.CallAsync(inputs, ct),
            Watch(("echo consumer", echo.Pid)), () => "echo consumer in its own process; requester bus in the bench process");
        report.Push.Add(loaded);
        report.PushUnloaded.Add(await LoadGenerator.RunAsync(name, 1, o.LatencyWarmup, o.LatencyMaxWarmup, o.LatencyDuration,
            ct => requester.CallAsync(inputs, ct), Watch(("echo consumer", echo.Pid))));
        if (replyMode == RunnerConfig.DirectReplyTo)
            _rateEstimate = Math.Max(1000, loaded.Throughput);
        echo.ThrowIfExited();
    }

    /// <summary>
    /// Phases (3) and (4): one executor process serves both; a gateway process per reply mode (the reply mode is the
    /// gateway's setting; the executor answers to whatever address a command names). Sharing the executor saves one
    /// warm-up; each phase still warms up until both processes' JIT is idle.
    /// </summary>
    private async Task PushViaBrokerAsync()
    {
        var queue = ConfigFolder.UniqueQueue("run-action");
        using var executorFolder = new ConfigFolder("executor");
        executorFolder.Write(PushKeys(queue, RunnerConfig.DirectReplyTo, Proc.FreePort()));
        await using var executor = ServiceProc.Start("executor", o.ServiceDll("services/executor", "par-executor"), executorFolder.Path);
        await executor.WaitStartedAsync();
        foreach (var (replyMode, number) in new[] { (RunnerConfig.DirectReplyTo, 3), (RunnerConfig.ResponseQueue, 4) })
        {
            Console.WriteLine($"push: ({number}) gateway -> RabbitMQ -> executor, {replyMode}");
            using var folder = new ConfigFolder("gateway", _tokens.JwksJson());
            var port = Proc.FreePort();
            folder.Write(PushKeys(queue, replyMode, port));
            await using var gateway = ServiceProc.Start("gateway", o.ServiceDll("services/gateway", "par-gateway"), folder.Path);
            await gateway.WaitStartedAsync();
            var url = $"http://127.0.0.1:{port}";
            await WaitReadyAsync(url, gateway);
            await WaitFirstSuccessAsync(url, gateway, executor);
            await RunPushPhasesAsync($"push, {replyMode}", url, Watch(("gateway", gateway.Pid), ("executor", executor.Pid)),
                "gateway and executor processes over RabbitMQ");
            gateway.ThrowIfExited();
            executor.ThrowIfExited();
            report.RssAfterLoad.Add(($"gateway ({replyMode})", gateway.StatusKb("VmRSS"), gateway.StatusKb("VmHWM")));
        }
        report.RssAfterLoad.Add(("executor (both push phases)", executor.StatusKb("VmRSS"), executor.StatusKb("VmHWM")));
    }

    private IEnumerable<(string, object)> PushKeys(string queue, string replyMode, int port) =>
    [
        ("urn", TokenMinter.RunnerUrn),
        ("controlPlaneJwks", "jwks.json"),
        ("brokerUrl", o.BrokerUrl),
        ("brokerQueue", queue),
        ("brokerReplyMode", replyMode),
        ("bindAddress", "127.0.0.1"),
        ("port", port),
        ("executorConcurrency", o.ExecutorConcurrency),
        ("actionsAllowlist", new[] { TokenMinter.Action }),
    ];

    private async Task AllInOneAsync()
    {
        Console.WriteLine("push: (5) all-in-one runner, in-memory broker");
        using var folder = new ConfigFolder("aio", _tokens.JwksJson());
        var port = Proc.FreePort();
        folder.Write(
        [
            ("urn", TokenMinter.RunnerUrn),
            ("controlPlaneJwks", "jwks.json"),
            ("brokerUrl", "in-memory"),
            ("modes", new[] { "push" }),
            ("bindAddress", "127.0.0.1"),
            ("port", port),
            ("executorConcurrency", o.ExecutorConcurrency),
            ("actionsAllowlist", new[] { TokenMinter.Action }),
        ]);
        await using var runner = ServiceProc.Start("runner", o.ServiceDll("services/runner", "par"), folder.Path);
        await runner.WaitStartedAsync();
        var url = $"http://127.0.0.1:{port}";
        await WaitReadyAsync(url, runner);
        await WaitFirstSuccessAsync(url, runner);
        await RunPushPhasesAsync("push, all-in-one (in-memory)", url, Watch(("runner", runner.Pid)),
            "one process: gateway + executor over MassTransit's in-memory transport (comparison point)");
        runner.ThrowIfExited();
        report.RssAfterLoad.Add(("all-in-one runner (in-memory)", runner.StatusKb("VmRSS"), runner.StatusKb("VmHWM")));
    }

    private async Task RunPushPhasesAsync(string name, string gatewayUrl, IEnumerable<(string, int)> watch, string notes)
    {
        var runUrl = gatewayUrl + "/api/v1/actions/run";
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { action = TokenMinter.Action, inputs = new { verb = "GET", url = PingUrl } }));

        var count = (int)Math.Clamp(_rateEstimate * o.DurationSeconds * 1.3, 5_000, 150_000);
        var minting = _tokens.PreMint(count);
        var loaded = await LoadGenerator.RunAsync(name, o.Clients, o.Warmup, o.MaxWarmup, o.Duration, ct => PushOnceAsync(runUrl, body, ct), watch,
            () => notes + $"; measured window: {_tokens.PoolSize} tokens pre-minted in {minting.TotalSeconds:F1} s, {_tokens.InlineMinted} minted inline",
            _tokens.UsePool);
        report.Push.Add(loaded);

        // One client on a warm stack: at most a few thousand requests a second on this kind of box.
        count = (int)Math.Clamp(3_000 * o.LatencyDurationSeconds, 2_000, 50_000);
        _tokens.PreMint(count);
        report.PushUnloaded.Add(await LoadGenerator.RunAsync(name, 1, o.LatencyWarmup, o.LatencyMaxWarmup, o.LatencyDuration,
            ct => PushOnceAsync(runUrl, body, ct), watch, () => $"{_tokens.InlineMinted} tokens minted inline in the measured window", _tokens.UsePool));
    }

    private async Task<bool> PushOnceAsync(string runUrl, byte[] body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, runUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _tokens.Take());
        using var response = await _http.SendAsync(request, ct);
        var answer = await response.Content.ReadAsByteArrayAsync(ct);
        if (response.IsSuccessStatusCode && answer.AsSpan().IndexOf("\"status\":\"succeeded\""u8) >= 0)
            return true;
        throw new InvalidOperationException($"{(int)response.StatusCode}: {Encoding.UTF8.GetString(answer.AsSpan(0, Math.Min(answer.Length, 300)))}");
    }

    private async Task WaitReadyAsync(string url, ServiceProc service)
    {
        for (var i = 0; i < 600; i++)
        {
            service.ThrowIfExited();
            try
            {
                using var response = await _http.GetAsync(url + "/readyz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"{service.Name} not ready at {url}/readyz:\n{service.Output}");
    }

    /// <summary>The executor is connected once one push request succeeds end to end.</summary>
    private async Task WaitFirstSuccessAsync(string url, params ServiceProc[] services)
    {
        var runUrl = url + "/api/v1/actions/run";
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { action = TokenMinter.Action, inputs = new { verb = "GET", url = PingUrl } }));
        Exception? last = null;
        for (var i = 0; i < 100; i++)
        {
            foreach (var s in services) s.ThrowIfExited();
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                if (await PushOnceAsync(runUrl, body, cts.Token)) return;
            }
            catch (Exception e)
            {
                last = e;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no push request succeeded: {last?.Message}\n{string.Join("\n", services.Select(s => s.Name + ":\n" + s.Output))}");
    }
}
