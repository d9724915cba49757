namespace Par.Shared.Configuration;

/// <summary>
/// The actions this runner may run (<c>actionsAllowlist</c>). Empty allows nothing: a runner does nothing it was not
/// told to. As in the original, allowing any action of a bundle also allows that bundle's <c>testConnection</c>.
/// </summary>
public sealed class ActionAllowlist
{
    private readonly HashSet<string> _allowed = new(StringComparer.Ordinal);

    public ActionAllowlist(IEnumerable<string> fqns)
    {
        foreach (var fqn in fqns)
        {
            _allowed.Add(fqn);
            var dot = fqn.LastIndexOf('.');
            if (dot > 0)
                _allowed.Add(fqn[..dot] + ".testConnection");
        }
    }

    public ActionAllowlist(RunnerConfig config) : this(config.ActionsAllowlist)
    {
    }

    public bool Allows(string fqn) => _allowed.Contains(fqn);

    public string RefusalMessage(string fqn) =>
        $"Action '{fqn}' is not in this runner's actionsAllowlist. To allow it, add '{fqn}' to actionsAllowlist in config.yaml " +
        "(or to the comma-separated ACTIONS_ALLOWLIST environment variable) and restart the runner.";
}
