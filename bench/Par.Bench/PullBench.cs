using System.Diagnostics;

namespace Par.Bench;

/// <summary>
/// Pull section, against the emulator process on loopback: pickup latency with long-poll and with the original's 1 s
/// loop, then throughput of one poller process and one executor process.
/// </summary>
public sealed class PullBench(BenchOptions o, Target target, Report report, int? rabbitPid)
{
    public sealed record Pickup(string Name, int PollWaitMs, int Samples, int Lost, double[] LatenciesMs);

    public sealed record Throughput(int Tasks, double Seconds, int Succeeded, int Failed, long Duplicates, long TargetHits,
        int TaskConcurrency, int ExecutorConcurrency, IReadOnlyList<(string Name, double Percent)> Cpu)
    {
        public double TasksPerSecond => Tasks / Seconds;
        public double WarmupSeconds { get; init; }
        public int WarmupTasks { get; init; }
    }

    public async Task RunAsync()
    {
        await using var emulator = await EmulatorProc.StartAsync(o);
        report.Knobs.Add(("pull: pickup samples, gap between enqueues", $"{o.PickupSamples}, uniform {o.PickupMinGapMs}-{o.PickupMaxGapMs} ms (open loop)"));
        report.Knobs.Add(("pull, long-poll runner (pickup, then throughput): taskConcurrency / executorConcurrency / pollWaitMs", $"{o.TaskConcurrency} / {o.PullExecutorConcurrency} / 20000"));
        report.Knobs.Add(("pull, 1 s loop runner (pickup): taskConcurrency / executorConcurrency / pollWaitMs", "5 / 32 / 0 (defaults but pollWaitMs)"));
        report.Knobs.Add(("pull throughput: tasks, enqueue batch", $"{o.PullTasks}, {o.PullBatch} per POST /admin/tasks/batch"));

        // One long-poll runner: warmed up, then pickup latency while idle, then throughput.
        Console.WriteLine("pull: long-poll runner (pollWaitMs 20000): warm-up");
        var runner = await emulator.RegisterRunnerAsync();
        var (poller, executor, folder) = await StartRunnerAsync(emulator, runner, 20_000, o.TaskConcurrency, o.PullExecutorConcurrency);
        try
        {
            var warm = await WarmUpAsync(emulator, runner, target.BaseUrl + "/noop", poller, executor);
            if (o.PickupSamples > 0)
                report.Pickups.Add(await PickupAsync(emulator, runner, "long-poll", 20_000, poller, executor));
            report.PullThroughput = await ThroughputAsync(emulator, runner, poller, executor) with
            {
                WarmupSeconds = warm.Seconds,
                WarmupTasks = warm.Tasks,
            };
        }
        finally
        {
            await poller.DisposeAsync();
            await executor.DisposeAsync();
            folder.Dispose();
        }

        if (o.PickupSamples > 0)
        {
            // The original's loop: a pickup waits for the next 1 s tick, so JIT warmth hardly matters; a short warm-up.
            Console.WriteLine("pull: 1 s loop runner (pollWaitMs 0)");
            runner = await emulator.RegisterRunnerAsync();
            (poller, executor, folder) = await StartRunnerAsync(emulator, runner, 0, 5, 32);
            try
            {
                var before = await emulator.StatsAsync();
                await emulator.EnqueueBatchAsync(runner.RunnerId, target.BaseUrl + "/noop", 100);
                await WaitDoneAsync(emulator, before.Succeeded + before.Failed + 100, null, poller, executor);
                report.Pickups.Add(await PickupAsync(emulator, runner, "original 1 s loop", 0, poller, executor));
            }
            finally
            {
                await poller.DisposeAsync();
                await executor.DisposeAsync();
                folder.Dispose();
            }
        }
    }

    private async Task<(ServiceProc Poller, ServiceProc Executor, ConfigFolder Folder)> StartRunnerAsync(EmulatorProc emulator,
        EmulatorProc.Runner runner, int pollWaitMs, int taskConcurrency, int executorConcurrency)
    {
        var folder = new ConfigFolder("pull");
        folder.Write(emulator.PullKeys(runner, o, ConfigFolder.UniqueQueue("pull-run-action"), ConfigFolder.UniqueQueue("pull-results"),
            pollWaitMs, taskConcurrency, executorConcurrency));
        var executor = ServiceProc.Start("executor", o.ServiceDll("services/executor", "par-executor"), folder.Path);
        var poller = ServiceProc.Start("poller", o.ServiceDll("services/poller", "par-poller"), folder.Path);
        await Task.WhenAll(executor.WaitStartedAsync(), poller.WaitStartedAsync());
        return (poller, executor, folder);
    }

    /// <summary>Tasks enqueued one at a time at random gaps on an idle runner; each one's enqueue → target arrival.</summary>
    private async Task<Pickup> PickupAsync(EmulatorProc emulator, EmulatorProc.Runner runner, string name, int pollWaitMs,
        ServiceProc poller, ServiceProc executor)
    {
        Console.WriteLine($"pull: pickup latency, {name} (pollWaitMs {pollWaitMs})");
        // A few tasks one at a time, each waited for, then a pause: the runner is idle when sampling starts.
        for (var i = 1; i <= 5; i++)
        {
            await emulator.EnqueueAsync(runner.RunnerId, $"{target.BaseUrl}/task/{-i}");
            await WaitArrivalAsync(-i, TimeSpan.FromSeconds(60), poller, executor);
        }
        await Task.Delay(300);

        var enqueuedAt = new long[o.PickupSamples];
        var random = new Random(42);
        var next = Stopwatch.GetTimestamp();
        for (var i = 0; i < o.PickupSamples; i++)
        {
            var wait = next - Stopwatch.GetTimestamp();
            if (wait > 0) await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency));
            enqueuedAt[i] = Stopwatch.GetTimestamp();
            await emulator.EnqueueAsync(runner.RunnerId, $"{target.BaseUrl}/task/{i}");
            next = enqueuedAt[i] + (long)(random.Next(o.PickupMinGapMs, o.PickupMaxGapMs + 1) / 1000.0 * Stopwatch.Frequency);
        }
        var deadline = Stopwatch.GetTimestamp() + 10 * Stopwatch.Frequency;
        var latencies = new List<double>();
        for (var i = 0; i < o.PickupSamples; i++)
        {
            long arrival;
            while (!target.TryGetArrival(i, out arrival) && Stopwatch.GetTimestamp() < deadline)
                await Task.Delay(20);
            if (target.TryGetArrival(i, out arrival))
                latencies.Add((arrival - enqueuedAt[i]) * 1000.0 / Stopwatch.Frequency);
        }
        target.ResetArrivals();
        poller.ThrowIfExited();
        executor.ThrowIfExited();
        var sorted = latencies.Order().ToArray();
        return new Pickup(name, pollWaitMs, o.PickupSamples, o.PickupSamples - sorted.Length, sorted);
    }

    private async Task WaitArrivalAsync(int n, TimeSpan timeout, params ServiceProc[] services)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!target.TryGetArrival(n, out _))
        {
            foreach (var s in services) s.ThrowIfExited();
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"warm-up task {n} never reached the target:\n{string.Join("\n", services.Select(s => s.Name + ":\n" + s.Output))}");
            await Task.Delay(10);
        }
    }

    private async Task<Throughput> ThroughputAsync(EmulatorProc emulator, EmulatorProc.Runner runner, ServiceProc poller, ServiceProc executor)
    {
        Console.WriteLine($"pull: throughput, {o.PullTasks} tasks");
        var noop = target.BaseUrl + "/noop";
        var watch = new List<(string, int)> { ("poller", poller.Pid), ("executor", executor.Pid), ("emulator", emulator.Process.Pid) };
        if (rabbitPid is { } pid) watch.Add(("rabbitmq", pid));
        watch.Add(("bench (producer + target)", Environment.ProcessId));
        var baseline = await emulator.StatsAsync();
        var hitsBefore = target.NoopHits;
        var cpu = new CpuWindow(watch);
        cpu.Start();
        var started = Stopwatch.GetTimestamp();
        for (var sent = 0; sent < o.PullTasks; sent += o.PullBatch)
            await emulator.EnqueueBatchAsync(runner.RunnerId, noop, Math.Min(o.PullBatch, o.PullTasks - sent));
        var done = await WaitDoneAsync(emulator, baseline.Succeeded + baseline.Failed + o.PullTasks, null, poller, executor);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var usage = cpu.Stop();
        // Late duplicates or redeliveries would show up after the last report: look once more after a pause.
        await Task.Delay(1000);
        var after = await emulator.StatsAsync();
        Console.WriteLine($"  pull throughput: {o.PullTasks / seconds:F0} tasks/s");
        return new Throughput(o.PullTasks, seconds, done.Succeeded - baseline.Succeeded, done.Failed - baseline.Failed,
            after.DuplicateReports - baseline.DuplicateReports, target.NoopHits - hitsBefore, o.TaskConcurrency, o.PullExecutorConcurrency, usage);
    }

    /// <summary>
    /// Keeps tasks queued until the poller's and executor's background JIT is idle (as the push phases do), then waits
    /// for every warm-up task to finish, so the measured run starts on warm processes and an empty queue.
    /// </summary>
    private async Task<(double Seconds, int Tasks)> WarmUpAsync(EmulatorProc emulator, EmulatorProc.Runner runner, string url,
        ServiceProc poller, ServiceProc executor)
    {
        var before = await emulator.StatsAsync();
        var started = Stopwatch.GetTimestamp();
        var jit = new TieredCompilationMeter([poller.Pid, executor.Pid]);
        jit.TicksSinceLastCall();
        var enqueued = 0;
        var quiet = 0;
        var nextCheck = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        while (true)
        {
            var stats = await emulator.StatsAsync();
            var finished = stats.Succeeded + stats.Failed - before.Succeeded - before.Failed;
            if (enqueued - finished < 200)
            {
                await emulator.EnqueueBatchAsync(runner.RunnerId, url, 200);
                enqueued += 200;
            }
            await Task.Delay(100);
            if (Stopwatch.GetTimestamp() < nextCheck) continue;
            nextCheck += Stopwatch.Frequency;
            quiet = jit.TicksSinceLastCall() <= LoadGenerator.QuietTicksPerSecond ? quiet + 1 : 0;
            var elapsed = Stopwatch.GetElapsedTime(started);
            if ((elapsed.TotalSeconds >= o.WarmupSeconds && quiet >= LoadGenerator.QuietSeconds) || elapsed >= o.MaxWarmup)
                break;
        }
        await WaitDoneAsync(emulator, before.Succeeded + before.Failed + enqueued, null, poller, executor);
        return (Stopwatch.GetElapsedTime(started).TotalSeconds, enqueued);
    }

    private static async Task<EmulatorProc.Stats> WaitDoneAsync(EmulatorProc emulator, int finished, TimeSpan? timeout, params ServiceProc[] services)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((timeout ?? TimeSpan.FromSeconds(120)).TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var stats = await emulator.StatsAsync();
            if (stats.Succeeded + stats.Failed >= finished) return stats;
            foreach (var s in services) s.ThrowIfExited();
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"only {stats.Succeeded + stats.Failed} of {finished} tasks finished: {stats}");
            await Task.Delay(20);
        }
    }
}
