using Par.Poller;
using Par.Poller.Enrollment;
using Par.Shared.Configuration;

if (EnrollCommand.Recognizes(args))
    return await EnrollCommand.RunAsync(args, Console.Out, Console.Error);

return await RunnerStartup.RunAsync(() => PollerApp.BuildAsync(RunnerStartup.LoadConfig(), args));
