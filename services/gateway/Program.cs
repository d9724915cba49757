using Par.Gateway;
using Par.Shared.Configuration;

return await RunnerStartup.RunAsync(async () => await GatewayApp.BuildAsync(RunnerStartup.LoadConfig(), args));
