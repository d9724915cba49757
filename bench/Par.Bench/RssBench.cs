using System.Diagnostics;

namespace Par.Bench;

/// <summary>Idle memory: every service started fresh, left idle, then VmRSS read from /proc/&lt;pid&gt;/status.</summary>
public sealed class RssBench(BenchOptions o, Report report)
{
    public sealed record Row(string Service, double StartSeconds, long VmRssKb, long RssAnonKb, long RssFileKb, long VmHwmKb);

    public async Task RunAsync()
    {
        Console.WriteLine($"rss: starting every service, then {o.IdleSeconds} s idle");
        await using var emulator = await EmulatorProc.StartAsync(o);
        var emulatorStarted = Stopwatch.GetElapsedTime(emulator.Process.StartedAtTimestamp);
        var runner = await emulator.RegisterRunnerAsync();
        var tokens = new TokenMinter();

        using var push = new ConfigFolder("rss-push", tokens.JwksJson());
        push.Write(
        [
            ("urn", TokenMinter.RunnerUrn), ("controlPlaneJwks", "jwks.json"), ("brokerUrl", o.BrokerUrl),
            ("brokerQueue", ConfigFolder.UniqueQueue("rss")), ("bindAddress", "127.0.0.1"), ("port", Proc.FreePort()),
            ("actionsAllowlist", new[] { TokenMinter.Action }),
        ]);
        using var pull = new ConfigFolder("rss-pull");
        pull.Write(emulator.PullKeys(runner, o, ConfigFolder.UniqueQueue("rss-pull"), ConfigFolder.UniqueQueue("rss-results"), 20_000, 5, 32));
        using var aio = new ConfigFolder("rss-aio", tokens.JwksJson());
        aio.Write(
        [
            ("urn", TokenMinter.RunnerUrn), ("controlPlaneJwks", "jwks.json"), ("brokerUrl", "in-memory"), ("modes", new[] { "push" }),
            ("bindAddress", "127.0.0.1"), ("port", Proc.FreePort()), ("actionsAllowlist", new[] { TokenMinter.Action }),
        ]);

        // One after the other, so each start-up time is its own and not shared with the others' JIT.
        var services = new List<ServiceProc>();
        var startSeconds = new List<double>();
        try
        {
            foreach (var (name, dll, dir) in new[]
            {
                ("gateway", o.ServiceDll("services/gateway", "par-gateway"), push.Path),
                ("executor", o.ServiceDll("services/executor", "par-executor"), push.Path),
                ("poller", o.ServiceDll("services/poller", "par-poller"), pull.Path),
                ("all-in-one runner (in-memory, push)", o.ServiceDll("services/runner", "par"), aio.Path),
            })
            {
                var service = ServiceProc.Start(name, dll, dir);
                services.Add(service);
                await service.WaitStartedAsync();
                startSeconds.Add(Stopwatch.GetElapsedTime(service.StartedAtTimestamp).TotalSeconds);
            }
            await Task.Delay(TimeSpan.FromSeconds(o.IdleSeconds));

            foreach (var (service, i) in services.Select((s, i) => (s, i)))
            {
                service.ThrowIfExited();
                report.Rss.Add(Read(service, startSeconds[i]));
            }
            report.Rss.Add(Read(emulator.Process, emulatorStarted.TotalSeconds));
        }
        finally
        {
            foreach (var s in services)
                await s.DisposeAsync();
        }
    }

    private static Row Read(ServiceProc s, double startSeconds) =>
        new(s.Name, startSeconds, s.StatusKb("VmRSS"), s.StatusKb("RssAnon"), s.StatusKb("RssFile"), s.StatusKb("VmHWM"));
}
