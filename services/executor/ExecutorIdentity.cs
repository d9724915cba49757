namespace Par.Executor;

/// <summary>Names this executor in results, so an operator can tell which replica ran what.</summary>
public sealed record ExecutorIdentity(string Id)
{
    public static ExecutorIdentity ForThisProcess() => new($"{Environment.MachineName}-{Environment.ProcessId}");
}
