using System.Diagnostics;

namespace Par.Bench;

/// <summary>What one phase measured, over its measured window only (warm-up excluded).</summary>
public sealed record PhaseResult(
    string Name, int Clients, double Seconds, long Completed, long Errors, double[] LatenciesMs,
    IReadOnlyList<(string Name, double Percent)> Cpu, IReadOnlyList<string> ErrorSamples, string Notes = "")
{
    /// <summary>Successful requests per second of the whole phase, warm-up included (shows how long warm-up takes).</summary>
    public int[] Timeline { get; init; } = [];
    public double WarmupSeconds { get; init; }

    public double Throughput => Completed / Seconds;
    public double P(double q) => Percentile(LatenciesMs, q);
    public double Max => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[^1];

    /// <summary>Slices of one variant measured apart (alternating with another) as one result; CPU weighted by time.</summary>
    public static PhaseResult Merge(string name, IReadOnlyList<PhaseResult> slices, string notes)
    {
        var latencies = slices.SelectMany(s => s.LatenciesMs).ToArray();
        Array.Sort(latencies);
        var seconds = slices.Sum(s => s.Seconds);
        var cpu = slices.SelectMany(s => s.Cpu.Select(c => (c.Name, Weighted: c.Percent * s.Seconds)))
            .GroupBy(c => c.Name).Select(g => (g.Key, g.Sum(c => c.Weighted) / seconds)).ToList();
        var sliceNotes = slices.Select(s => s.Notes).Where(n => n.Length > 0).Distinct().ToList();
        return new PhaseResult(name, slices[0].Clients, seconds, slices.Sum(s => s.Completed), slices.Sum(s => s.Errors), latencies, cpu,
            [.. slices.SelectMany(s => s.ErrorSamples).Take(5)], notes + (sliceNotes.Count > 0 ? $" (slices: {string.Join(" / ", sliceNotes)})" : ""))
        {
            Timeline = [.. slices.SelectMany(s => s.Timeline)],
            WarmupSeconds = slices.Sum(s => s.WarmupSeconds),
        };
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double q)
    {
        if (sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(q / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>
/// Closed-loop load: <c>clients</c> workers each send one request, wait for its answer, send the next.
/// Warm-up lasts until every watched .NET process has finished re-compiling its hot code (its tiered-compilation thread
/// idle for <see cref="QuietSeconds"/> s in a row), at least <c>minWarmup</c> and at most <c>maxWarmup</c>: a service
/// JIT-compiles about 13,000 methods (tier 0, instrumented, tier 1) before it is warm, which takes 20-30 s of load on
/// this 2-core box, so a fixed 5 s warm-up would measure the JIT, not the runner. Only requests that start and finish
/// inside the measured window count, for both throughput and latency.
/// </summary>
public static class LoadGenerator
{
    public const int QuietSeconds = 2;
    /// <summary>Tiered-compilation CPU per second (all watched processes) still counted as idle: 2 ticks = 20 ms.</summary>
    public const int QuietTicksPerSecond = 2;

    /// <param name="call">One request; false (or an exception) counts as an error.</param>
    public static async Task<PhaseResult> RunAsync(string name, int clients, TimeSpan minWarmup, TimeSpan maxWarmup, TimeSpan duration,
        Func<CancellationToken, Task<bool>> call, IEnumerable<(string Name, int Pid)> watch, Func<string>? notes = null,
        Action? onMeasureStart = null)
    {
        var watched = watch.ToList();
        var freq = (double)Stopwatch.Frequency;
        var begin = Stopwatch.GetTimestamp();
        long measureStart = long.MaxValue, measureEnd = long.MaxValue;
        var cpu = new CpuWindow(watched);
        var errorSamples = new List<string>();
        long errors = 0;
        var perWorker = new List<double>[clients];
        var timeline = new int[(int)Math.Ceiling((maxWarmup + duration).TotalSeconds) + 2];
        var jitPerSecond = new List<long>();
        using var stop = new CancellationTokenSource();

        // The controller: ends the warm-up once the JIT is quiet, then times the measured window.
        var controller = Task.Run(async () =>
        {
            var quiet = 0;
            var jit = new TieredCompilationMeter(watched.Select(p => p.Pid));
            jit.TicksSinceLastCall();
            while (true)
            {
                await Task.Delay(1000);
                var ticks = jit.TicksSinceLastCall();
                jitPerSecond.Add(ticks);
                quiet = ticks <= QuietTicksPerSecond ? quiet + 1 : 0;
                var elapsed = Stopwatch.GetElapsedTime(begin);
                if ((elapsed >= minWarmup && quiet >= QuietSeconds) || elapsed >= maxWarmup)
                    break;
            }
            onMeasureStart?.Invoke();
            Console.WriteLine($"  {name}, {clients} client(s): measuring {duration.TotalSeconds:F0} s after {Stopwatch.GetElapsedTime(begin).TotalSeconds:F0} s of warm-up");
            cpu.Start();
            var startAt = Stopwatch.GetTimestamp();
            Volatile.Write(ref measureEnd, startAt + (long)(duration.TotalSeconds * freq));
            Volatile.Write(ref measureStart, startAt);
            stop.CancelAfter(duration + TimeSpan.FromSeconds(30));
            await Task.Delay(duration);
            return (Warmup: Stopwatch.GetElapsedTime(begin, startAt), Stable: quiet >= QuietSeconds, Cpu: cpu.Stop());
        });

        var workers = Enumerable.Range(0, clients).Select(w => Task.Run(async () =>
        {
            var latencies = perWorker[w] = new List<double>(16_384);
            while (true)
            {
                var t0 = Stopwatch.GetTimestamp();
                if (t0 >= Volatile.Read(ref measureEnd)) break;
                bool ok;
                string? error = null;
                try
                {
                    ok = await call(stop.Token);
                    if (!ok) error = "answer was not a success";
                }
                catch (Exception e)
                {
                    ok = false;
                    error = $"{e.GetType().Name}: {e.Message}";
                }
                var t1 = Stopwatch.GetTimestamp();
                if (ok)
                    Interlocked.Increment(ref timeline[Math.Min(timeline.Length - 1, (int)((t1 - begin) / freq))]);
                if (t0 < Volatile.Read(ref measureStart) || t1 > Volatile.Read(ref measureEnd)) continue;
                if (ok)
                {
                    latencies.Add((t1 - t0) * 1000 / freq);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                    lock (errorSamples)
                        if (errorSamples.Count < 5) errorSamples.Add(error!);
                }
            }
        })).ToArray();

        var (warmedFor, stable, cpuResult) = await controller;
        await Task.WhenAll(workers);
        var all = perWorker.SelectMany(l => l).ToArray();
        Array.Sort(all);
        var used = (int)Math.Ceiling((warmedFor + duration).TotalSeconds);
        var warmNote = $"warm-up {warmedFor.TotalSeconds:F0} s{(stable ? "" : " (JIT still busy at the cap)")}";
        var result = new PhaseResult(name, clients, duration.TotalSeconds, all.Length, errors, all, cpuResult, errorSamples,
            notes?.Invoke() is { Length: > 0 } text ? warmNote + "; " + text : warmNote)
        {
            Timeline = timeline[..Math.Min(used, timeline.Length)],
            WarmupSeconds = warmedFor.TotalSeconds,
        };
        Console.WriteLine($"  {name}, {clients} client(s): {result.Throughput:F0}/s, p50 {result.P(50):F2} ms, p99 {result.P(99):F2} ms, {warmNote}");
        Console.WriteLine($"    req/s each second: {string.Join(' ', result.Timeline)}");
        Console.WriteLine($"    background JIT ticks each second: {string.Join(' ', jitPerSecond)}");
        return result;
    }
}
