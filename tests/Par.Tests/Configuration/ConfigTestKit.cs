using Par.Shared.Configuration;

namespace Par.Tests.Configuration;

/// <summary>Parses YAML as if it were config/config.yaml, with an environment that holds only what a test gives.</summary>
internal static class ConfigTestKit
{
    public const string SourceFile = "config/config.yaml";
    public const string Urn = "urn:dd:apps:on-prem-runner:us1:1234567:3f2b9c1e-58a4-4a8e-9d0c-6f0e2b7a1c55";

    /// <summary>Shaped like a real one (base64url of a JWK) so the checks that look for key-like values are exercised.</summary>
    public const string PrivateKey =
        "eyJrdHkiOiJFQyIsImNydiI6IlAtMjU2IiwieCI6ImZha2UiLCJ5IjoiZmFrZSIsImQiOiJub3QtYS1yZWFsLWtleSJ9";

    public const string PullIdentity =
        "ddBaseURL: https://app.datadoghq.com\nurn: " + Urn + "\nprivateKey: " + PrivateKey + "\n";

    public static RunnerConfig Parse(string yaml, Dictionary<string, string?>? environment = null) =>
        RunnerConfigLoader.Parse(yaml, "config", SourceFile, environment ?? []);

    public static string Problem(string yaml, Dictionary<string, string?>? environment = null) =>
        Assert.Throws<ConfigException>(() => Parse(yaml, environment)).Message;

    /// <summary>One line of the message must both point at the line and say the expected thing.</summary>
    public static void AssertProblemAt(string yaml, int line, string expected, Dictionary<string, string?>? environment = null)
    {
        var message = Problem(yaml, environment);
        var prefix = $"{SourceFile}:{line}: ";
        Assert.True(
            message.Split('\n').Any(l => l.StartsWith(prefix, StringComparison.Ordinal) && l.Contains(expected, StringComparison.Ordinal)),
            $"expected a line starting with '{prefix}' and containing '{expected}', got:\n{message}");
    }

    public static void AssertVariableProblem(string variable, string value, string expected, string yaml = "")
    {
        var message = Problem(yaml, new() { [variable] = value });
        Assert.Contains($"environment variable {variable}: ", message);
        Assert.Contains(expected, message);
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found above " + AppContext.BaseDirectory);
    }
}
