using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Par.Tests.Http.Infrastructure;

/// <summary>
/// A real HTTP server on 127.0.0.1 (plain and TLS listeners) that the action calls. Endpoints echo what they receive,
/// answer chosen statuses, redirect, stall, and stream large bodies.
/// </summary>
public sealed class TestTarget : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestTarget(WebApplication app, TestCertificates certificates, int httpPort, int httpsPort)
    {
        _app = app;
        Certificates = certificates;
        HttpPort = httpPort;
        HttpsPort = httpsPort;
    }

    public TestCertificates Certificates { get; }
    public int HttpPort { get; }
    public int HttpsPort { get; }
    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    public string Http(string pathAndQuery) => $"http://127.0.0.1:{HttpPort}{pathAndQuery}";
    public string Http(string host, string pathAndQuery) => $"http://{host}:{HttpPort}{pathAndQuery}";
    public string Https(string host, string pathAndQuery) => $"https://{host}:{HttpsPort}{pathAndQuery}";

    public static async Task<TestTarget> StartAsync()
    {
        var certificates = new TestCertificates();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificateSelector = (_, name) => certificates.ForServerName(name),
            }));
        });
        var app = builder.Build();
        TestTarget? target = null;
        app.Run(context => Handle(target!, context));
        await app.StartAsync();

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        int Port(string scheme) => new Uri(addresses.Single(a => a.StartsWith(scheme + "://", StringComparison.Ordinal))).Port;
        target = new TestTarget(app, certificates, Port("http"), Port("https"));
        return target;
    }

    private static async Task Handle(TestTarget target, HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        target.Received.Enqueue($"{request.Method} {request.Host}{request.Path}{request.QueryString}");
        var query = request.Query;
        var path = request.Path.Value ?? "/";
        switch (path)
        {
            case "/echo":
                await Echo(context);
                return;
            case var p when p.StartsWith("/status/", StringComparison.Ordinal):
                response.StatusCode = int.Parse(p["/status/".Length..]);
                if (query.TryGetValue("header", out var header))
                    response.Headers["X-Echoed"] = request.Headers[header.ToString()];
                var body = query.TryGetValue("repeat", out var repeat)
                    ? new string(query["char"].ToString()[0], int.Parse(repeat!))
                    : query["body"].ToString();
                if (query.TryGetValue("echo", out var echoed))
                    body += request.Headers[echoed.ToString()];
                await response.WriteAsync(body);
                return;
            case "/redirect":
                response.StatusCode = int.Parse(query["code"].FirstOrDefault() ?? "302");
                response.Headers.Location = query["to"].ToString();
                return;
            case var p when p.StartsWith("/chain/", StringComparison.Ordinal):
                var remaining = int.Parse(p["/chain/".Length..]);
                if (remaining == 0)
                {
                    await response.WriteAsync("end of chain");
                    return;
                }
                response.StatusCode = 302;
                response.Headers.Location = $"/chain/{remaining - 1}";
                return;
            case "/slow":
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
                return;
            case "/bytes":
                await StreamBytes(context, long.Parse(query["count"]!), query.ContainsKey("chunked"));
                return;
            case "/json":
                response.ContentType = query["type"].FirstOrDefault() ?? "application/json";
                await response.WriteAsync(query["body"].FirstOrDefault() ?? """{"name":"par","items":[1,2,3],"nested":{"ok":true}}""");
                return;
            case "/latin1":
                response.ContentType = "text/plain; charset=iso-8859-1";
                await response.Body.WriteAsync(Encoding.Latin1.GetBytes("café crème"));
                return;
            case "/gzip":
                response.ContentType = "application/json";
                response.Headers.ContentEncoding = "gzip";
                await using (var gzip = new GZipStream(response.Body, CompressionLevel.Fastest, leaveOpen: true))
                    await gzip.WriteAsync(Encoding.UTF8.GetBytes("{\"compressed\":true,\"padding\":\"" + new string('x', 5000) + "\"}"));
                return;
            case "/binary":
                response.ContentType = "application/octet-stream";
                await response.Body.WriteAsync(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray());
                return;
            case "/headers":
                response.Headers.Append("Set-Cookie", "a=1; Path=/");
                response.Headers.Append("Set-Cookie", "b=2; Path=/");
                response.Headers.Append("X-Multi", "one");
                response.Headers.Append("X-Multi", "two");
                response.ContentType = "text/plain";
                await response.WriteAsync("ok");
                return;
            default:
                response.StatusCode = 404;
                await response.WriteAsync("no such endpoint");
                return;
        }
    }

    /// <summary>Answers with what was received: method, path, query, headers, body, multipart parts.</summary>
    private static async Task Echo(HttpContext context)
    {
        var request = context.Request;
        var echo = new Dictionary<string, object?>
        {
            ["method"] = request.Method,
            ["host"] = request.Host.Value,
            ["path"] = request.Path.Value,
            ["query"] = request.QueryString.Value,
            ["queryValues"] = request.Query.ToDictionary(q => q.Key, q => q.Value.ToArray()),
            ["headers"] = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
        };
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            echo["fields"] = form.ToDictionary(f => f.Key, f => f.Value.ToString());
            var files = new List<object>();
            foreach (var file in form.Files)
            {
                using var stream = new MemoryStream();
                await file.CopyToAsync(stream);
                files.Add(new { name = file.Name, fileName = file.FileName, contentType = file.ContentType, base64 = Convert.ToBase64String(stream.ToArray()) });
            }
            echo["files"] = files;
        }
        else
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            echo["body"] = await reader.ReadToEndAsync();
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(echo));
    }

    private static async Task StreamBytes(HttpContext context, long count, bool chunked)
    {
        if (!chunked)
            context.Response.ContentLength = count;
        context.Response.ContentType = "application/octet-stream";
        var chunk = new byte[8192];
        Array.Fill(chunk, (byte)'a');
        try
        {
            for (long sent = 0; sent < count; sent += chunk.Length)
            {
                var size = (int)Math.Min(chunk.Length, count - sent);
                var flushed = await context.Response.BodyWriter.WriteAsync(chunk.AsMemory(0, size), context.RequestAborted);
                if (flushed.IsCompleted || flushed.IsCanceled)
                    return;
            }
        }
        catch (OperationCanceledException)
        {
            // The client stopped reading: exactly what the output cap is meant to do.
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
        Certificates.Dispose();
    }
}
