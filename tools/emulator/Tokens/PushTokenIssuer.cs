using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Par.Emulator.Keys;
using Par.Shared.ControlPlane;
using Par.Shared.Contracts;
using Par.Shared.Security;

namespace Par.Emulator.Tokens;

public sealed record PushToken(string Token, string Jti, string Audience, DateTimeOffset ExpiresAt);

/// <summary>Mints the single-use, scoped tokens a browser would get from the control plane to call a runner in push mode.</summary>
public sealed class PushTokenIssuer(ControlPlaneKey key, IssuerUrl issuer, TimeProvider time)
{
    public PushToken Issue(string action, ConnectionRef? connection, string audience, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        var expiresAt = now + lifetime;
        var jti = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Iss] = issuer.Value,
            [JwtRegisteredClaimNames.Aud] = audience,
            [JwtRegisteredClaimNames.Iat] = now.ToUnixTimeSeconds(),
            [JwtRegisteredClaimNames.Exp] = expiresAt.ToUnixTimeSeconds(),
            [JwtRegisteredClaimNames.Jti] = jti,
            [PushTokenClaims.Action] = action,
        };
        if (connection is not null) claims[PushTokenClaims.Connection] = JsonSerializer.SerializeToElement(connection, PullJson.Options);
        return new PushToken(Es256Jws.Sign(JsonSerializer.Serialize(claims), key.Key), jti, audience, expiresAt);
    }
}
