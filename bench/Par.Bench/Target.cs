using System.Collections.Concurrent;
using System.Diagnostics;

namespace Par.Bench;

/// <summary>
/// The HTTP target the actions call, in the bench process (Kestrel on 127.0.0.1): <c>GET /ping</c> answers a tiny JSON;
/// <c>GET /task/{n}</c> also records when request n arrived (pickup latency); <c>GET /noop</c> counts hits.
/// </summary>
public sealed class Target : IAsyncDisposable
{
    private static readonly byte[] Pong = """{"ok":true,"service":"bench-target"}"""u8.ToArray();
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<int, long> _arrivals = new();
    private long _noopHits;

    private Target(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";
    public long NoopHits => Interlocked.Read(ref _noopHits);

    public static async Task<Target> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var target = new Target(app);
        app.MapGet("/ping", () => Results.Bytes(Pong, "application/json"));
        app.MapGet("/noop", () =>
        {
            Interlocked.Increment(ref target._noopHits);
            return Results.Bytes(Pong, "application/json");
        });
        app.MapGet("/task/{n:int}", (int n) =>
        {
            target._arrivals.TryAdd(n, Stopwatch.GetTimestamp());
            return Results.Bytes(Pong, "application/json");
        });
        await app.StartAsync();
        target.BaseUrl = app.Urls.First().TrimEnd('/');
        return target;
    }

    public bool TryGetArrival(int n, out long timestamp) => _arrivals.TryGetValue(n, out timestamp);

    public void ResetArrivals() => _arrivals.Clear();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
