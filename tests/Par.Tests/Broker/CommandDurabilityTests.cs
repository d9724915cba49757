using System.Text.Json;
using MassTransit;
using MassTransit.RabbitMqTransport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Par.Shared.Broker;
using Par.Shared.Configuration;
using Par.Shared.Contracts;
using Par.Tests.Infrastructure;

namespace Par.Tests.Broker;

/// <summary>What RabbitMQ receives for each origin, read off the delivery itself (AMQP delivery mode).</summary>
public sealed class When_a_command_is_sent_over_RabbitMQ
{
    [Theory]
    [InlineData(ActionOrigin.Push, false)]
    [InlineData(ActionOrigin.Pull, true)]
    public async Task Push_commands_are_transient_and_pull_commands_persistent(ActionOrigin origin, bool persistent)
    {
        var queue = TestBroker.UniqueQueue("durability");
        var seen = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(seen);
        builder.Services.AddRunnerBus(new RunnerConfig { ConfigDir = "config", BrokerUrl = TestBroker.Url, BrokerQueue = queue },
            bus => bus.AddConsumer<DeliveryModeProbe>().Endpoint(e => e.Name = queue));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var endpoint = await host.Services.GetRequiredService<ISendEndpointProvider>().GetSendEndpoint(new Uri($"queue:{queue}"));
            await endpoint.Send(new RunAction
            {
                Id = Guid.NewGuid(),
                Origin = origin,
                ActionFqn = "test.echo",
                Inputs = JsonDocument.Parse("{}").RootElement,
                Deadline = DateTimeOffset.UtcNow.AddMinutes(1),
            });

            Assert.Equal(persistent, await seen.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(stopping.Token);
        }
    }

    private sealed class DeliveryModeProbe(TaskCompletionSource<bool> seen) : IConsumer<RunAction>
    {
        public Task Consume(ConsumeContext<RunAction> context)
        {
            var delivery = Assert.IsAssignableFrom<RabbitMqReceiveContext>(context.ReceiveContext);
            seen.TrySetResult(delivery.Properties.Persistent);
            return Task.CompletedTask;
        }
    }
}
