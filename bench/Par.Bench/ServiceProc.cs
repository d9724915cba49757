using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Par.Bench;

/// <summary>
/// A service started as its own OS process from its built Release dll (<c>dotnet x.dll</c> runs the app in the same
/// process, so the pid is the service's). Output is kept for diagnostics; logs are at Warning except the host's
/// "Application started." line, used as the readiness signal.
/// </summary>
public sealed class ServiceProc : IAsyncDisposable
{
    public const string StartedLine = "Application started.";

    private static readonly List<ServiceProc> Running = [];
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProc(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public long StartedAtTimestamp { get; private set; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static ServiceProc Start(string name, string dll, string? configDir, IEnumerable<string>? args = null,
        IDictionary<string, string>? env = null)
    {
        if (!File.Exists(dll))
            throw new FileNotFoundException($"{dll} is missing: build first (dotnet build Pipeline.sln -c Release).");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args ?? [])
            info.ArgumentList.Add(arg);
        if (configDir is not null)
            info.Environment["DD_PRIVATE_RUNNER_CONFIG_DIR"] = configDir;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
            info.Environment[k] = v;
        // Diagnostics: PAR_BENCH_JIT_LOG=<folder> makes each service list every method the JIT compiles, with its tier.
        if (Environment.GetEnvironmentVariable("PAR_BENCH_JIT_LOG") is { Length: > 0 } jitLog)
        {
            info.Environment["DOTNET_JitDisasmSummary"] = "1";
            info.Environment["DOTNET_JitStdOutFile"] = System.IO.Path.Combine(jitLog, $"{name.Replace(' ', '-')}-{Guid.NewGuid():N}.txt");
        }
        var process = new Process { StartInfo = info };
        var service = new ServiceProc(name, process);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        service.StartedAtTimestamp = Stopwatch.GetTimestamp();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (Running) Running.Add(service);
        return service;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            if (_output.Length < 200_000)
                _output.AppendLine(line);
        }
    }

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before printing '{text}':\n{Output}");
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"{Name}: '{text}' not printed within {timeout}:\n{Output}");
            await Task.Delay(20);
        }
    }

    public Task WaitStartedAsync() => WaitForOutputAsync(StartedLine, TimeSpan.FromSeconds(60));

    public void ThrowIfExited()
    {
        if (_process.HasExited)
            throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}):\n{Output}");
    }

    /// <summary>Reads one field (in kB) of /proc/&lt;pid&gt;/status, e.g. VmRSS.</summary>
    public long StatusKb(string field) => Proc.StatusKb(Pid, field);

    public async ValueTask DisposeAsync()
    {
        lock (Running) Running.Remove(this);
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
        }
        _process.Dispose();
    }

    /// <summary>On an abnormal exit of the bench, kills the processes it started (and only those).</summary>
    public static void KillAllStarted()
    {
        ServiceProc[] all;
        lock (Running) all = [.. Running];
        foreach (var s in all)
        {
            try { if (!s._process.HasExited) s._process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
    }
}

/// <summary>Readings from /proc.</summary>
public static class Proc
{
    /// <summary>USER_HZ: /proc/&lt;pid&gt;/stat counts CPU time in these ticks (100 on Linux).</summary>
    public const double TicksPerSecond = 100;

    public static long StatusKb(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]);
        }
        return -1;
    }

    /// <summary>utime + stime of a process, in ticks; -1 if it is gone or unreadable.</summary>
    public static long CpuTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name, which is in parentheses and may contain spaces.
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // rest[0] is field 3 (state); utime is field 14, stime field 15.
            return long.Parse(rest[11]) + long.Parse(rest[12]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return -1;
        }
    }

    /// <summary>
    /// CPU ticks of each background tiered-compilation thread of a process (".NET Tiered Compilation Worker", shown as
    /// ".NET Tiered Com"), by thread id. The runtime ends that thread when it has nothing to do and starts a new one
    /// later, so ticks are tracked per thread. Empty for a process without one (RabbitMQ) or one that is gone.
    /// </summary>
    public static Dictionary<int, long> TieredCompilationThreads(int pid)
    {
        var result = new Dictionary<int, long>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered", StringComparison.Ordinal)) continue;
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    result[int.Parse(Path.GetFileName(task))] = long.Parse(rest[11]) + long.Parse(rest[12]);
                }
                catch (IOException)
                {
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return result;
    }

    /// <summary>Busy time of all cores (everything but idle and iowait) from /proc/stat, in ticks.</summary>
    public static long SystemBusyTicks()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        // user nice system idle iowait irq softirq steal (guest and guest_nice are already inside user and nice).
        return fields.Take(8).Sum() - fields[3] - fields[4];
    }

    /// <summary>
    /// Samples the machine's busy CPU (all processes, % of one core) over 2 s windows until it is below
    /// <paramref name="busyPercent"/> or <paramref name="maxWait"/> has passed; returns what was seen.
    /// </summary>
    public static async Task<string> WaitForQuietAsync(double busyPercent, TimeSpan maxWait)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var before = SystemBusyTicks();
            await Task.Delay(2000);
            var busy = (SystemBusyTicks() - before) / TicksPerSecond / 2 * 100;
            var waited = Stopwatch.GetElapsedTime(started);
            if (busy <= busyPercent)
                return $"{busy:F0} % CPU busy (of {Environment.ProcessorCount * 100} %) after waiting {waited.TotalSeconds:F0} s for other work to calm down";
            if (waited >= maxWait)
                return $"still {busy:F0} % CPU busy (of {Environment.ProcessorCount * 100} %) from other work after waiting {waited.TotalSeconds:F0} s: figures are noisier than usual";
            Console.WriteLine($"machine busy ({busy:F0} % CPU from other work); waiting for it to calm down");
        }
    }

    /// <summary>The RabbitMQ server (Erlang VM) process, found by name, so its CPU share can be reported.</summary>
    public static int? FindRabbitMq()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() == "beam.smp" &&
                    File.ReadAllText(Path.Combine(dir, "cmdline")).Contains("rabbit", StringComparison.Ordinal))
                    return pid;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return null;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>CPU used by a set of processes between two instants, as % of one core (200 % = both cores of this box).</summary>
public sealed class CpuWindow
{
    private readonly IReadOnlyList<(string Name, int Pid)> _pids;
    private long[] _start = [];
    private long _startAt;

    public CpuWindow(IEnumerable<(string Name, int Pid)> pids) => _pids = [.. pids];

    private long _systemBusyStart;

    public void Start()
    {
        _start = [.. _pids.Select(p => Proc.CpuTicks(p.Pid))];
        _systemBusyStart = Proc.SystemBusyTicks();
        _startAt = Stopwatch.GetTimestamp();
    }

    /// <summary>Each watched process, then "other processes": the machine's busy time not spent in them (the noise).</summary>
    public IReadOnlyList<(string Name, double Percent)> Stop()
    {
        var seconds = Stopwatch.GetElapsedTime(_startAt).TotalSeconds;
        var systemBusy = (Proc.SystemBusyTicks() - _systemBusyStart) / Proc.TicksPerSecond / seconds * 100;
        List<(string Name, double Percent)> result = [.. _pids.Select((p, i) =>
        {
            var end = Proc.CpuTicks(p.Pid);
            return (p.Name, end < 0 || _start[i] < 0 ? double.NaN : (end - _start[i]) / Proc.TicksPerSecond / seconds * 100);
        })];
        result.Add(("other processes", Math.Max(0, systemBusy - result.Where(r => !double.IsNaN(r.Percent)).Sum(r => r.Percent))));
        return result;
    }
}

/// <summary>Background JIT (tier-up) CPU of a set of processes between calls: 0 once their hot code is fully compiled.</summary>
public sealed class TieredCompilationMeter(IEnumerable<int> pids)
{
    private readonly int[] _pids = [.. pids];
    private Dictionary<(int Pid, int Tid), long> _last = [];
    private bool _started;

    public long TicksSinceLastCall()
    {
        var now = new Dictionary<(int, int), long>();
        foreach (var pid in _pids)
            foreach (var (tid, ticks) in Proc.TieredCompilationThreads(pid))
                now[(pid, tid)] = ticks;
        // A thread first seen now counts from 0, except on the first call (whose ticks predate the window).
        var delta = _started ? now.Sum(t => t.Value - _last.GetValueOrDefault(t.Key, 0)) : 0;
        _last = now;
        _started = true;
        return delta;
    }
}
