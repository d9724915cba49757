using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.Tokens;

namespace Par.Shared.Security;

/// <summary>
/// An ECDSA P-256 signing key kept as a JWK, as the original runner keeps its identity: <c>privateKey</c> in config.yaml is
/// base64url(JSON JWK). The emulator uses the same type for the control plane's own signing key.
/// <see cref="ToString"/> shows only the kid, so logging a key by mistake does not leak it.
/// </summary>
public sealed class RunnerKey : IDisposable
{
    private readonly ECDsa _ecdsa;
    private readonly Lazy<string> _publicKeyPem;

    private RunnerKey(ECDsa ecdsa, string? kid)
    {
        _ecdsa = ecdsa;
        PublicJwk = EcPublicJwk.FromParameters(ecdsa.ExportParameters(includePrivateParameters: false), kid);
        SecurityKey = new ECDsaSecurityKey(ecdsa) { KeyId = PublicJwk.Kid };
        SigningCredentials = new SigningCredentials(SecurityKey, SecurityAlgorithms.EcdsaSha256);
        _publicKeyPem = new Lazy<string>(() => _ecdsa.ExportSubjectPublicKeyInfoPem());
    }

    public string KeyId => PublicJwk.Kid;
    public EcPublicJwk PublicJwk { get; }
    /// <summary>SPKI PEM of the public key, the form enrollment sends (<c>public_key_pem</c>).</summary>
    public string PublicKeyPem => _publicKeyPem.Value;
    public ECDsaSecurityKey SecurityKey { get; }
    /// <summary>ES256 with this key's kid in the header; what <see cref="Es256Jws"/> signs with.</summary>
    public SigningCredentials SigningCredentials { get; }

    public static RunnerKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), kid: null);

    /// <summary>Reads the <c>privateKey</c> value of config.yaml: base64url of the JSON JWK.</summary>
    public static RunnerKey FromConfigValue(string configValue)
    {
        if (string.IsNullOrWhiteSpace(configValue)) throw new RunnerKeyException("The private key is empty.");
        var json = Base64Url.TryDecode(configValue.Trim())
            ?? throw new RunnerKeyException("The private key is not base64url text.");
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(json);
        }
        catch (DecoderFallbackException)
        {
            throw new RunnerKeyException("The private key does not decode to a UTF-8 JSON JWK.");
        }
        return FromJwkJson(text);
    }

    /// <summary>Reads a private JWK (kty EC, crv P-256, x, y, d). A given kid is kept so keys made by the original runner keep their id.</summary>
    public static RunnerKey FromJwkJson(string json)
    {
        PrivateJwk? jwk;
        try
        {
            jwk = JsonSerializer.Deserialize<PrivateJwk>(json);
        }
        catch (JsonException)
        {
            // The inner message can quote a fragment of the input; it is left out on purpose.
            throw new RunnerKeyException("The private key is not a JSON JWK object.");
        }
        if (jwk is null) throw new RunnerKeyException("The private key is not a JSON JWK object.");
        if (jwk.Kty != EcPublicJwk.KeyType) throw new RunnerKeyException("The private key must be a JWK with kty EC.");
        if (jwk.Crv != EcPublicJwk.Curve) throw new RunnerKeyException("The private key must be on curve P-256.");
        if (jwk.Alg is not null && jwk.Alg != EcPublicJwk.Algorithm) throw new RunnerKeyException("The private key's alg must be ES256.");
        if (jwk.Use is not null && jwk.Use != "sig") throw new RunnerKeyException("The private key's use must be sig.");

        var d = Coordinate(jwk.D, "d");
        var x = Coordinate(jwk.X, "x");
        var y = Coordinate(jwk.Y, "y");

        var ecdsa = ECDsa.Create();
        try
        {
            // Import d alone so the runtime derives the public point; comparing it with x/y catches a JWK whose halves do not match.
            ecdsa.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
            var derived = ecdsa.ExportParameters(includePrivateParameters: false).Q;
            if (!CryptographicOperations.FixedTimeEquals(derived.X, x) || !CryptographicOperations.FixedTimeEquals(derived.Y, y))
                throw new RunnerKeyException("The private key's x/y do not belong to its d.");
        }
        catch (CryptographicException)
        {
            ecdsa.Dispose();
            throw new RunnerKeyException("The private key's d is not a valid P-256 scalar.");
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
        return new RunnerKey(ecdsa, string.IsNullOrWhiteSpace(jwk.Kid) ? null : jwk.Kid);
    }

    public string ToConfigValue() => Base64Url.Encode(Encoding.UTF8.GetBytes(ToJwkJson()));

    /// <summary>The private JWK as JSON. Holds the secret: write it only to files readable by the owner.</summary>
    public string ToJwkJson()
    {
        var p = _ecdsa.ExportParameters(includePrivateParameters: true);
        try
        {
            return JsonSerializer.Serialize(new PrivateJwk
            {
                Kty = PublicJwk.Kty, Crv = PublicJwk.Crv, X = PublicJwk.X, Y = PublicJwk.Y,
                D = Base64Url.Encode(p.D), Alg = PublicJwk.Alg, Use = PublicJwk.Use, Kid = PublicJwk.Kid,
            });
        }
        finally
        {
            CryptographicOperations.ZeroMemory(p.D);
        }
    }

    public override string ToString() => $"RunnerKey(kid={KeyId})";

    public void Dispose() => _ecdsa.Dispose();

    private static byte[] Coordinate(string? value, string name)
    {
        var bytes = Base64Url.TryDecode(value);
        if (bytes?.Length != EcPublicJwk.CoordinateBytes)
            throw new RunnerKeyException($"The private key's {name} is missing or not a 32-byte base64url value.");
        return bytes;
    }

    // A class, not a record: a record's generated ToString would print d.
    private sealed class PrivateJwk
    {
        [JsonPropertyName("kty")] public string? Kty { get; init; }
        [JsonPropertyName("crv")] public string? Crv { get; init; }
        [JsonPropertyName("x")] public string? X { get; init; }
        [JsonPropertyName("y")] public string? Y { get; init; }
        [JsonPropertyName("d")] public string? D { get; init; }
        [JsonPropertyName("alg")] public string? Alg { get; init; }
        [JsonPropertyName("use")] public string? Use { get; init; }
        [JsonPropertyName("kid")] public string? Kid { get; init; }
    }
}
