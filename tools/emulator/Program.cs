using Par.Emulator;

// Options from --Key value flags and PAR_EMULATOR_* variables (README.md lists them).
var configuration = new ConfigurationBuilder().AddEnvironmentVariables("PAR_EMULATOR_").AddCommandLine(args).Build();
await EmulatorApp.Create(EmulatorOptions.From(configuration)).RunAsync();
