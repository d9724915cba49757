using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.Tokens;

namespace Par.Shared.Security;

/// <summary>
/// The public half of an ECDSA P-256 key as a JWK (RFC 7517), the only key type this project signs with.
/// <see cref="Kid"/> is the RFC 7638 thumbprint unless the key's owner chose another id.
/// </summary>
public sealed record EcPublicJwk
{
    public const string KeyType = "EC";
    public const string Curve = "P-256";
    public const string Algorithm = "ES256";
    internal const int CoordinateBytes = 32;

    [JsonPropertyName("kty")] public string Kty { get; init; } = KeyType;
    [JsonPropertyName("crv")] public string Crv { get; init; } = Curve;
    [JsonPropertyName("x")] public required string X { get; init; }
    [JsonPropertyName("y")] public required string Y { get; init; }
    [JsonPropertyName("alg")] public string Alg { get; init; } = Algorithm;
    [JsonPropertyName("use")] public string Use { get; init; } = "sig";
    [JsonPropertyName("kid")] public required string Kid { get; init; }

    /// <summary>Base64url SHA-256 thumbprint over the required members {crv, kty, x, y} (RFC 7638 §3.2).</summary>
    public static string Thumbprint(string x, string y)
    {
        var jwk = new JsonWebKey { Kty = KeyType, Crv = Curve, X = x, Y = y };
        return Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
    }

    public static EcPublicJwk FromParameters(ECParameters parameters, string? kid = null)
    {
        var x = Base64Url.Encode(parameters.Q.X);
        var y = Base64Url.Encode(parameters.Q.Y);
        return new EcPublicJwk { X = x, Y = y, Kid = kid ?? Thumbprint(x, y) };
    }

    /// <summary>Reads an SPKI PEM ("BEGIN PUBLIC KEY"), as sent at enrollment.</summary>
    public static EcPublicJwk FromPem(string pem)
    {
        using var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new RunnerKeyException("The public key is not a PEM encoded EC public key.", e);
        }
        var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        if (parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            throw new RunnerKeyException("The public key is not on curve P-256.");
        return FromParameters(parameters);
    }

    /// <summary>Checks the members a verifier relies on; throws <see cref="RunnerKeyException"/> naming the bad member.</summary>
    public void Validate()
    {
        if (Kty != KeyType) throw new RunnerKeyException($"JWK kty must be {KeyType}.");
        if (Crv != Curve) throw new RunnerKeyException($"JWK crv must be {Curve}.");
        if (Alg != Algorithm) throw new RunnerKeyException($"JWK alg must be {Algorithm}.");
        if (string.IsNullOrWhiteSpace(Kid)) throw new RunnerKeyException("JWK kid is missing.");
        if (Base64Url.TryDecode(X)?.Length != CoordinateBytes) throw new RunnerKeyException("JWK x is not a 32-byte base64url value.");
        if (Base64Url.TryDecode(Y)?.Length != CoordinateBytes) throw new RunnerKeyException("JWK y is not a 32-byte base64url value.");
    }

    public ECParameters ToParameters() => new()
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = Base64Url.TryDecode(X), Y = Base64Url.TryDecode(Y) },
    };

    /// <summary>A verification key for IdentityModel; the caller owns it (it wraps a disposable ECDsa).</summary>
    public ECDsaSecurityKey ToSecurityKey()
    {
        Validate();
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportParameters(ToParameters());
        }
        catch (CryptographicException e)
        {
            ecdsa.Dispose();
            throw new RunnerKeyException("JWK x/y is not a point on P-256.", e);
        }
        return new ECDsaSecurityKey(ecdsa) { KeyId = Kid };
    }

    public string ToPem()
    {
        using var key = ToSecurityKey().ECDsa;
        return key.ExportSubjectPublicKeyInfoPem();
    }
}
