using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Par.Executor;
using Par.Tests.Infrastructure;

namespace Par.Tests.Push;

/// <summary>
/// A target that echoes the credential it received back in an error: the secret must reach neither the caller's answer
/// nor any log line of the executor, at any level.
/// </summary>
public sealed class When_a_target_echoes_the_credential_back
{
    private const string Secret = "s3cr3t-token-value-0f9d8e";
    private const string Http = "com.datadoghq.http.request";

    [Fact]
    public async Task The_secret_appears_in_no_answer_and_no_log()
    {
        await using var target = await EchoingTarget.StartAsync();
        await using var stack = await PushStack.StartAsync(withExecutor: false);
        await File.WriteAllTextAsync(Path.Combine(stack.Config.CredentialsDir, "api.json"),
            $$"""{"auth_type":"Token Auth","credentials":[{"tokenName":"apiToken","tokenValue":"{{Secret}}"}]}""");
        var logs = new CapturingLoggerProvider();
        using var executor = ExecutorApp.Build(stack.Config, configureServices: services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            services.Configure<LoggerFilterOptions>(o => o.MinLevel = LogLevel.Trace);
        });
        await executor.StartAsync();

        var connection = new
        {
            id = "conn-echo", integration = "http", credentialsFile = "api.json", baseUrl = target.Url,
            headers = new[] { new { key = "Authorization", value = new[] { "Bearer {{ apiToken }}" } } },
        };
        var response = await stack.RunAsync(stack.Key.Token(Http, connection), Http, new { verb = "GET", url = $"{target.Url}/echo" });
        var answer = await response.Content.ReadAsStringAsync();
        await executor.StopAsync();

        using var body = JsonDocument.Parse(answer);
        Assert.Equal("HTTP_STATUS", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal($"Bearer {Secret}", target.LastAuthorization);
        Assert.DoesNotContain(Secret, answer);
        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Secret, StringComparison.Ordinal));
    }

    private sealed class EchoingTarget : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private EchoingTarget(WebApplication app) => _app = app;
        public string Url => _app.Urls.First();
        public string? LastAuthorization { get; private set; }

        public static async Task<EchoingTarget> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var target = new EchoingTarget(app);
            app.MapGet("/echo", (HttpContext http) =>
            {
                target.LastAuthorization = http.Request.Headers.Authorization.ToString();
                return Results.Json(new { error = "denied", youSent = target.LastAuthorization }, statusCode: 500);
            });
            await app.StartAsync();
            return target;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();
        public ILogger CreateLogger(string categoryName) => new Capturing(this, categoryName);
        public void Dispose() { }

        private sealed class Capturing(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
