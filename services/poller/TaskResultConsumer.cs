using MassTransit;
using Par.Shared.Configuration;
using Par.Shared.Contracts;

namespace Par.Poller;

/// <summary>
/// Takes executors' answers to pull tasks from the durable results queue and reports them. The message is acknowledged
/// only after the control plane accepted the report: a poller that stops first leaves it for the next one.
/// </summary>
public sealed class TaskResultConsumer(TaskReporter reporter) : IConsumer<ActionResult>
{
    public Task Consume(ConsumeContext<ActionResult> context) =>
        context.Message.Task is null ? Task.CompletedTask : reporter.ReportAsync(context.Message, context.CancellationToken);
}

public sealed class TaskResultConsumerDefinition : ConsumerDefinition<TaskResultConsumer>
{
    public TaskResultConsumerDefinition(RunnerConfig config)
    {
        EndpointName = config.ResultsQueue;
        ConcurrentMessageLimit = Math.Max(8, config.TaskConcurrency);
    }
}
