using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Par.Bench;

/// <summary>Collects every figure of the run and writes them as one markdown file.</summary>
public sealed class Report(BenchOptions options)
{
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    public List<(string Knob, string Value)> Knobs { get; } = [];
    public List<PhaseResult> Push { get; } = [];
    public List<PhaseResult> PushUnloaded { get; } = [];
    public List<RssBench.Row> Rss { get; } = [];
    public List<(string Service, long VmRssKb, long VmHwmKb)> RssAfterLoad { get; } = [];
    public List<PullBench.Pickup> Pickups { get; } = [];
    public PullBench.Throughput? PullThroughput { get; set; }
    public List<string> Problems { get; } = [];

    private static string F(double v, int digits = 1) => double.IsNaN(v) ? "–" : v.ToString("N" + digits, CultureInfo.InvariantCulture);

    public string Render(TimeSpan elapsed)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Benchmark run {StartedAt:yyyy-MM-dd HH:mm} UTC").AppendLine();
        md.AppendLine("Produced by `bench/run.sh` (bench/Par.Bench); bench/README.md explains each phase.").AppendLine();
        md.AppendLine("## Machine").AppendLine();
        foreach (var (k, v) in Machine())
            md.AppendLine($"- {k}: {v}");
        md.AppendLine($"- bench run time: {elapsed.TotalSeconds:F0} s");
        var noise = Push.Concat(PushUnloaded).SelectMany(p => p.Cpu).Concat(PullThroughput?.Cpu ?? [])
            .Where(c => c.Name == "other processes" && !double.IsNaN(c.Percent)).Select(c => c.Percent).ToList();
        if (noise.Count > 0)
            md.AppendLine($"- CPU of processes outside the benchmark during the measured windows (noise; % of one core, of {Environment.ProcessorCount * 100} %): " +
                          $"mean {noise.Average():F0}, max {noise.Max():F0}");
        md.AppendLine();

        if (Knobs.Count > 0)
        {
            md.AppendLine("## Settings").AppendLine().AppendLine("| setting | value |").AppendLine("|---|---|");
            foreach (var (k, v) in Knobs) md.AppendLine($"| {k} | {v} |");
            md.AppendLine();
        }

        if (Push.Count > 0)
        {
            md.AppendLine($"## Push: {options.Clients} concurrent clients (closed loop)").AppendLine();
            PhaseTable(md, Push);
            md.AppendLine("## Push: 1 client (unloaded latency)").AppendLine();
            PhaseTable(md, PushUnloaded);
            md.AppendLine("## Push: derived").AppendLine();
            Derived(md);
        }

        if (Rss.Count > 0)
        {
            md.AppendLine($"## Idle RSS (after start-up + ≥ {options.IdleSeconds:F0} s idle)").AppendLine();
            md.AppendLine("| process | start-up to \"Application started\" | VmRSS | RssAnon | RssFile | VmHWM (peak) |").AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var r in Rss)
                md.AppendLine($"| {r.Service} | {r.StartSeconds:F2} s | **{r.VmRssKb / 1024.0:F1} MB** | {r.RssAnonKb / 1024.0:F1} MB | {r.RssFileKb / 1024.0:F1} MB | {r.VmHwmKb / 1024.0:F1} MB |");
            md.AppendLine();
        }

        if (RssAfterLoad.Count > 0)
        {
            md.AppendLine("## Memory after the push phases (same processes, right after their last phase)").AppendLine();
            md.AppendLine("| process | VmRSS | VmHWM (peak) |").AppendLine("|---|---:|---:|");
            foreach (var (service, rss, hwm) in RssAfterLoad)
                md.AppendLine($"| {service} | {rss / 1024.0:F1} MB | {hwm / 1024.0:F1} MB |");
            md.AppendLine();
        }

        if (Pickups.Count > 0)
        {
            md.AppendLine("## Pull: pickup latency (enqueue → the target receives the action's request)").AppendLine();
            md.AppendLine("| mode | pollWaitMs | samples | p50 | p90 | p99 | max | mean | lost |").AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var p in Pickups)
            {
                var l = p.LatenciesMs;
                md.AppendLine($"| {p.Name} | {p.PollWaitMs} | {l.Length} | {F(PhaseResult.Percentile(l, 50))} ms | {F(PhaseResult.Percentile(l, 90))} ms | " +
                              $"{F(PhaseResult.Percentile(l, 99))} ms | {F(l.Length > 0 ? l[^1] : double.NaN)} ms | {F(l.Length > 0 ? l.Average() : double.NaN)} ms | {p.Lost} |");
            }
            md.AppendLine();
        }

        if (PullThroughput is { } t)
        {
            md.AppendLine("## Pull: throughput (one poller process, one executor process)").AppendLine();
            md.AppendLine("| tasks | taskConcurrency | executorConcurrency | seconds (first enqueue → all finished) | tasks/s | succeeded | failed | duplicate reports | target hits |");
            md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            md.AppendLine($"| {t.Tasks} | {t.TaskConcurrency} | {t.ExecutorConcurrency} | {t.Seconds:F2} | **{t.TasksPerSecond:F0}** | {t.Succeeded} | {t.Failed} | {t.Duplicates} | {t.TargetHits} |");
            md.AppendLine().AppendLine($"Warm-up before the measured run: {t.WarmupTasks} tasks over {t.WarmupSeconds:F0} s (until the poller's and executor's background JIT was idle).");
            md.AppendLine().AppendLine("CPU during the run (% of one core; the box has " + Environment.ProcessorCount + "): " + Cpu(t.Cpu)).AppendLine();
        }

        md.AppendLine("## Verdicts").AppendLine();
        md.AppendLine("| target | measured | verdict |").AppendLine("|---|---|---|");
        foreach (var (target, measured, verdict) in Verdicts())
            md.AppendLine($"| {target} | {measured} | {verdict} |");
        md.AppendLine();

        if (Problems.Count > 0)
        {
            md.AppendLine("## Problems during the run").AppendLine();
            foreach (var p in Problems) md.AppendLine("- " + p);
            md.AppendLine();
        }
        return md.ToString();
    }

    private static void PhaseTable(StringBuilder md, IEnumerable<PhaseResult> phases)
    {
        md.AppendLine("| phase | req/s | p50 | p90 | p99 | max | errors | CPU % (of one core) |").AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var p in phases)
            md.AppendLine($"| {p.Name} | **{p.Throughput:F0}** | {F(p.P(50), 2)} ms | {F(p.P(90), 2)} ms | {F(p.P(99), 2)} ms | {F(p.Max, 1)} ms | {p.Errors} | {Cpu(p.Cpu)} |");
        md.AppendLine();
        foreach (var p in phases.Where(p => p.Notes.Length > 0 || p.ErrorSamples.Count > 0))
        {
            md.Append($"- {p.Name} ({p.Clients} client{(p.Clients == 1 ? "" : "s")}): {p.Notes}");
            if (p.ErrorSamples.Count > 0) md.Append($" — first errors: {string.Join("; ", p.ErrorSamples.Select(e => "`" + e.Replace("|", "/").ReplaceLineEndings(" ") + "`"))}");
            md.AppendLine();
        }
        md.AppendLine();
    }

    private static string Cpu(IEnumerable<(string Name, double Percent)> cpu) => string.Join(", ", cpu.Select(c => $"{c.Name} {F(c.Percent, 0)}"));

    private PhaseResult? Find(List<PhaseResult> list, string name) => list.FirstOrDefault(p => p.Name == name);

    private void Derived(StringBuilder md)
    {
        var direct = Find(Push, "direct");
        var direct1 = Find(PushUnloaded, "direct");
        md.AppendLine("| push variant | overhead p50 / p99 vs direct, 64 clients | overhead p50 / p99 vs direct, 1 client | push ÷ bare (direct-reply-to) | push ÷ bare (same reply mode) |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        var bareDrt = Find(Push, "bare request/reply (direct-reply-to)");
        foreach (var p in Push.Where(p => p.Name.StartsWith("push", StringComparison.Ordinal)))
        {
            var p1 = Find(PushUnloaded, p.Name);
            var mode = p.Name.Contains("response-queue") ? "response-queue" : p.Name.Contains("direct-reply-to") ? "direct-reply-to" : null;
            var bareSame = mode is null ? null : Find(Push, $"bare request/reply ({mode})");
            md.AppendLine($"| {p.Name} | {Overhead(p, direct)} | {Overhead(p1, direct1)} | {Ratio(p, bareDrt)} | {Ratio(p, bareSame)} |");
        }
        md.AppendLine();
        md.AppendLine($"CPU time per request at {options.Clients} clients (ms of CPU, from /proc/<pid>/stat over the measured window ÷ requests):").AppendLine();
        md.AppendLine("| phase | total | by process |").AppendLine("|---|---:|---|");
        foreach (var p in Push)
        {
            var ours = p.Cpu.Where(c => c.Name != "other processes" && !double.IsNaN(c.Percent)).ToList();
            md.AppendLine($"| {p.Name} | {ours.Sum(c => c.Percent) * 10 / p.Throughput:F2} | " +
                          string.Join(", ", ours.Select(c => $"{c.Name} {c.Percent * 10 / p.Throughput:F2}")) + " |");
        }
        md.AppendLine();
        var drt = Find(Push, "push, direct-reply-to");
        var rq = Find(Push, "push, response-queue");
        if (drt is not null && rq is not null)
        {
            var faster = drt.Throughput >= rq.Throughput ? drt : rq;
            var slower = faster == drt ? rq : drt;
            md.AppendLine($"Faster reply mode at {options.Clients} clients: **{faster.Name["push, ".Length..]}** ({faster.Throughput:F0} vs {slower.Throughput:F0} req/s, " +
                          $"{(faster.Throughput / slower.Throughput - 1) * 100:F0} % more; p50 {F(faster.P(50), 2)} vs {F(slower.P(50), 2)} ms).");
            var d1 = Find(PushUnloaded, drt.Name);
            var r1 = Find(PushUnloaded, rq.Name);
            if (d1 is not null && r1 is not null)
                md.AppendLine($"At 1 client: direct-reply-to p50 {F(d1.P(50), 2)} ms, response-queue p50 {F(r1.P(50), 2)} ms.");
            md.AppendLine();
        }
    }

    private static string Overhead(PhaseResult? p, PhaseResult? direct) =>
        p is null || direct is null ? "–" : $"{F(p.P(50) - direct.P(50), 2)} / {F(p.P(99) - direct.P(99), 2)} ms";

    private static string Ratio(PhaseResult? p, PhaseResult? bare) =>
        p is null || bare is null ? "–" : F(p.Throughput / bare.Throughput, 2);

    private IEnumerable<(string, string, string)> Verdicts()
    {
        var direct = Find(Push, "direct");
        var direct1 = Find(PushUnloaded, "direct");
        foreach (var mode in new[] { "direct-reply-to", "response-queue" })
        {
            var p = Find(Push, $"push, {mode}");
            if (p is null) continue;
            var p1 = Find(PushUnloaded, p.Name);
            var bare = Find(Push, $"bare request/reply ({mode})") ?? Find(Push, "bare request/reply (direct-reply-to)");
            yield return ($"push ≥ 1,500 actions/s ({mode})", $"{p.Throughput:F0} req/s", AtLeast(p.Throughput, 1500, "req/s"));
            if (direct is not null)
            {
                yield return ($"push p50 overhead ≤ 2 ms ({mode}, {options.Clients} clients)", $"{F(p.P(50) - direct.P(50), 2)} ms", AtMost(p.P(50) - direct.P(50), 2, "ms"));
                yield return ($"push p99 overhead ≤ 10 ms ({mode}, {options.Clients} clients)", $"{F(p.P(99) - direct.P(99), 2)} ms", AtMost(p.P(99) - direct.P(99), 10, "ms"));
            }
            if (p1 is not null && direct1 is not null)
            {
                yield return ($"push p50 overhead ≤ 2 ms ({mode}, 1 client)", $"{F(p1.P(50) - direct1.P(50), 2)} ms", AtMost(p1.P(50) - direct1.P(50), 2, "ms"));
                yield return ($"push p99 overhead ≤ 10 ms ({mode}, 1 client)", $"{F(p1.P(99) - direct1.P(99), 2)} ms", AtMost(p1.P(99) - direct1.P(99), 10, "ms"));
            }
            if (bare is not null)
                yield return ($"push ≥ 0.6 × bare request/reply ({mode} vs {bare.Name["bare request/reply ".Length..].Trim('(', ')')})",
                    F(p.Throughput / bare.Throughput, 2), AtLeast(p.Throughput / bare.Throughput, 0.6, "×"));
        }
        foreach (var r in Rss.Where(r => r.Service != "emulator"))
        {
            var mb = r.VmRssKb / 1024.0;
            yield return ($"idle RSS {r.Service} vs the original's 60–70 MB per runner", $"{mb:F1} MB",
                mb <= 70 ? "within or below" : $"above by {mb - 70:F1} MB (+{(mb / 70 - 1) * 100:F0} %)");
        }
        var longPoll = Pickups.FirstOrDefault(p => p.PollWaitMs > 0);
        if (longPoll is not null)
        {
            var p50 = PhaseResult.Percentile(longPoll.LatenciesMs, 50);
            yield return ("pull pickup p50 ≤ 20 ms (long-poll)", $"{F(p50)} ms", AtMost(p50, 20, "ms"));
        }
        var loop = Pickups.FirstOrDefault(p => p.PollWaitMs == 0);
        if (loop is not null)
            yield return ("pull pickup, original 1 s loop (reference: averages ~500 ms)", $"p50 {F(PhaseResult.Percentile(loop.LatenciesMs, 50))} ms, mean {F(loop.LatenciesMs.DefaultIfEmpty(double.NaN).Average())} ms", "reference");
        if (PullThroughput is { } t)
        {
            yield return ("pull ≥ 1,000 tasks/s through one poller", $"{t.TasksPerSecond:F0} tasks/s", AtLeast(t.TasksPerSecond, 1000, "tasks/s"));
            yield return ("pull duplicates = 0", $"{t.Duplicates} duplicate reports, {t.TargetHits - t.Tasks} extra target hits, {t.Failed} failed",
                t.Duplicates == 0 && t.TargetHits == t.Tasks && t.Failed == 0 ? "met" : "**missed**");
        }
    }

    private static string AtLeast(double value, double target, string unit) =>
        value >= target ? "met" : $"**missed** by {F(target - value, unit == "×" ? 2 : 0)} {unit} ({(1 - value / target) * 100:F0} % short)";

    private static string AtMost(double value, double target, string unit) =>
        value <= target ? "met" : $"**missed** by {F(value - target, 1)} {unit} ({value / target:F1}× the target)";

    private IEnumerable<(string, string)> Machine()
    {
        yield return ("date (UTC)", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        yield return ("nproc", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture));
        yield return ("CPU", Try(() => File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("model name", StringComparison.Ordinal)).Split(':', 2)[1].Trim()));
        yield return ("RAM", Try(() => $"{long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0 / 1024.0:F1} GB"));
        yield return ("OS", Try(() => File.ReadLines("/etc/os-release").First(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))[12..].Trim('"') + ", kernel " + File.ReadAllText("/proc/sys/kernel/osrelease").Trim()));
        yield return (".NET", RuntimeInformation.FrameworkDescription);
        yield return ("RabbitMQ", Try(() => Directory.GetDirectories("/usr/lib/rabbitmq/lib").Select(Path.GetFileName).First()!));
        yield return ("commit", Try(() => Run("git", $"-C {options.RepoRoot} rev-parse --short HEAD") + (Run("git", $"-C {options.RepoRoot} status --porcelain --untracked-files=no").Length > 0 ? " (with uncommitted changes)" : "")));
        yield return ("load average at end", Try(() => File.ReadAllText("/proc/loadavg").Trim()));
    }

    private static string Try(Func<string> f)
    {
        try { return f(); } catch (Exception) { return "unknown"; }
    }

    private static string Run(string file, string args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return output;
    }
}
