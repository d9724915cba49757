using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Par.Tests.Http.Infrastructure;

/// <summary>
/// A forward proxy for plain HTTP: it takes absolute-form requests ("GET http://host/path"), records them and answers
/// itself, so a test can tell a proxied request from a direct one without the proxy reaching anything.
/// </summary>
public sealed class TestProxy : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestProxy(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }
    /// <summary>Request targets as received (absolute-form for proxied requests).</summary>
    public ConcurrentQueue<string> Targets { get; } = new();
    public ConcurrentQueue<string> ProxyAuthorizations { get; } = new();

    public static async Task<TestProxy> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        TestProxy? proxy = null;
        app.Run(async context =>
        {
            var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
            proxy!.Targets.Enqueue(target);
            proxy.ProxyAuthorizations.Enqueue(context.Request.Headers["Proxy-Authorization"].ToString());
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsJsonAsync(new { proxied = true, target });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        proxy = new TestProxy(app, new Uri(address));
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
