using Par.Executor;
using Par.Shared.Configuration;

if (args.Contains("--list-actions"))
{
    foreach (var fqn in ExecutorApp.ListActions(new RunnerConfig { ConfigDir = "." }))
        Console.WriteLine(fqn);
    return 0;
}

return await RunnerStartup.RunAsync(() => Task.FromResult(ExecutorApp.Build(RunnerStartup.LoadConfig(), args)));
