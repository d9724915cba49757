using System.Net;
using System.Net.Sockets;

namespace Par.Executor.Actions.Http;

/// <summary>
/// The cloud instance metadata endpoint (AWS, GCP, Azure, OCI: 169.254.169.254; AWS IPv6: fd00:ec2::254). Reaching it
/// from an action would hand the runner host's cloud credentials to whoever wrote the workflow.
/// </summary>
public static class ImdsAddresses
{
    private static readonly byte[] V4 = [169, 254, 169, 254];
    private static readonly byte[] V6 = IPAddress.Parse("fd00:ec2::254").GetAddressBytes();
    private static readonly byte[] Nat64Prefix = [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];

    public static bool Contains(IPAddress address)
    {
        // Bytes, not IPAddress.Equals: the latter also compares the IPv6 scope id, so "fd00:ec2::254%2" would slip by.
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var length))
            return false;
        bytes = bytes[..length];
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return bytes.SequenceEqual(V4);
        if (bytes.SequenceEqual(V6))
            return true;
        // The same IPv4 endpoint written as IPv6: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d) or NAT64 (64:ff9b::a.b.c.d).
        var prefix = bytes[..12];
        var embedded = bytes[12..];
        var embedsV4 = address.IsIPv4MappedToIPv6 || !prefix.ContainsAnyExcept((byte)0) || prefix.SequenceEqual(Nat64Prefix);
        return embedsV4 && embedded.SequenceEqual(V4);
    }
}
