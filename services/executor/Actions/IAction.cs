using System.Text.Json;

namespace Par.Executor.Actions;

/// <summary>
/// One action, named by its FQN. Implementations live in their integration's folder (Actions/Http, Actions/Postgres…)
/// and are registered in <c>ExecutorExtensions.AddActions</c>; adding an action touches that folder and one line there.
/// </summary>
public interface IAction
{
    string Fqn { get; }

    /// <summary>
    /// True when running the action twice may change the world twice. A redelivered command for such an action is
    /// answered <c>INTERRUPTED</c> instead of being run again.
    /// </summary>
    bool HasSideEffects(JsonElement inputs);

    /// <summary>Runs the action. Expected failures throw <see cref="ActionFailedException"/>.</summary>
    Task<JsonElement> RunAsync(ActionContext context, CancellationToken cancellationToken);
}
