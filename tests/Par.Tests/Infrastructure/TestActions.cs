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

/// <summary><c>test.sleep</c>: waits <c>ms</c> milliseconds (cancellable); has side effects when <c>sideEffect</c> is true.</summary>
public sealed class SleepAction(RunCounter counter) : IAction
{
    public const string Name = "test.sleep";
    public string Fqn => Name;
    public bool HasSideEffects(JsonElement inputs) => inputs.TryGetProperty("sideEffect", out var s) && s.ValueKind == JsonValueKind.True;

    public async Task<JsonElement> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        counter.Increment();
        var ms = context.Inputs.TryGetProperty("ms", out var m) ? m.GetInt32() : 0;
        await Task.Delay(ms, cancellationToken);
        return JsonSerializer.SerializeToElement(new { slept = ms });
    }
}
