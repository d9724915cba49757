using System.Text.Json;
using MassTransit;
using Par.Shared.Broker;
using Par.Shared.Configuration;
using Par.Shared.Contracts;

namespace Par.Bench;

/// <summary>
/// The ceiling of the transport: the product's own RunAction / ActionResult messages over the product's own bus setup
/// (<see cref="BusExtensions.AddRunnerBus"/>), with a consumer that answers at once. The consumer runs in a separate
/// OS process (this program started with <c>--echo-consumer</c>), as the executor does.
/// </summary>
public static class BareTransport
{
    public const string EchoFlag = "--echo-consumer";
    public const string ReadyLine = "echo consumer ready";

    private static readonly JsonElement Outputs = JsonSerializer.SerializeToElement(new { status = 200, body = new { ok = true } });

    public sealed class EchoConsumer : IConsumer<RunAction>
    {
        public Task Consume(ConsumeContext<RunAction> context) =>
            context.RespondAsync(ActionResult.Success(context.Message, Outputs, TimeSpan.Zero, "echo"));
    }

    /// <summary>Same queue name, concurrency and prefetch rules as the executor's consumer definition.</summary>
    public sealed class EchoConsumerDefinition : ConsumerDefinition<EchoConsumer>
    {
        public EchoConsumerDefinition(RunnerConfig config)
        {
            EndpointName = config.BrokerQueue;
            ConcurrentMessageLimit = config.ExecutorConcurrency;
        }

        protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<EchoConsumer> consumer,
            IRegistrationContext context) =>
            endpoint.PrefetchCount = (ushort)Math.Min(ushort.MaxValue, ConcurrentMessageLimit!.Value * 2);
    }

    public static RunnerConfig Config(string brokerUrl, string queue, int concurrency, string replyMode) => new()
    {
        ConfigDir = Path.GetTempPath(),
        BrokerUrl = brokerUrl,
        BrokerQueue = queue,
        ExecutorConcurrency = concurrency,
        BrokerReplyMode = replyMode,
    };

    /// <summary>Child-process entry: <c>--echo-consumer broker queue concurrency</c>; runs until killed.</summary>
    public static async Task<int> RunEchoAsync(string[] args)
    {
        var config = Config(args[1], args[2], int.Parse(args[3]), RunnerConfig.DirectReplyTo);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(config);
        builder.Services.AddRunnerBus(config, bus => bus.AddConsumer<EchoConsumer, EchoConsumerDefinition>());
        using var host = builder.Build();
        await host.StartAsync();
        await WaitHealthyAsync(host.Services);
        Console.WriteLine(ReadyLine);
        await host.WaitForShutdownAsync();
        return 0;
    }

    public static async Task WaitHealthyAsync(IServiceProvider services)
    {
        var bus = services.GetRequiredService<IBusControl>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (bus.CheckHealth().Status != BusHealthStatus.Healthy)
            await Task.Delay(20, timeout.Token);
    }

    /// <summary>The requesting side, in the bench process: a bus with a request client, as the gateway has.</summary>
    public sealed class Requester : IAsyncDisposable
    {
        private readonly IHost _host;
        private readonly IServiceScope _scope;

        private Requester(IHost host)
        {
            _host = host;
            _scope = host.Services.CreateScope();
            Client = _scope.ServiceProvider.GetRequiredService<IRequestClient<RunAction>>();
        }

        public IRequestClient<RunAction> Client { get; }

        public static async Task<Requester> StartAsync(string brokerUrl, string queue, string replyMode)
        {
            var config = Config(brokerUrl, queue, 1, replyMode);
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddRunnerBus(config, bus => bus.AddRequestClient<RunAction>(new Uri($"queue:{queue}")));
            var host = builder.Build();
            await host.StartAsync();
            await WaitHealthyAsync(host.Services);
            return new Requester(host);
        }

        public async Task<bool> CallAsync(JsonElement inputs, CancellationToken cancellationToken)
        {
            var command = new RunAction
            {
                Id = NewId.NextGuid(),
                Origin = ActionOrigin.Push,
                ActionFqn = TokenMinter.Action,
                Inputs = inputs,
                Deadline = DateTimeOffset.UtcNow.AddSeconds(60),
            };
            var response = await Client.GetResponse<ActionResult>(command, cancellationToken, RequestTimeout.After(s: 60));
            return response.Message.Status == ActionStatus.Succeeded;
        }

        public async ValueTask DisposeAsync()
        {
            _scope.Dispose();
            await _host.StopAsync();
            _host.Dispose();
        }
    }
}
