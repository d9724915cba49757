using System.Net;
using System.Net.Sockets;
using Par.Shared.Contracts;

namespace Par.Executor.Actions.Http;

/// <summary>
/// Decides where the action may connect. The host allowlist is checked per request (every redirect hop); the IMDS
/// check runs in the socket connect callback, after name resolution, on the very addresses connected to, so DNS
/// names, redirects and DNS rebinding cannot reach the metadata endpoint.
/// Through a proxy the socket goes to the proxy, so the target is resolved here and checked before sending; the proxy
/// resolves it again itself, so that check cannot rule out a name that resolves differently there.
/// </summary>
internal sealed class DestinationGuard(HttpActionOptions options)
{
    private readonly HostAllowlist _allowlist = new(options.HttpAllowlist);

    public async Task CheckBeforeSendAsync(Uri uri, CancellationToken cancellationToken)
    {
        if (!_allowlist.Allows(uri.IdnHost))
            throw new ActionFailedException(ErrorCodes.ForbiddenDestination,
                $"host '{uri.IdnHost}' is not in httpAllowlist; add it to httpAllowlist in the runner configuration to allow it");

        if (options.AllowImdsEndpoint || options.Proxy is not { } proxy || proxy.IsBypassed(uri) || proxy.GetProxy(uri) is null)
            return;
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(uri.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            // Behind a proxy the runner often cannot resolve outside names at all; the proxy is then the only judge.
            return;
        }
        RefuseImds(uri.IdnHost, addresses);
    }

    /// <summary>The <see cref="SocketsHttpHandler.ConnectCallback"/>.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await ResolveAsync(host, cancellationToken);
        if (!options.AllowImdsEndpoint)
            RefuseImds(host, addresses);
        if (addresses.Length == 0)
            throw new SocketException((int)SocketError.HostNotFound);

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var bare = host.Trim('[', ']');
        return IPAddress.TryParse(bare, out var literal) ? [literal] : await options.ResolveHost(bare, cancellationToken);
    }

    private static void RefuseImds(string host, IPAddress[] addresses)
    {
        if (addresses.FirstOrDefault(ImdsAddresses.Contains) is { } imds)
            throw new ActionFailedException(ErrorCodes.ForbiddenDestination,
                $"host '{host}' resolves to the cloud metadata endpoint ({imds}); it is refused unless allowIMDSEndpoint is set");
    }
}
