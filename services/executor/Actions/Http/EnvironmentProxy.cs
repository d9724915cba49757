using System.Net;

namespace Par.Executor.Actions.Http;

/// <summary>
/// HTTP_PROXY / HTTPS_PROXY / NO_PROXY as curl reads them (lower-case names first). Our own rather than
/// <see cref="HttpClient.DefaultProxy"/> because that one is read once per process and cannot be inspected, and the
/// action needs to know whether a request goes through a proxy (see <see cref="DestinationGuard"/>).
/// NO_PROXY entries: <c>*</c>, host names (also matching their subdomains, leading dot optional), IP literals;
/// an optional <c>:port</c> is ignored. CIDR ranges are not supported.
/// </summary>
public sealed class EnvironmentProxy : IWebProxy
{
    private readonly Uri? _http;
    private readonly Uri? _https;
    private readonly string[] _noProxy;

    public EnvironmentProxy(Uri? http, Uri? https, string? noProxy)
    {
        _http = http;
        _https = https;
        _noProxy = (noProxy ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Normalize)
            .ToArray();
        var userInfo = (http ?? https)?.UserInfo;
        if (!string.IsNullOrEmpty(userInfo))
        {
            var (user, _, password) = userInfo.Partition(':');
            Credentials = new NetworkCredential(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
        }
    }

    public ICredentials? Credentials { get; set; }

    /// <summary>The proxy described by the environment, or null when no proxy variable is set.</summary>
    public static EnvironmentProxy? FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        string? Read(string name) => getVariable(name.ToLowerInvariant()) is { Length: > 0 } lower ? lower : getVariable(name);
        var http = ParseProxyUri(Read("HTTP_PROXY"));
        var https = ParseProxyUri(Read("HTTPS_PROXY"));
        return http is null && https is null ? null : new EnvironmentProxy(http, https, Read("NO_PROXY"));
    }

    public Uri? GetProxy(Uri destination)
    {
        if (IsBypassed(destination))
            return null;
        return destination.Scheme == Uri.UriSchemeHttps ? _https : _http;
    }

    public bool IsBypassed(Uri host)
    {
        if ((host.Scheme == Uri.UriSchemeHttps ? _https : _http) is null)
            return true;
        var name = Normalize(host.IdnHost);
        foreach (var entry in _noProxy)
        {
            if (entry == "*" || name == entry || name.EndsWith("." + entry, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    private static Uri? ParseProxyUri(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        // "proxy:3128" without a scheme is common in the wild; curl reads it as http.
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null;
    }

    private static string Normalize(string entry)
    {
        var host = entry.Trim().TrimStart('.').ToLowerInvariant();
        if (host.StartsWith('['))
        {
            var end = host.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? host[1..end] : host;
        }
        // "host:port": ports are ignored, but a bare IPv6 literal also contains colons.
        var colon = host.LastIndexOf(':');
        return colon > 0 && host.IndexOf(':') == colon ? host[..colon] : host.TrimEnd('.');
    }
}

internal static class StringPartition
{
    public static (string Before, bool Found, string After) Partition(this string text, char separator)
    {
        var index = text.IndexOf(separator);
        return index < 0 ? (text, false, "") : (text[..index], true, text[(index + 1)..]);
    }
}
