using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Par.Tests.Http.Infrastructure;

/// <summary>
/// A private CA and the server certificates the test target presents, chosen by SNI: valid.test (valid),
/// expired.test (expired, same CA), untrusted.test (self-signed, valid dates) and, for any other name, the valid.test
/// certificate, which then does not match the name.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Par Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        Authority = Reload(caRequest.CreateSelfSigned(now.AddDays(-30), now.AddDays(30)));

        Valid = Issue("valid.test", now.AddDays(-1), now.AddDays(7));
        Expired = Issue("expired.test", now.AddDays(-10), now.AddDays(-1));
        Untrusted = SelfSigned("untrusted.test", now.AddDays(-1), now.AddDays(7));
    }

    /// <summary>The CA the action is told to trust.</summary>
    public X509Certificate2 Authority { get; }
    public X509Certificate2 Valid { get; }
    public X509Certificate2 Expired { get; }
    public X509Certificate2 Untrusted { get; }

    public X509Certificate2 ForServerName(string? name) => name switch
    {
        "expired.test" => Expired,
        "untrusted.test" => Untrusted,
        _ => Valid,
    };

    private X509Certificate2 Issue(string host, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = ServerRequest(host, key);
        using var issued = request.Create(Authority, notBefore, notAfter, RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    private static X509Certificate2 SelfSigned(string host, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = ServerRequest(host, key).CreateSelfSigned(notBefore, notAfter);
        return Reload(certificate);
    }

    private static CertificateRequest ServerRequest(string host, ECDsa key)
    {
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request;
    }

    // A PFX round trip gives a certificate whose key SslStream can use on every platform.
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);

    public void Dispose()
    {
        Authority.Dispose();
        Valid.Dispose();
        Expired.Dispose();
        Untrusted.Dispose();
    }
}
