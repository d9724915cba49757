using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Par.Executor.Actions.Http;

/// <summary>
/// Server certificate validation: the system trust store plus <see cref="HttpActionOptions.TrustedRootCertificates"/>,
/// and, for <c>allowExpiredCertificate</c>, forgiveness of exactly one chain error: NotTimeValid. A wrong name, an
/// untrusted issuer or anything else still fails.
/// </summary>
internal sealed class CertificatePolicy(IReadOnlyList<X509Certificate2> trustedRoots, bool allowExpired)
{
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
            return true;
        // Thrown rather than returning false so the action's error says why; SslStream passes it up unchanged.
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || certificate is null)
            throw new CertificateRejectedException("the server sent no certificate");
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            throw new CertificateRejectedException("the certificate does not name the host");

        var flags = ChainErrors(certificate as X509Certificate2 ?? new X509Certificate2(certificate), chain);
        if (allowExpired)
            flags &= ~X509ChainStatusFlags.NotTimeValid;
        if (flags == X509ChainStatusFlags.NoError)
            return true;
        var hint = flags == X509ChainStatusFlags.NotTimeValid ? " (set allowExpiredCertificate to accept an expired certificate)" : "";
        throw new CertificateRejectedException($"the certificate chain is not valid: {flags}{hint}");
    }

    private X509ChainStatusFlags ChainErrors(X509Certificate2 certificate, X509Chain? systemChain)
    {
        if (trustedRoots.Count == 0)
        {
            var flags = Aggregate(systemChain);
            // Chain errors were reported; never let an empty status list read as "valid".
            return flags == X509ChainStatusFlags.NoError ? X509ChainStatusFlags.PartialChain : flags;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        foreach (var root in trustedRoots)
            chain.ChainPolicy.CustomTrustStore.Add(root);
        // Same as SslStream's default: online revocation checks would make every call depend on the CA's servers.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (systemChain is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(systemChain.ChainPolicy.ExtraStore);
            foreach (var element in systemChain.ChainElements)
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        var built = chain.Build(certificate);
        var custom = Aggregate(chain);
        if (built && custom == X509ChainStatusFlags.NoError)
            return custom;
        // Neither the system store nor the extra roots vouch for it: report the smaller set of problems.
        var system = Aggregate(systemChain);
        if (system == X509ChainStatusFlags.NoError)
            system = X509ChainStatusFlags.PartialChain;
        if (custom == X509ChainStatusFlags.NoError)
            custom = X509ChainStatusFlags.PartialChain;
        return BitCount(custom) <= BitCount(system) ? custom : system;
    }

    private static X509ChainStatusFlags Aggregate(X509Chain? chain) =>
        chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, status) => all | status.Status)
        ?? X509ChainStatusFlags.PartialChain;

    private static int BitCount(X509ChainStatusFlags flags) => System.Numerics.BitOperations.PopCount((uint)flags);
}

/// <summary>Why a server certificate was refused; turned into the action's HTTP_ERROR message.</summary>
internal sealed class CertificateRejectedException(string reason) : Exception(reason);
