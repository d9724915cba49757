using System.Net;
using System.Text.RegularExpressions;

namespace Par.Shared.Configuration;

/// <summary>
/// One rule per kind of value. Each returns null when the value is acceptable, otherwise the problem in words; the
/// caller adds where the value came from (file and line, or environment variable). Shared by config.yaml and the
/// environment overrides so both refuse the same things.
/// </summary>
internal static partial class ConfigRules
{
    public static string? Port(long value) =>
        value is >= 1 and <= 65535 ? null : $"{value} is not a port number (1-65535)";

    /// <summary>0 keeps its documented meaning (no timeout for taskTimeoutSeconds); below 0 means nothing.</summary>
    public static string? NotNegative(long value) =>
        value >= 0 ? null : $"{value} is negative; use 0 or more";

    public static string? PollWaitMs(long value) =>
        value is < 0 or > 30_000 ? $"must be between 0 (the original's 1 s polling loop) and 30000 ms, not {value}" : null;

    public static string? BrokerReplyMode(string value) =>
        value is RunnerConfig.DirectReplyTo or RunnerConfig.ResponseQueue
            ? null
            : $"must be '{RunnerConfig.DirectReplyTo}' or '{RunnerConfig.ResponseQueue}', not {Quote(value)}";

    /// <summary>A zero period or deadline (push answers, heartbeats) would fail everything at once, so it is refused.</summary>
    public static string? PositiveSeconds(long value) =>
        value >= 1 ? null : $"{value} s would expire at once; use 1 or more";

    /// <summary>Zero workers would accept work and never run it, so it is refused rather than taken as "unlimited".</summary>
    public static string? Concurrency(long value) =>
        value >= 1 ? null : $"{value} would run nothing; use 1 or more";

    public static string? RequestBodyLimit(long value) =>
        value >= 1 ? null : $"{value} would refuse every request body; use 1 or more bytes";

    public static string? DdBaseUrl(string value) =>
        IsAbsoluteHttpUrl(value) ? null : $"{Quote(value)} is not an absolute http(s) URL (e.g. https://app.datadoghq.com)";

    public static string? Urn(string value) =>
        UrnPattern().IsMatch(value)
            ? null
            : $"{Quote(value)} is not of the form urn:dd:apps:on-prem-runner:<region>:<orgId>:<runnerId> (copy it from the enrollment output)";

    /// <summary>The value is never echoed: an amqp URL usually carries the broker password.</summary>
    public static string? BrokerUrl(string value)
    {
        if (string.Equals(value, RunnerConfig.InMemoryBroker, StringComparison.OrdinalIgnoreCase)) return null;
        var ok = Uri.TryCreate(value, UriKind.Absolute, out var uri)
                 && uri.Scheme is "amqp" or "amqps"
                 && uri.Host.Length > 0;
        return ok ? null : "must be an amqp://host or amqps://host URL, or the word in-memory (the value is not shown: it may hold a password)";
    }

    public static string? BrokerQueue(string value) =>
        value.Any(char.IsWhiteSpace) ? $"{Quote(value)} is not a queue name (no spaces)" : null;

    public static string? BindAddress(string value) =>
        value == "localhost" || IPAddress.TryParse(value, out _)
            ? null
            : $"{Quote(value)} is not an IP address (0.0.0.0 listens on every interface, 127.0.0.1 on this machine only)";

    /// <summary>A path is checked by whoever reads the JWKS; here only a URL can be judged.</summary>
    public static string? ControlPlaneJwks(string value) =>
        !value.Contains("://", StringComparison.Ordinal) || IsAbsoluteHttpUrl(value)
            ? null
            : $"{Quote(value)} is neither a path nor an absolute http(s) URL";

    public static string? Tag(string value) =>
        TagPattern().IsMatch(value) ? null : $"{Quote(value)} is not of the form key:value (e.g. env:prod)";

    public static string? ActionFqn(string value)
    {
        if (ActionFqnPattern().IsMatch(value)) return null;
        var hint = value.Contains('*') ? "; wildcards are not supported, list each action" : "";
        return $"{Quote(value)} is not an action name (dot-separated letters and digits, e.g. com.datadoghq.http.request){hint}";
    }

    public static string? HostGlob(string value) =>
        value.Contains('/') || value.Any(char.IsWhiteSpace)
            ? $"{Quote(value)} is not a hostname glob (a host name such as api.example.com or *.example.com, without scheme or path)"
            : null;

    /// <summary>
    /// The browser sends its Origin as scheme://host[:port] with nothing after it, and CORS compares it literally, so
    /// anything else here would never match and only hide a mistake.
    /// </summary>
    public static string? Origin(string value)
    {
        if (value == "*")
            return "'*' is refused: push requests carry a user's token, and a wildcard would let any web page that user "
                   + "visits call the runner with it; list the App Builder origins instead (e.g. https://app.datadoghq.com)";
        if (string.Equals(value, "null", StringComparison.OrdinalIgnoreCase))
            return "'null' is refused: sandboxed pages and local files send it, so it would admit pages nobody vetted";
        var ok = OriginPattern().IsMatch(value)
                 && Uri.TryCreate(value, UriKind.Absolute, out var uri)
                 && uri.Host.Length > 0;
        return ok ? null : $"{Quote(value)} is not an origin (scheme://host[:port] with no path or trailing slash, e.g. https://app.datadoghq.com)";
    }

    /// <summary>The older names of the original runner are kept so its configs load unchanged.</summary>
    public static RunnerMode? Mode(string value) => value.Trim().ToLowerInvariant() switch
    {
        "pull" or "workflowautomation" => RunnerMode.Pull,
        "push" or "appbuilder" => RunnerMode.Push,
        _ => null,
    };

    public static string UnknownMode(string value) =>
        $"{Quote(value)} is not a mode (use pull and/or push; workflowAutomation and appBuilder are their older names)";

    public const string NoModes = "names no mode; use pull, push or both";

    private static bool IsAbsoluteHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0;

    /// <summary>
    /// Values are echoed so the reader sees what was wrong, but not in full: a private key pasted under the wrong key
    /// must not end up in a log. A JWK in base64url starts with "eyJ" (the encoding of <c>{"</c>).
    /// </summary>
    internal static string Quote(string value)
    {
        if (value.StartsWith("eyJ", StringComparison.Ordinal) && value.Length > 40)
            return "(a value that looks like an encoded key, not shown)";
        const int shown = 60;
        return value.Length <= shown ? $"'{value}'" : $"'{value[..shown]}…'";
    }

    [GeneratedRegex(@"^urn:dd:apps:on-prem-runner:[^:\s]+:[^:\s]+:[^:\s]+$")]
    private static partial Regex UrnPattern();

    [GeneratedRegex(@"^[^:\s]+:\S+$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[A-Za-z0-9]+(\.[A-Za-z0-9]+)+$")]
    private static partial Regex ActionFqnPattern();

    [GeneratedRegex(@"^https?://[^/?#@\s]+$")]
    private static partial Regex OriginPattern();
}
