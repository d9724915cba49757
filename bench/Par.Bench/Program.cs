using System.Diagnostics;
using Par.Bench;

// par-bench: push, idle-memory and pull benchmarks of the runner's services, started as separate OS processes from
// their Release builds. bench/README.md explains the phases; bench/run.sh builds and runs everything.
if (args.Length > 0 && args[0] == BareTransport.EchoFlag)
    return await BareTransport.RunEchoAsync(args);

var options = BenchOptions.Parse(args);
AppDomain.CurrentDomain.ProcessExit += (_, _) => ServiceProc.KillAllStarted();
Console.CancelKeyPress += (_, _) => ServiceProc.KillAllStarted();

var started = Stopwatch.GetTimestamp();
var report = new Report(options);
var rabbitPid = Proc.FindRabbitMq();
if (rabbitPid is null)
    report.Problems.Add("RabbitMQ's process (beam.smp) was not found in /proc: its CPU share is not reported.");

// The machine is shared: wait (a bounded time) for other work to calm down, and say how busy it was.
var quiet = await Proc.WaitForQuietAsync(options.QuietBusyPercent, TimeSpan.FromSeconds(options.WaitQuietSeconds));
report.Knobs.Add(("machine before the run", quiet));
Console.WriteLine($"machine before the run: {quiet}");

var failed = false;
await using (var target = await Target.StartAsync())
{
    async Task Section(string name, Func<Task> run)
    {
        if (!options.Only.Contains(name)) return;
        try
        {
            await run();
        }
        catch (Exception e)
        {
            failed = true;
            report.Problems.Add($"section '{name}' failed: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")[..Math.Min(e.Message.Length, 2000)]}");
            Console.Error.WriteLine($"section '{name}' failed: {e}");
            ServiceProc.KillAllStarted();
        }
    }

    // Idle memory first, on a quiet machine; then push; then pull.
    await Section("rss", () => new RssBench(options, report).RunAsync());
    await Section("push", () => new PushBench(options, target, report, rabbitPid).RunAsync());
    await Section("pull", () => new PullBench(options, target, report, rabbitPid).RunAsync());
}

var markdown = report.Render(Stopwatch.GetElapsedTime(started));
Console.WriteLine();
Console.WriteLine(markdown);
if (options.Out is { } path)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    await File.WriteAllTextAsync(path, markdown);
    Console.WriteLine($"written to {path}");
}
return failed ? 1 : 0;
