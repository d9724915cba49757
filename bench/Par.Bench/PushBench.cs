using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Par.Shared.Configuration;

namespace Par.Bench;

/// <summary>
/// Push section: the direct call, bare request/reply (the transport's ceiling), the push path in both reply modes, and
/// the all-in-one runner over the in-memory broker; each at <c>clients</c> concurrent clients and at one client.
/// The two reply modes (of bare request/reply, and of the push path) are compared as pairs: both variants run side by
/// side, are warmed up together, then measured in alternating slices (A B B A), so that the shared machine's load
/// drifting during the run hits both alike.
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
        report.Knobs.Add(("push: warm-up", $"until the services' background JIT is idle {LoadGenerator.QuietSeconds} s in a row, {o.WarmupSeconds}-{o.MaxWarmup.TotalSeconds} s ({o.MaxWarmup.TotalSeconds * 2} s for a pair warmed up together; 1-client phases {o.LatencyWarmupSeconds}-{o.LatencyMaxWarmup.TotalSeconds} s)"));
        report.Knobs.Add(("push: measured window", $"{o.DurationSeconds} s per variant ({o.LatencyDurationSeconds} s at 1 client); paired variants as 2 slices of half that, A B B A"));
        report.Knobs.Add(("executorConcurrency (push executor, echo consumer, all-in-one)", o.ExecutorConcurrency.ToString()));
        report.Knobs.Add(("gateway: other keys", "defaults (httpServerWriteTimeout 60, maxRequestBodyBytes 4 MiB)"));

        await DirectAsync();
        await BareAsync();
        await PushViaBrokerAsync();
        if (o.AllInOne)
            await AllInOneAsync();
    }

    /// <summary>One side of a comparison: its name, one request, the processes to watch, and what to do before measuring.</summary>
    private sealed record Variant(string Name, Func<CancellationToken, Task<bool>> Call, IReadOnlyList<(string, int)> Watch,
        Func<int, double, Action?> Prepare);

    private static Action? NothingToPrepare(int clients, double seconds) => null;

    /// <summary>Pre-mints the tokens a measured window needs and returns the switch that makes it use them.</summary>
    private Action? PrepareTokens(int clients, double seconds)
    {
        // One client on a warm stack does at most a few thousand requests a second on this kind of box.
        var rate = clients == 1 ? 3_000 : _rateEstimate * 1.3;
        _tokens.PreMint((int)Math.Clamp(rate * seconds, 2_000, 150_000));
        return _tokens.UsePool;
    }

    private async Task<PhaseResult> MeasureAsync(Variant v, int clients, string notes)
    {
        var loaded = clients > 1;
        var onMeasureStart = v.Prepare(clients, loaded ? o.DurationSeconds : o.LatencyDurationSeconds);
        return await LoadGenerator.RunAsync(v.Name, clients, loaded ? o.Warmup : o.LatencyWarmup, loaded ? o.MaxWarmup : o.LatencyMaxWarmup,
            loaded ? o.Duration : o.LatencyDuration, v.Call, v.Watch, () => notes + TokenNote(onMeasureStart), onMeasureStart);
    }

    private string TokenNote(Action? onMeasureStart) =>
        onMeasureStart is null ? "" : $"; {_tokens.PoolSize} tokens pre-minted, {_tokens.InlineMinted} minted inline in the measured window";

    /// <summary>
    /// Warms <paramref name="a"/> and <paramref name="b"/> up together (requests alternate between them), then measures
    /// A B B A at <c>clients</c> and again at one client; each slice re-checks that the JIT is idle before it counts.
    /// </summary>
    private async Task CompareAsync(Variant a, Variant b, string notes)
    {
        long turn = 0;
        var watchBoth = a.Watch.Concat(b.Watch).Distinct().ToList();
        // Two variants' processes re-compile at once (three for the push pair), so their warm-up may take longer.
        var warm = await LoadGenerator.RunAsync($"warm-up of {a.Name} and {b.Name}", o.Clients, o.Warmup, o.MaxWarmup * 2, TimeSpan.FromSeconds(1),
            ct => Interlocked.Increment(ref turn) % 2 == 0 ? a.Call(ct) : b.Call(ct), watchBoth);
        foreach (var (clients, target1) in new[] { (o.Clients, report.Push), (1, report.PushUnloaded) })
        {
            var slices = new Dictionary<Variant, List<PhaseResult>> { [a] = [], [b] = [] };
            var half = clients > 1 ? o.DurationSeconds / 2 : o.LatencyDurationSeconds / 2;
            // A B B A: a drift of the machine's load (or the JIT's last re-compilations) during the run hits both alike.
            foreach (var round in new[] { new[] { a, b }, new[] { b, a } })
            {
                foreach (var v in round)
                {
                    var onMeasureStart = v.Prepare(clients, half);
                    var slice = await LoadGenerator.RunAsync(v.Name, clients, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(clients > 1 ? 4 : 3),
                        TimeSpan.FromSeconds(half), v.Call, v.Watch, () => TokenNote(onMeasureStart).TrimStart(';', ' '), onMeasureStart);
                    slices[v].Add(slice);
                }
            }
            foreach (var v in new[] { a, b })
                target1.Add(PhaseResult.Merge(v.Name, slices[v],
                    $"{(clients > 1 ? $"warmed up with the other reply mode for {warm.WarmupSeconds:F0} s; " : "")}measured as 2 slices of {half:F1} s, A B B A with the other reply mode; {notes}"));
        }
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
        var direct = new Variant("direct", Call, [.. Watch()], NothingToPrepare);
        report.Push.Add(await MeasureAsync(direct, o.Clients, "bench process to its own Kestrel target"));
        report.PushUnloaded.Add(await MeasureAsync(direct, 1, "bench process to its own Kestrel target"));
    }

    /// <summary>Phase (2): one echo consumer process; one requester bus per reply mode in the bench process.</summary>
    private async Task BareAsync()
    {
        Console.WriteLine("push: (2) bare request/reply over RabbitMQ, both reply modes");
        var queue = ConfigFolder.UniqueQueue("bare");
        await using var echo = ServiceProc.Start("echo consumer", typeof(Program).Assembly.Location, null,
            [BareTransport.EchoFlag, o.BrokerUrl, queue, o.ExecutorConcurrency.ToString()]);
        await echo.WaitForOutputAsync(BareTransport.ReadyLine, TimeSpan.FromSeconds(60));
        await using var drt = await BareTransport.Requester.StartAsync(o.BrokerUrl, queue, RunnerConfig.DirectReplyTo);
        await using var rq = await BareTransport.Requester.StartAsync(o.BrokerUrl, queue, RunnerConfig.ResponseQueue);
        var inputs = JsonSerializer.SerializeToElement(new { verb = "GET", url = PingUrl });
        await drt.CallAsync(inputs, CancellationToken.None);
        await rq.CallAsync(inputs, CancellationToken.None);

        var watch = Watch(("echo consumer", echo.Pid)).ToList();
        await CompareAsync(
            new Variant($"bare request/reply ({RunnerConfig.DirectReplyTo})", ct => drt.CallAsync(inputs, ct), watch, NothingToPrepare),
            new Variant($"bare request/reply ({RunnerConfig.ResponseQueue})", ct => rq.CallAsync(inputs, ct), watch, NothingToPrepare),
            "product RunAction/ActionResult messages and bus set-up; echo consumer in its own process, requesters in the bench process");
        _rateEstimate = Math.Max(1000, report.Push.Where(p => p.Name.StartsWith("bare", StringComparison.Ordinal)).Max(p => p.Throughput));
        echo.ThrowIfExited();
    }

    /// <summary>
    /// Phases (3) and (4): one executor process and one gateway process per reply mode (the reply mode is the gateway's
    /// setting; the executor answers to whatever address a command names), all running at once.
    /// </summary>
    private async Task PushViaBrokerAsync()
    {
        Console.WriteLine("push: (3) and (4) gateway -> RabbitMQ -> executor, both reply modes");
        var queue = ConfigFolder.UniqueQueue("run-action");
        using var executorFolder = new ConfigFolder("executor");
        executorFolder.Write(PushKeys(queue, RunnerConfig.DirectReplyTo, Proc.FreePort()));
        using var drtFolder = new ConfigFolder("gateway-drt", _tokens.JwksJson());
        var drtPort = Proc.FreePort();
        drtFolder.Write(PushKeys(queue, RunnerConfig.DirectReplyTo, drtPort));
        using var rqFolder = new ConfigFolder("gateway-rq", _tokens.JwksJson());
        var rqPort = Proc.FreePort();
        rqFolder.Write(PushKeys(queue, RunnerConfig.ResponseQueue, rqPort));

        await using var executor = ServiceProc.Start("executor", o.ServiceDll("services/executor", "par-executor"), executorFolder.Path);
        await using var drt = ServiceProc.Start("gateway", o.ServiceDll("services/gateway", "par-gateway"), drtFolder.Path);
        await using var rq = ServiceProc.Start("gateway", o.ServiceDll("services/gateway", "par-gateway"), rqFolder.Path);
        await Task.WhenAll(executor.WaitStartedAsync(), drt.WaitStartedAsync(), rq.WaitStartedAsync());
        var drtUrl = $"http://127.0.0.1:{drtPort}";
        var rqUrl = $"http://127.0.0.1:{rqPort}";
        await WaitReadyAsync(drtUrl, drt);
        await WaitReadyAsync(rqUrl, rq);
        await WaitFirstSuccessAsync(drtUrl, drt, executor);
        await WaitFirstSuccessAsync(rqUrl, rq, executor);

        var body = RunBody();
        await CompareAsync(
            new Variant($"push, {RunnerConfig.DirectReplyTo}", ct => PushOnceAsync(drtUrl + RunPath, body, ct),
                [.. Watch(("gateway", drt.Pid), ("executor", executor.Pid))], PrepareTokens),
            new Variant($"push, {RunnerConfig.ResponseQueue}", ct => PushOnceAsync(rqUrl + RunPath, body, ct),
                [.. Watch(("gateway", rq.Pid), ("executor", executor.Pid))], PrepareTokens),
            "gateway and executor processes over RabbitMQ");
        foreach (var s in new[] { executor, drt, rq }) s.ThrowIfExited();
        report.RssAfterLoad.Add(($"gateway ({RunnerConfig.DirectReplyTo})", drt.StatusKb("VmRSS"), drt.StatusKb("VmHWM")));
        report.RssAfterLoad.Add(($"gateway ({RunnerConfig.ResponseQueue})", rq.StatusKb("VmRSS"), rq.StatusKb("VmHWM")));
        report.RssAfterLoad.Add(("executor (both push phases)", executor.StatusKb("VmRSS"), executor.StatusKb("VmHWM")));
    }

    private const string RunPath = "/api/v1/actions/run";

    private byte[] RunBody() =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { action = TokenMinter.Action, inputs = new { verb = "GET", url = PingUrl } }));

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
        var body = RunBody();
        var aio = new Variant("push, all-in-one (in-memory)", ct => PushOnceAsync(url + RunPath, body, ct), [.. Watch(("runner", runner.Pid))], PrepareTokens);
        const string notes = "one process: gateway + executor over MassTransit's in-memory transport (comparison point)";
        report.Push.Add(await MeasureAsync(aio, o.Clients, notes));
        report.PushUnloaded.Add(await MeasureAsync(aio, 1, notes));
        runner.ThrowIfExited();
        report.RssAfterLoad.Add(("all-in-one runner (in-memory)", runner.StatusKb("VmRSS"), runner.StatusKb("VmHWM")));
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
        var runUrl = url + RunPath;
        var body = RunBody();
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
