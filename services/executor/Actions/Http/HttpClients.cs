using System.Net;
using System.Security.Authentication;

namespace Par.Executor.Actions.Http;

/// <summary>
/// The long-lived clients, one per certificate policy, so connections are pooled across calls. Certificate checks live
/// in the handler, hence two handlers rather than one. Nothing per-call is kept in them: no cookies, no credentials.
/// </summary>
internal sealed class HttpClients : IDisposable
{
    public const string UserAgent = "private-action-runner";

    private readonly HttpClient _strict;
    private readonly HttpClient _allowExpired;

    public HttpClients(HttpActionOptions options, DestinationGuard guard)
    {
        _strict = Create(options, guard, new CertificatePolicy(options.TrustedRootCertificates, allowExpired: false));
        _allowExpired = Create(options, guard, new CertificatePolicy(options.TrustedRootCertificates, allowExpired: true));
    }

    public HttpClient For(bool allowExpiredCertificate) => allowExpiredCertificate ? _allowExpired : _strict;

    private static HttpClient Create(HttpActionOptions options, DestinationGuard guard, CertificatePolicy policy)
    {
        var handler = new SocketsHttpHandler
        {
            // Redirects are followed by the action so each hop passes the allowlist and drops secrets across hosts.
            AllowAutoRedirect = false,
            // A shared cookie jar would carry one workflow's session into another's calls.
            UseCookies = false,
            Credentials = null,
            PreAuthenticate = false,
            UseProxy = options.Proxy is not null,
            Proxy = options.Proxy,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectCallback = guard.ConnectAsync,
            // Pooled connections would otherwise pin an address forever and miss DNS changes.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions =
            {
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                RemoteCertificateValidationCallback = policy.Validate,
            },
        };
        // The action applies its own deadline across all hops and the body read.
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        // Some APIs (GitHub's among them) refuse requests without one; a requestHeaders User-Agent replaces it.
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        return client;
    }

    public void Dispose()
    {
        _strict.Dispose();
        _allowExpired.Dispose();
    }
}
