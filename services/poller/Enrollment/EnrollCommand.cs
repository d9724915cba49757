using System.Text;
using Par.Shared.Configuration;
using Par.Shared.ControlPlane;
using Par.Shared.Security;

namespace Par.Poller.Enrollment;

/// <summary>
/// <c>--with-api-key</c>: enroll with DD_API_KEY/DD_APP_KEY and write the identity into config.yaml.
/// <c>--enroll -f config|helm-values|env</c>: enroll and print the identity in that format, writing nothing.
/// The private key is generated here and never sent; only its public half is registered.
/// </summary>
public static class EnrollCommand
{
    public static readonly string[] Formats = ["config", "helm-values", "env"];

    public static bool Recognizes(string[] args) => args.Contains("--with-api-key") || args.Contains("--enroll");

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors,
        IReadOnlyDictionary<string, string?>? environment = null, HttpMessageHandler? handler = null, CancellationToken cancellationToken = default)
    {
        var env = environment ?? Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value);
        try
        {
            var format = args.Contains("--enroll") ? FormatOf(args) : null;
            var apiKey = Required(env, "DD_API_KEY");
            var appKey = Required(env, "DD_APP_KEY");
            var baseUrl = Required(env, RunnerConfigLoader.DdBaseUrlVariable);
            if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
                throw new EnrollmentException($"{RunnerConfigLoader.DdBaseUrlVariable} '{baseUrl}' is not an http(s) URL.");
            var name = Value(env, RunnerConfigLoader.RunnerNameVariable) ?? Environment.MachineName;
            var modes = (Value(env, RunnerConfigLoader.RunnerModesVariable) ?? "pull,push").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var region = OptionValue(args, "--region") ?? Value(env, "RUNNER_REGION") ?? "us1";

            using var key = RunnerKey.Generate();
            using var http = new HttpClient(handler ?? new HttpClientHandler(), disposeHandler: handler is null) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
            var enrolled = await new EnrollmentClient(http, TimeProvider.System).EnrollAsync(apiKey, appKey, new EnrollmentRequest
            {
                RunnerName = name, RunnerModes = modes, RunnerHost = Environment.MachineName, PublicKeyPem = key.PublicKeyPem,
            }, cancellationToken);

            var identity = new EnrolledIdentity(baseUrl, new RunnerUrn(region, enrolled.OrgId, enrolled.RunnerId).ToString(), key.ToConfigValue(), name, enrolled.RunnerModes);
            if (format is not null)
            {
                await output.WriteAsync(identity.Render(format));
                return 0;
            }

            var dir = Value(env, RunnerConfigLoader.ConfigDirVariable) ?? RunnerConfigLoader.DefaultConfigDir;
            var path = ConfigFileIdentity.Write(dir, identity);
            await output.WriteLineAsync($"Enrolled runner {enrolled.RunnerId} (org {enrolled.OrgId}); identity written to {path}.");
            return 0;
        }
        catch (EnrollmentException e)
        {
            await errors.WriteLineAsync($"par: enrollment failed: {e.Message}");
            return 1;
        }
    }

    private static string FormatOf(string[] args)
    {
        var format = OptionValue(args, "-f") ?? OptionValue(args, "--format")
            ?? throw new EnrollmentException($"--enroll needs -f with one of: {string.Join(", ", Formats)}.");
        return Formats.Contains(format) ? format : throw new EnrollmentException($"Unknown format '{format}'; use one of: {string.Join(", ", Formats)}.");
    }

    private static string? OptionValue(string[] args, string option)
    {
        var i = Array.IndexOf(args, option);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string? Value(IReadOnlyDictionary<string, string?> env, string name) =>
        env.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    private static string Required(IReadOnlyDictionary<string, string?> env, string name) =>
        Value(env, name) ?? throw new EnrollmentException($"Set {name} to enroll.");
}

/// <summary>What enrollment produced: the values a runner needs to run in pull mode.</summary>
public sealed record EnrolledIdentity(string DdBaseUrl, string Urn, string PrivateKey, string RunnerName, IReadOnlyList<string> Modes)
{
    public string Render(string format) => format switch
    {
        "config" => new StringBuilder()
            .AppendLine($"ddBaseURL: {DdBaseUrl}")
            .AppendLine($"urn: {Urn}")
            .AppendLine($"privateKey: {PrivateKey}")
            .AppendLine($"runnerName: {RunnerName}")
            .AppendLine($"modes: [{string.Join(", ", Modes)}]").ToString(),
        "helm-values" => new StringBuilder()
            .AppendLine("runner:")
            .AppendLine("  config:")
            .AppendLine($"    ddBaseURL: {DdBaseUrl}")
            .AppendLine($"    urn: {Urn}")
            .AppendLine($"    privateKey: {PrivateKey}")
            .AppendLine($"    runnerName: {RunnerName}")
            .AppendLine($"    modes: [{string.Join(", ", Modes)}]").ToString(),
        "env" => new StringBuilder()
            .AppendLine($"{RunnerConfigLoader.DdBaseUrlVariable}={DdBaseUrl}")
            .AppendLine($"{RunnerConfigLoader.RunnerUrnVariable}={Urn}")
            .AppendLine($"{RunnerConfigLoader.RunnerPrivateKeyVariable}={PrivateKey}")
            .AppendLine($"{RunnerConfigLoader.RunnerNameVariable}={RunnerName}")
            .AppendLine($"{RunnerConfigLoader.RunnerModesVariable}={string.Join(",", Modes)}").ToString(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}

/// <summary>
/// Writes an identity into config.yaml, keeping every other key the operator set (allowlists, broker…): the identity's
/// keys are replaced, top-level block and all.
/// </summary>
public static class ConfigFileIdentity
{
    private static readonly string[] IdentityKeys = ["ddBaseURL", "urn", "privateKey", "runnerName", "modes"];

    public static string Write(string configDir, EnrolledIdentity identity)
    {
        Directory.CreateDirectory(configDir);
        var path = Path.Combine(configDir, RunnerConfigLoader.FileName);
        var kept = new List<string>();
        if (File.Exists(path))
        {
            var skipping = false;
            foreach (var line in File.ReadAllLines(path))
            {
                var topLevel = line.Length > 0 && !char.IsWhiteSpace(line[0]) && !line.StartsWith('#') && !line.StartsWith('-');
                if (topLevel)
                    skipping = IdentityKeys.Any(k => line.StartsWith(k + ":", StringComparison.Ordinal));
                if (!skipping)
                    kept.Add(line);
            }
        }
        var text = string.Join('\n', kept).TrimEnd() + (kept.Count > 0 ? "\n" : "") + identity.Render("config");
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        // The file now holds a private key: readable by its owner only.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
