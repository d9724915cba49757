using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Par.Tests.Infrastructure;

/// <summary>
/// A local HTTP service whose first request hangs until the caller is gone, and whose later requests answer at once:
/// the shape of a target an executor dies while calling.
/// </summary>
public sealed class HoldingTarget : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _firstHit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _hits;

    private HoldingTarget(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();
    public int Hits => Volatile.Read(ref _hits);
    public Task FirstHit => _firstHit.Task;

    public static async Task<HoldingTarget> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var target = new HoldingTarget(app);
        app.Map("/hold", async (HttpContext http) =>
        {
            if (Interlocked.Increment(ref target._hits) == 1)
            {
                target._firstHit.TrySetResult();
                try { await Task.Delay(TimeSpan.FromSeconds(60), http.RequestAborted); } catch (OperationCanceledException) { }
                return Results.StatusCode(599);
            }
            return Results.Ok(new { answered = true });
        });
        await app.StartAsync();
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
