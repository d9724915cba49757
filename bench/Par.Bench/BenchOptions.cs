using System.Globalization;

namespace Par.Bench;

/// <summary>Command-line flags (<c>--name value</c>); every default is what bench/run.sh uses.</summary>
public sealed record BenchOptions
{
    public string RepoRoot { get; init; } = "";
    public string? Out { get; init; }
    public string BrokerUrl { get; init; } = "amqp://guest:guest@127.0.0.1:5672/";
    /// <summary>Sections to run: push, rss, pull (comma-separated).</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string> { "push", "rss", "pull" };

    // Push
    public int Clients { get; init; } = 64;
    /// <summary>Warm-up lasts from this minimum until the JIT is quiet, at most <see cref="MaxWarmupSeconds"/>.</summary>
    public double WarmupSeconds { get; init; } = 5;
    public double MaxWarmupSeconds { get; init; } = 35;
    public double DurationSeconds { get; init; } = 6;
    /// <summary>Unloaded latency phases: one client, sequential requests, right after the loaded phase (processes warm).</summary>
    public double LatencyWarmupSeconds { get; init; } = 1;
    public double LatencyMaxWarmupSeconds { get; init; } = 5;
    public double LatencyDurationSeconds { get; init; } = 4;
    public int ExecutorConcurrency { get; init; } = 64;
    /// <summary>Also run the push path through the all-in-one runner (in-memory broker) as a comparison point.</summary>
    public bool AllInOne { get; init; } = true;

    // Pull
    public int PickupSamples { get; init; } = 80;
    public int PickupMinGapMs { get; init; } = 50;
    public int PickupMaxGapMs { get; init; } = 100;
    public int PullTasks { get; init; } = 5000;
    public int PullBatch { get; init; } = 500;
    public int TaskConcurrency { get; init; } = 64;
    public int PullExecutorConcurrency { get; init; } = 64;

    // Shared machine
    /// <summary>Before starting, wait up to this long for the machine's busy CPU to drop below <see cref="QuietBusyPercent"/>.</summary>
    public double WaitQuietSeconds { get; init; } = 120;
    public double QuietBusyPercent { get; init; } = 25;

    // Idle RSS
    public double IdleSeconds { get; init; } = 10;

    public TimeSpan Warmup => TimeSpan.FromSeconds(WarmupSeconds);
    public TimeSpan MaxWarmup => TimeSpan.FromSeconds(Math.Max(WarmupSeconds, MaxWarmupSeconds));
    public TimeSpan LatencyMaxWarmup => TimeSpan.FromSeconds(Math.Max(LatencyWarmupSeconds, LatencyMaxWarmupSeconds));
    public TimeSpan Duration => TimeSpan.FromSeconds(DurationSeconds);
    public TimeSpan LatencyWarmup => TimeSpan.FromSeconds(LatencyWarmupSeconds);
    public TimeSpan LatencyDuration => TimeSpan.FromSeconds(LatencyDurationSeconds);

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions { RepoRoot = FindRoot() };
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            double D() => double.Parse(Next(), CultureInfo.InvariantCulture);
            int I() => int.Parse(Next(), CultureInfo.InvariantCulture);
            bool B() => bool.Parse(Next());
            o = name switch
            {
                "--repo" => o with { RepoRoot = Path.GetFullPath(Next()) },
                "--out" => o with { Out = Next() },
                "--broker" => o with { BrokerUrl = Next() },
                "--only" => o with { Only = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet() },
                "--clients" => o with { Clients = I() },
                "--warmup" => o with { WarmupSeconds = D() },
                "--max-warmup" => o with { MaxWarmupSeconds = D() },
                "--duration" => o with { DurationSeconds = D() },
                "--latency-max-warmup" => o with { LatencyMaxWarmupSeconds = D() },
                "--latency-warmup" => o with { LatencyWarmupSeconds = D() },
                "--latency-duration" => o with { LatencyDurationSeconds = D() },
                "--executor-concurrency" => o with { ExecutorConcurrency = I() },
                "--all-in-one" => o with { AllInOne = B() },
                "--pickup-samples" => o with { PickupSamples = I() },
                "--pickup-gap-ms" => ParseGap(o, Next()),
                "--pull-tasks" => o with { PullTasks = I() },
                "--pull-batch" => o with { PullBatch = I() },
                "--task-concurrency" => o with { TaskConcurrency = I() },
                "--pull-executor-concurrency" => o with { PullExecutorConcurrency = I() },
                "--idle" => o with { IdleSeconds = D() },
                "--wait-quiet" => o with { WaitQuietSeconds = D() },
                _ => throw new ArgumentException($"unknown flag {name}; see bench/README.md"),
            };
        }
        return o;
    }

    private static BenchOptions ParseGap(BenchOptions o, string value)
    {
        var parts = value.Split('-');
        return o with { PickupMinGapMs = int.Parse(parts[0], CultureInfo.InvariantCulture), PickupMaxGapMs = int.Parse(parts[^1], CultureInfo.InvariantCulture) };
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    public string ServiceDll(string folder, string assembly) => Path.Combine(RepoRoot, folder, "bin", "Release", "net10.0", assembly + ".dll");
}
