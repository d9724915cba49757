using System.Net;
using System.Security.Cryptography.X509Certificates;
using Par.Shared.Configuration;

namespace Par.Executor.Actions.Http;

/// <summary>Runner-wide settings of <see cref="HttpRequestAction"/>; one instance serves every call.</summary>
public sealed record HttpActionOptions
{
    /// <summary>Largest response body read, as the original runner's 15 MB output limit.</summary>
    public const long DefaultMaxOutputBytes = 15 * 1024 * 1024;

    /// <summary>When false, connections to the cloud metadata endpoint (IMDS) are refused.</summary>
    public bool AllowImdsEndpoint { get; init; }

    /// <summary>Hostname globs (<c>*</c> wildcard, case-insensitive) the action may reach; empty = any host.</summary>
    public IReadOnlyList<string> HttpAllowlist { get; init; } = [];

    /// <summary>Bound on one action: every redirect hop and the body read included. 0 or less = no bound.</summary>
    public int HttpTimeoutSeconds { get; init; } = 30;

    /// <summary>Largest response body read; a bigger one fails with OUTPUT_TOO_LARGE.</summary>
    public long MaxOutputBytes { get; init; } = DefaultMaxOutputBytes;

    /// <summary>Proxy for outgoing requests; null = connect directly. Defaults to HTTP_PROXY/HTTPS_PROXY/NO_PROXY.</summary>
    public IWebProxy? Proxy { get; init; } = EnvironmentProxy.FromEnvironment();

    /// <summary>Name resolution used for every connection (and the IMDS check); replaceable so tests can map names.</summary>
    public Func<string, CancellationToken, Task<IPAddress[]>> ResolveHost { get; init; } = Dns.GetHostAddressesAsync;

    /// <summary>
    /// Certificate authorities trusted in addition to the system store, for private CAs. (On Linux the system store
    /// already honours SSL_CERT_DIR/SSL_CERT_FILE; this is for CAs known only to the runner.)
    /// </summary>
    public IReadOnlyList<X509Certificate2> TrustedRootCertificates { get; init; } = [];

    public static HttpActionOptions From(RunnerConfig config) => new()
    {
        AllowImdsEndpoint = config.AllowImdsEndpoint,
        HttpAllowlist = config.HttpAllowlist,
        HttpTimeoutSeconds = config.HttpTimeoutSeconds,
    };
}
