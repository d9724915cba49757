using System.Text.Json;
using Par.Executor.Actions;

namespace Par.Tests.Infrastructure;

/// <summary>Counts how many times test actions really ran, to prove that a refused request ran nothing.</summary>
public sealed class RunCounter
{
    private int _runs;
    public int Runs => Volatile.Read(ref _runs);
    public void Increment() => Interlocked.Increment(ref _runs);
}

/// <summary><c>test.echo</c>: read-only, answers its inputs.</summary>
public sealed class EchoAction(RunCounter counter) : IAction
{
    public const string Name = "test.echo";
    public string Fqn => Name;
    public bool HasSideEffects(JsonElement inputs) => false;

    public Task<JsonElement> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        counter.Increment();
        return Task.FromResult(context.Inputs.Clone());
    }
}

/// <summary><c>test.fail</c>: always fails with a known code.</summary>
public sealed class FailingAction : IAction
{
    public const string Name = "test.fail";
    public string Fqn => Name;
    public bool HasSideEffects(JsonElement inputs) => false;

    public Task<JsonElement> RunAsync(ActionContext context, CancellationToken cancellationToken) =>
        throw new ActionFailedException("TEST_FAILURE", "It failed as asked.", JsonSerializer.SerializeToElement(new { why = "test" }));
}
