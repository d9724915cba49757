using Par.Runner;
using Par.Shared.Configuration;

return await RunnerStartup.RunAsync(() => RunnerApp.BuildAsync(RunnerStartup.LoadConfig(), args));
