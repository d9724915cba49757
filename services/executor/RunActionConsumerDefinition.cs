using MassTransit;
using Par.Shared.Configuration;

namespace Par.Executor;

/// <summary>Queue name and concurrency of the executor's one consumer, from configuration.</summary>
public sealed class RunActionConsumerDefinition : ConsumerDefinition<RunActionConsumer>
{
    public RunActionConsumerDefinition(RunnerConfig config)
    {
        EndpointName = config.BrokerQueue;
        ConcurrentMessageLimit = config.ExecutorConcurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<RunActionConsumer> consumer, IRegistrationContext context)
    {
        // No retry here: a retried side-effect action would run twice. Redelivery after a crash is handled in the consumer.
        endpoint.PrefetchCount = (ushort)Math.Min(ushort.MaxValue, ConcurrentMessageLimit!.Value * 2);
    }
}
