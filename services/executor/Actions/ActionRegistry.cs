namespace Par.Executor.Actions;

/// <summary>Maps an action FQN to the action that runs it.</summary>
public sealed class ActionRegistry
{
    private readonly Dictionary<string, IAction> _actions;

    public ActionRegistry(IEnumerable<IAction> actions)
    {
        _actions = new Dictionary<string, IAction>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            if (!_actions.TryAdd(action.Fqn, action))
                throw new InvalidOperationException($"Two actions are registered as '{action.Fqn}'.");
        }
    }

    public IReadOnlyCollection<string> Fqns => _actions.Keys;

    public bool TryGet(string fqn, out IAction action) => _actions.TryGetValue(fqn, out action!);
}
