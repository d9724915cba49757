using System.Collections;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Par.Shared.Configuration;

/// <summary>
/// Builds the <see cref="RunnerConfig"/> from <c>config.yaml</c> and the environment, or stops start-up with a
/// <see cref="ConfigException"/> naming every problem by file, line and key. Order: defaults, then the file, then the
/// environment overrides, then the rules between keys. The rules are documented in docs/configuration.md.
/// </summary>
public static partial class RunnerConfigLoader
{
    public const string ConfigDirVariable = "DD_PRIVATE_RUNNER_CONFIG_DIR";
    public const string DefaultConfigDir = "./config";
    public const string FileName = "config.yaml";

    // Environment overrides; the names are the original runner's.
    public const string ActionsAllowlistVariable = "ACTIONS_ALLOWLIST";
    public const string RunnerModesVariable = "RUNNER_MODES";
    public const string RunnerNameVariable = "RUNNER_NAME";
    public const string DdBaseUrlVariable = "DD_BASE_URL";
    public const string BrokerUrlVariable = "BROKER_URL";
    // Ours: let `--enroll -f env` output configure a runner with no file (containers, secrets as env).
    public const string RunnerUrnVariable = "RUNNER_URN";
    public const string RunnerPrivateKeyVariable = "RUNNER_PRIVATE_KEY";

    /// <param name="configDir">Folder holding config.yaml; defaults to DD_PRIVATE_RUNNER_CONFIG_DIR, else ./config.</param>
    /// <param name="environment">Variables to read; defaults to the process environment.</param>
    public static RunnerConfig Load(string? configDir = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        environment ??= ProcessEnvironment();
        var fromVariable = Variable(environment, ConfigDirVariable);
        var dir = NonBlank(configDir) ?? fromVariable ?? DefaultConfigDir;
        var why = NonBlank(configDir) is not null ? "folder given at start-up"
            : fromVariable is not null ? $"folder from {ConfigDirVariable}"
            : $"default folder, as {ConfigDirVariable} is not set";
        var howToFix = $"Create it with a {FileName} (deploy/config.example.yaml is a commented starting point), "
                       + $"or set {ConfigDirVariable} to the folder that holds {FileName}.";

        if (!Directory.Exists(dir))
            throw new ConfigException($"configuration folder '{Path.GetFullPath(dir)}' does not exist ({why}). {howToFix}");
        var file = Path.Combine(dir, FileName);
        if (!File.Exists(file))
            throw new ConfigException($"'{Path.GetFullPath(file)}' does not exist ({why}). {howToFix}");

        string text;
        try { text = File.ReadAllText(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{file}: cannot be read: {e.Message}");
        }
        return Parse(text, dir, file, environment);
    }

    /// <summary>Same as <see cref="Load"/> from text; <paramref name="sourceFile"/> is only used to name it in messages.</summary>
    public static RunnerConfig Parse(string yaml, string configDir, string sourceFile, IReadOnlyDictionary<string, string?> environment)
    {
        var problems = new ConfigProblems(sourceFile);
        var config = new RunnerConfig { ConfigDir = configDir, SourceFile = sourceFile };
        Mark? modesLine = null;

        if (ReadTopLevel(yaml, problems) is { } mapping)
            config = ApplyFile(mapping, config, problems, out modesLine);
        config = ApplyEnvironment(config, environment, problems, out var modesFromVariable);

        // A missing urn is noise while the file itself is being fixed; report it once the rest is right.
        if (!problems.Any) CheckPullHasIdentity(config, problems, modesLine, modesFromVariable);
        problems.ThrowIfAny();
        return config;
    }

    /// <summary>Null for an empty file (only comments, or nothing): every key takes its default.</summary>
    private static YamlMappingNode? ReadTopLevel(string yaml, ConfigProblems problems)
    {
        problems.KeepSecret(PrivateKeyLine().Match(yaml) is { Success: true } m ? m.Groups[1].Value.Trim().Trim('"', '\'') : null);

        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e)
        {
            throw problems.Stop(e.Start, DescribeYamlError(e));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 16 fails this way, with no position, on a '[' or '{' that is never closed.
            throw problems.Stop(LastParsedMark(yaml),
                "not valid YAML after this line (usually a '[', '{' or quote that is never closed)");
        }

        if (stream.Documents.Count == 0) return null;
        if (stream.Documents.Count > 1)
            throw problems.Stop(stream.Documents[1].RootNode.Start, "holds a second YAML document ('---'); put every key in one");
        var root = stream.Documents[0].RootNode;
        return root switch
        {
            YamlMappingNode mapping => mapping,
            YamlScalarNode scalar when YamlValueReader.IsEmpty(scalar) => null,
            _ => throw problems.Stop(root.Start, $"the top level must be a mapping of keys (key: value lines), found {YamlValueReader.Describe(root)}"),
        };
    }

    /// <summary>YamlDotNet names a duplicated key in its message ("Duplicate key a") but says nothing else useful.</summary>
    private static string DescribeYamlError(YamlException e)
    {
        const string duplicate = "Duplicate key ";
        return e.GetType() == typeof(YamlException) && e.Message.StartsWith(duplicate, StringComparison.Ordinal)
            ? $"key {ConfigRules.Quote(e.Message[duplicate.Length..])} appears twice; keep one"
            : $"not valid YAML: {e.Message}";
    }

    private static Mark LastParsedMark(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var last = Mark.Empty;
        try
        {
            while (parser.MoveNext()) last = parser.Current!.End;
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
        }
        return last;
    }

    private static RunnerConfig ApplyFile(YamlMappingNode mapping, RunnerConfig config, ConfigProblems problems, out Mark? modesLine)
    {
        modesLine = null;
        var seen = new Dictionary<string, (string Written, Mark At)>();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } written })
            {
                problems.At(keyNode.Start, "keys must be plain names such as 'port'");
                continue;
            }
            if (!ConfigKeys.TryCanonical(written, out var key))
            {
                problems.At(keyNode.Start, ConfigKeys.UnknownKeyMessage(written));
                continue;
            }
            // YamlDotNet already refuses the same name twice; this catches a key written once in each spelling.
            if (seen.TryGetValue(key, out var earlier))
            {
                problems.At(keyNode.Start, $"key '{written}' sets the same value as '{earlier.Written}' on line {earlier.At.Line}; keep one");
                continue;
            }
            seen[key] = (written, keyNode.Start);
            if (key == ConfigKeys.Modes) modesLine = keyNode.Start;

            config = ApplyKey(key, new YamlValueReader(problems, written, keyNode.Start, valueNode), config);
        }
        return config;
    }

    private static RunnerConfig ApplyKey(string key, YamlValueReader value, RunnerConfig c) => key switch
    {
        ConfigKeys.DdBaseUrl => c with { DdBaseUrl = value.String(ConfigRules.DdBaseUrl) ?? c.DdBaseUrl },
        ConfigKeys.Urn => c with { Urn = value.String(ConfigRules.Urn) ?? c.Urn },
        ConfigKeys.PrivateKey => c with { PrivateKey = value.Secret() ?? c.PrivateKey },
        ConfigKeys.RunnerName => c with { RunnerName = value.String() ?? c.RunnerName },
        ConfigKeys.Modes => c with { Modes = value.Modes() ?? c.Modes },
        ConfigKeys.Port => c with { Port = value.Int(ConfigRules.Port) ?? c.Port },
        ConfigKeys.HttpServerWriteTimeout => c with { HttpServerWriteTimeout = value.Int(ConfigRules.PositiveSeconds) ?? c.HttpServerWriteTimeout },
        ConfigKeys.AllowImdsEndpoint => c with { AllowImdsEndpoint = value.Bool() ?? c.AllowImdsEndpoint },
        ConfigKeys.Tags => c with { Tags = value.List(ConfigRules.Tag) ?? c.Tags },
        ConfigKeys.ActionsAllowlist => c with { ActionsAllowlist = value.List(ConfigRules.ActionFqn) ?? c.ActionsAllowlist },
        ConfigKeys.TaskTimeoutSeconds => c with { TaskTimeoutSeconds = value.Int(ConfigRules.NotNegative) ?? c.TaskTimeoutSeconds },
        ConfigKeys.HttpTimeoutSeconds => c with { HttpTimeoutSeconds = value.Int(ConfigRules.NotNegative) ?? c.HttpTimeoutSeconds },
        ConfigKeys.TaskConcurrency => c with { TaskConcurrency = value.Int(ConfigRules.Concurrency) ?? c.TaskConcurrency },
        ConfigKeys.ControlPlaneJwks => c with { ControlPlaneJwks = value.String(ConfigRules.ControlPlaneJwks) ?? c.ControlPlaneJwks },
        ConfigKeys.HttpAllowlist => c with { HttpAllowlist = value.List(ConfigRules.HostGlob) ?? c.HttpAllowlist },
        ConfigKeys.AllowedOrigins => c with { AllowedOrigins = value.List(ConfigRules.Origin) ?? c.AllowedOrigins },
        ConfigKeys.BrokerUrl => c with { BrokerUrl = value.String(ConfigRules.BrokerUrl) ?? c.BrokerUrl },
        ConfigKeys.BrokerQueue => c with { BrokerQueue = value.String(ConfigRules.BrokerQueue) ?? c.BrokerQueue },
        ConfigKeys.ExecutorConcurrency => c with { ExecutorConcurrency = value.Int(ConfigRules.Concurrency) ?? c.ExecutorConcurrency },
        ConfigKeys.MaxRequestBodyBytes => c with { MaxRequestBodyBytes = value.Long(ConfigRules.RequestBodyLimit) ?? c.MaxRequestBodyBytes },
        ConfigKeys.BindAddress => c with { BindAddress = value.String(ConfigRules.BindAddress) ?? c.BindAddress },
        ConfigKeys.BrokerReplyMode => c with { BrokerReplyMode = value.String(ConfigRules.BrokerReplyMode) ?? c.BrokerReplyMode },
        ConfigKeys.ResultsQueue => c with { ResultsQueue = value.String(ConfigRules.BrokerQueue) ?? c.ResultsQueue },
        ConfigKeys.PollWaitMs => c with { PollWaitMs = value.Int(ConfigRules.PollWaitMs) ?? c.PollWaitMs },
        ConfigKeys.HeartbeatIntervalSeconds => c with { HeartbeatIntervalSeconds = value.Int(ConfigRules.PositiveSeconds) ?? c.HeartbeatIntervalSeconds },
        ConfigKeys.DrainTimeoutSeconds => c with { DrainTimeoutSeconds = value.Int(ConfigRules.NotNegative) ?? c.DrainTimeoutSeconds },
        _ => throw new InvalidOperationException($"key '{key}' is listed in ConfigKeys but not read here"),
    };

    /// <summary>The variables the original runner's images and chart set; an empty variable counts as unset.</summary>
    private static RunnerConfig ApplyEnvironment(RunnerConfig c, IReadOnlyDictionary<string, string?> environment,
        ConfigProblems problems, out bool modesFromVariable)
    {
        modesFromVariable = false;

        if (Variable(environment, ActionsAllowlistVariable) is { } allowlist)
        {
            var actions = SplitCommas(allowlist);
            var ok = true;
            foreach (var action in actions)
                if (ConfigRules.ActionFqn(action) is { } problem) { problems.InVariable(ActionsAllowlistVariable, problem); ok = false; }
            if (ok) c = c with { ActionsAllowlist = actions };
        }

        if (Variable(environment, RunnerModesVariable) is { } modeList)
        {
            var modes = new HashSet<RunnerMode>();
            var ok = true;
            foreach (var name in SplitCommas(modeList))
            {
                if (ConfigRules.Mode(name) is { } mode) modes.Add(mode);
                else { problems.InVariable(RunnerModesVariable, ConfigRules.UnknownMode(name)); ok = false; }
            }
            if (ok && modes.Count == 0) { problems.InVariable(RunnerModesVariable, ConfigRules.NoModes); ok = false; }
            if (ok) { c = c with { Modes = modes }; modesFromVariable = true; }
        }

        if (Variable(environment, RunnerNameVariable) is { } runnerName)
            c = c with { RunnerName = runnerName };

        if (Variable(environment, RunnerUrnVariable) is { } urn)
        {
            if (ConfigRules.Urn(urn) is { } problem) problems.InVariable(RunnerUrnVariable, problem);
            else c = c with { Urn = urn };
        }

        if (Variable(environment, RunnerPrivateKeyVariable) is { } privateKey)
            c = c with { PrivateKey = privateKey };

        if (Variable(environment, DdBaseUrlVariable) is { } ddBaseUrl)
        {
            if (ConfigRules.DdBaseUrl(ddBaseUrl) is { } problem) problems.InVariable(DdBaseUrlVariable, problem);
            else c = c with { DdBaseUrl = ddBaseUrl };
        }

        if (Variable(environment, BrokerUrlVariable) is { } brokerUrl)
        {
            if (ConfigRules.BrokerUrl(brokerUrl) is { } problem) problems.InVariable(BrokerUrlVariable, problem);
            else c = c with { BrokerUrl = brokerUrl };
        }
        return c;
    }

    /// <summary>
    /// Pull mode talks to the control plane as an enrolled runner, so it cannot start without where to call and who it
    /// is. controlPlaneJwks is not required here: whoever checks task signatures decides what it needs.
    /// </summary>
    private static void CheckPullHasIdentity(RunnerConfig c, ConfigProblems problems, Mark? modesLine, bool modesFromVariable)
    {
        if (!c.Modes.Contains(RunnerMode.Pull)) return;
        var missing = new List<string>();
        if (c.DdBaseUrl is null) missing.Add(ConfigKeys.DdBaseUrl);
        if (c.Urn is null) missing.Add(ConfigKeys.Urn);
        if (c.PrivateKey is null) missing.Add(ConfigKeys.PrivateKey);
        if (missing.Count == 0) return;

        var message = $"modes includes pull{(modesFromVariable ? $" (from {RunnerModesVariable})" : "")}, which needs "
                      + $"ddBaseURL, urn and privateKey; missing: {string.Join(", ", missing)} "
                      + "(urn and privateKey come from enrolling the runner)";
        if (modesLine is { } line && !modesFromVariable) problems.At(line, message);
        else problems.InFile(message);
    }

    private static List<string> SplitCommas(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    private static string? Variable(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out var value) ? NonBlank(value) : null;

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Dictionary<string, string?> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            variables[(string)entry.Key] = entry.Value as string;
        return variables;
    }

    /// <summary>Used only to redact: a syntax error can stop parsing before the privateKey value is read.</summary>
    [GeneratedRegex(@"^\s*privateKey\s*:\s*(\S.*?)\s*$", RegexOptions.Multiline)]
    private static partial Regex PrivateKeyLine();
}
