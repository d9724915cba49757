using Par.Poller.Enrollment;
using Par.Runner;
using Par.Shared.Configuration;

if (EnrollCommand.Recognizes(args))
    return await EnrollCommand.RunAsync(args, Console.Out, Console.Error);

return await RunnerStartup.RunAsync(() => RunnerApp.BuildAsync(RunnerStartup.LoadConfig(), args));
