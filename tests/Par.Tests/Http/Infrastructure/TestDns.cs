using System.Net;
using System.Net.Sockets;

namespace Par.Tests.Http.Infrastructure;

/// <summary>The name resolution the action uses in tests: fixed names, nothing from the real DNS.</summary>
public static class TestDns
{
    public static readonly IPAddress Loopback = IPAddress.Loopback;

    private static readonly Dictionary<string, IPAddress[]> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["valid.test"] = [Loopback],
        ["expired.test"] = [Loopback],
        ["untrusted.test"] = [Loopback],
        ["wrongname.test"] = [Loopback],
        ["other.test"] = [Loopback],
        ["allowed.test"] = [Loopback],
        ["api.allowed.test"] = [Loopback],
        ["deep.api.allowed.test"] = [Loopback],
        ["denied.test"] = [Loopback],
        ["imds.test"] = [IPAddress.Parse("169.254.169.254")],
        ["imds6.test"] = [IPAddress.Parse("fd00:ec2::254")],
        ["mapped-imds.test"] = [IPAddress.Parse("::ffff:169.254.169.254")],
        ["mixed-imds.test"] = [Loopback, IPAddress.Parse("169.254.169.254")],
    };

    public static Task<IPAddress[]> Resolve(string host, CancellationToken cancellationToken) =>
        Names.TryGetValue(host, out var addresses)
            ? Task.FromResult(addresses)
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
}
