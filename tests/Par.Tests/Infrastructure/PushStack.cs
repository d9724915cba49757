using Microsoft.AspNetCore.Builder;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Par.Executor;
using Par.Executor.Actions;
using Par.Gateway;
using Par.Shared.Configuration;

namespace Par.Tests.Infrastructure;

/// <summary>
/// A gateway and an executor as two separate hosts joined only by the real RabbitMQ, each with its own service
/// provider and bus connection, as two processes would be. The gateway listens on a free loopback port.
/// </summary>
public sealed class PushStack : IAsyncDisposable
{
    private readonly WebApplication _gateway;
    private readonly IHost? _executor;

    private PushStack(WebApplication gateway, IHost? executor, RunnerConfig config, ControlPlaneKey key, RunCounter counter)
    {
        _gateway = gateway;
        _executor = executor;
        Config = config;
        Key = key;
        Counter = counter;
        Client = new HttpClient { BaseAddress = new Uri(gateway.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };
    }

    public RunnerConfig Config { get; }
    public ControlPlaneKey Key { get; }
    public RunCounter Counter { get; }
    public HttpClient Client { get; }

    public static RunnerConfig NewConfig(ControlPlaneKey key)
    {
        var dir = Directory.CreateTempSubdirectory("par-test-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "credentials"));
        File.WriteAllText(Path.Combine(dir, "jwks.json"), key.JwksJson());
        return new RunnerConfig
        {
            ConfigDir = dir,
            Urn = ControlPlaneKey.RunnerUrn,
            ControlPlaneJwks = "jwks.json",
            BrokerUrl = TestBroker.Url,
            BrokerQueue = TestBroker.UniqueQueue("run-action"),
            Port = 0,
            BindAddress = "127.0.0.1",
            HttpServerWriteTimeout = 15,
            ActionsAllowlist = ["com.datadoghq.http.request", EchoAction.Name, FailingAction.Name, SleepAction.Name],
            AllowedOrigins = ["https://app.example.test"],
        };
    }

    public static async Task<PushStack> StartAsync(Func<RunnerConfig, RunnerConfig>? configure = null, bool withExecutor = true,
        string? gatewayBrokerUrl = null)
    {
        var key = new ControlPlaneKey();
        var config = configure is null ? NewConfig(key) : configure(NewConfig(key));
        var counter = new RunCounter();

        IHost? executor = null;
        if (withExecutor)
        {
            executor = ExecutorApp.Build(config, configureServices: services =>
            {
                services.AddSingleton(counter);
                services.AddSingleton<IAction, EchoAction>();
                services.AddSingleton<IAction, FailingAction>();
                services.AddSingleton<IAction, SleepAction>();
            });
            await executor.StartAsync();
        }

        var gatewayConfig = gatewayBrokerUrl is null ? config : config with { BrokerUrl = gatewayBrokerUrl };
        var gateway = await GatewayApp.BuildAsync(gatewayConfig);
        await gateway.StartAsync();
        if (gatewayBrokerUrl is null)
            await WaitForBusAsync(gateway.Services);
        return new PushStack(gateway, executor, config, key, counter);
    }

    private static async Task WaitForBusAsync(IServiceProvider services)
    {
        var bus = services.GetRequiredService<IBusControl>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (bus.CheckHealth().Status != BusHealthStatus.Healthy)
            await Task.Delay(50, timeout.Token);
    }

    public Task<HttpResponseMessage> RunAsync(string token, string action, object? inputs = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, RunActionEndpoint.Route)
        {
            Content = JsonContent.Create(new { action, inputs = inputs ?? new { } }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _gateway.StopAsync();
        await _gateway.DisposeAsync();
        if (_executor is not null)
        {
            await _executor.StopAsync();
            _executor.Dispose();
        }
        try { Directory.Delete(Config.ConfigDir, recursive: true); } catch (IOException) { }
    }
}
