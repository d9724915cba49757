namespace Par.Shared.Configuration;

/// <summary>The YAML key names config.yaml may use, and the suggestion made when a key is not one of them.</summary>
internal static class ConfigKeys
{
    public const string DdBaseUrl = "ddBaseURL";
    public const string Urn = "urn";
    public const string PrivateKey = "privateKey";
    public const string RunnerName = "runnerName";
    public const string Modes = "modes";
    public const string Port = "port";
    public const string HttpServerWriteTimeout = "httpServerWriteTimeout";
    public const string AllowImdsEndpoint = "allowIMDSEndpoint";
    public const string Tags = "tags";
    public const string ActionsAllowlist = "actionsAllowlist";
    public const string TaskTimeoutSeconds = "taskTimeoutSeconds";
    public const string HttpTimeoutSeconds = "httpTimeoutSeconds";
    public const string TaskConcurrency = "taskConcurrency";
    public const string ControlPlaneJwks = "controlPlaneJwks";
    public const string HttpAllowlist = "httpAllowlist";
    public const string AllowedOrigins = "allowedOrigins";
    public const string BrokerUrl = "brokerUrl";
    public const string BrokerQueue = "brokerQueue";
    public const string ExecutorConcurrency = "executorConcurrency";
    public const string MaxRequestBodyBytes = "maxRequestBodyBytes";
    public const string BindAddress = "bindAddress";
    public const string BrokerReplyMode = "brokerReplyMode";
    public const string ResultsQueue = "resultsQueue";
    public const string PollWaitMs = "pollWaitMs";
    public const string HeartbeatIntervalSeconds = "heartbeatIntervalSeconds";
    public const string DrainTimeoutSeconds = "drainTimeoutSeconds";

    public static readonly IReadOnlyList<string> All =
    [
        DdBaseUrl, Urn, PrivateKey, RunnerName, Modes, Port, HttpServerWriteTimeout, AllowImdsEndpoint, Tags,
        ActionsAllowlist, TaskTimeoutSeconds, HttpTimeoutSeconds, TaskConcurrency, ControlPlaneJwks, HttpAllowlist,
        AllowedOrigins, BrokerUrl, BrokerQueue, ExecutorConcurrency, MaxRequestBodyBytes, BindAddress, BrokerReplyMode,
        ResultsQueue, PollWaitMs, HeartbeatIntervalSeconds, DrainTimeoutSeconds,
    ];

    /// <summary>
    /// The snake_case names of the runner embedded in the Datadog agent, so a config written for it keeps working.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>
    {
        ["task_concurrency"] = TaskConcurrency,
        ["task_timeout_seconds"] = TaskTimeoutSeconds,
        ["http_allowlist"] = HttpAllowlist,
        ["http_allow_imds_endpoint"] = AllowImdsEndpoint,
    };

    /// <summary>Exact, case-sensitive: a near miss is reported with a suggestion rather than guessed.</summary>
    public static bool TryCanonical(string written, out string canonical)
    {
        if (All.Contains(written)) { canonical = written; return true; }
        if (Aliases.TryGetValue(written, out var target)) { canonical = target; return true; }
        canonical = "";
        return false;
    }

    public static string UnknownKeyMessage(string written)
    {
        var nearest = NearestKnown(written);
        return nearest is null
            ? $"key {ConfigRules.Quote(written)} is not known (known keys: {string.Join(", ", All)})"
            : $"key {ConfigRules.Quote(written)} is not known (did you mean '{nearest}'?)";
    }

    /// <summary>
    /// Compares without case, '_' and '-' so that ddBaseUrl, brokerURL or http_timeout_seconds find their key;
    /// beyond a few edits the guess would mislead more than help.
    /// </summary>
    private static string? NearestKnown(string written)
    {
        var target = Normalize(written);
        var snakeCase = written.Contains('_');
        string? best = null;
        var bestDistance = int.MaxValue;
        var bestSameStyle = false;
        foreach (var candidate in All.Concat(Aliases.Keys))
        {
            var distance = EditDistance(target, Normalize(candidate));
            // A key and its alias are equally near; answer in the style the user writes in.
            var sameStyle = candidate.Contains('_') == snakeCase;
            if (distance < bestDistance || (distance == bestDistance && sameStyle && !bestSameStyle))
            {
                (best, bestDistance, bestSameStyle) = (candidate, distance, sameStyle);
            }
        }
        var tolerated = Math.Min(3, Math.Max(1, target.Length / 3));
        return bestDistance <= tolerated ? best : null;
    }

    private static string Normalize(string key) =>
        new(key.Where(c => c is not '_' and not '-').Select(char.ToLowerInvariant).ToArray());

    /// <summary>
    /// Edit distance where swapping two neighbouring letters also costs one (optimal string alignment), since "prot"
    /// for "port" is as common a slip as a missing letter.
    /// </summary>
    internal static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(d[i - 1, j - 1] + cost, Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
