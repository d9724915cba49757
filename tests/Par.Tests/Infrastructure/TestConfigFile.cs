using System.Text;
using Par.Shared.Configuration;

namespace Par.Tests.Infrastructure;

/// <summary>Writes a test's <see cref="RunnerConfig"/> as config.yaml, for services started as processes.</summary>
public static class TestConfigFile
{
    public static void Write(RunnerConfig config)
    {
        var yaml = new StringBuilder()
            .AppendLine($"urn: {config.Urn}")
            .AppendLine($"controlPlaneJwks: {config.ControlPlaneJwks}")
            .AppendLine($"brokerUrl: {config.BrokerUrl}")
            .AppendLine($"brokerQueue: {config.BrokerQueue}")
            .AppendLine($"httpServerWriteTimeout: {config.HttpServerWriteTimeout}")
            .AppendLine($"httpTimeoutSeconds: {config.HttpTimeoutSeconds}")
            .AppendLine($"executorConcurrency: {config.ExecutorConcurrency}")
            .AppendLine("actionsAllowlist:");
        foreach (var fqn in config.ActionsAllowlist)
            yaml.AppendLine($"  - {fqn}");
        File.WriteAllText(Path.Combine(config.ConfigDir, "config.yaml"), yaml.ToString());
    }
}
