using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Par.Tests.Infrastructure;

/// <summary>A control-plane signing key for tests: its JWKS, and push tokens signed with it (or deliberately broken).</summary>
public sealed class ControlPlaneKey
{
    public const string RunnerUrn = "urn:dd:apps:on-prem-runner:us1:1234:runner-under-test";

    private readonly ECDsa _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public ControlPlaneKey(string kid = "cp-key-1") => Kid = kid;

    public string Kid { get; }

    public ECDsaSecurityKey SecurityKey => new(_ecdsa) { KeyId = Kid };

    public string JwksJson()
    {
        var p = _ecdsa.ExportParameters(false);
        var jwk = new JsonObject
        {
            ["kty"] = "EC", ["crv"] = "P-256", ["alg"] = "ES256", ["use"] = "sig", ["kid"] = Kid,
            ["x"] = Base64UrlEncoder.Encode(p.Q.X), ["y"] = Base64UrlEncoder.Encode(p.Q.Y),
        };
        return new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString();
    }

    /// <summary>A valid push token unless the caller bends one of its parts.</summary>
    public string Token(string action, object? connection = null, string audience = RunnerUrn, DateTimeOffset? issuedAt = null,
        TimeSpan? lifetime = null, string? jti = null, IDictionary<string, object>? extraClaims = null, bool omitJti = false)
    {
        var iat = issuedAt ?? DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["iss"] = "https://control-plane.test",
            ["aud"] = audience,
            ["iat"] = iat.ToUnixTimeSeconds(),
            ["exp"] = (iat + (lifetime ?? TimeSpan.FromMinutes(2))).ToUnixTimeSeconds(),
            ["action"] = action,
        };
        if (!omitJti)
            claims["jti"] = jti ?? Guid.NewGuid().ToString("N");
        if (connection is not null)
            claims["connection"] = JsonSerializer.SerializeToElement(connection, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        foreach (var (k, v) in extraClaims ?? new Dictionary<string, object>())
            claims[k] = v;

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(SecurityKey, SecurityAlgorithms.EcdsaSha256),
        });
    }

    /// <summary>A token with a hand-written header and payload, signed (or not) as the attack needs.</summary>
    public static string Handmade(object header, object payload, Func<byte[], byte[]>? sign = null)
    {
        var head = Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(header));
        var body = Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = sign is null ? "" : Base64UrlEncoder.Encode(sign(Encoding.ASCII.GetBytes($"{head}.{body}")));
        return $"{head}.{body}.{signature}";
    }

    public byte[] SignRaw(byte[] data) => _ecdsa.SignData(data, HashAlgorithmName.SHA256);
}
