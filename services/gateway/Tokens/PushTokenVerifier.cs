using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Par.Shared.Contracts;
using Par.Shared.Security;

namespace Par.Gateway.Tokens;

/// <summary>
/// Verifies the single-use scoped token of a push request: a compact JWS, ES256 only, signed by a control-plane key
/// (<c>kid</c>), for this runner (<c>aud</c> = its URN), short-lived, never seen before.
/// </summary>
public sealed class PushTokenVerifier(ControlPlaneKeys keys, IReplayCache replays, TimeProvider time, string runnerUrn)
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    private static readonly JsonSerializerOptions ClaimJson = new(JsonSerializerDefaults.Web);
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public async Task<(PushGrant? Grant, TokenRejection? Rejection)> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            return Reject("The token is not a compact JWS.");
        }

        // Checked before any key lookup: 'none', HS256 (with the public key as secret) and RS256 are classic downgrades.
        if (jwt.Alg != SecurityAlgorithms.EcdsaSha256)
            return Reject($"Token algorithm '{jwt.Alg}' is refused; only ES256 is accepted.");
        if (string.IsNullOrEmpty(jwt.Kid))
            return Reject("The token has no 'kid' header naming the control-plane key that signed it.");
        var key = await keys.FindAsync(jwt.Kid, cancellationToken);
        if (key is null)
            return Reject($"The token's key id '{Shorten(jwt.Kid)}' is not in the control plane's JWKS.");

        var result = await _handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidAudience = runnerUrn,
            ValidateIssuer = false,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = ClockSkew,
            LifetimeValidator = null,
            TryAllIssuerSigningKeys = false,
        });
        if (!result.IsValid)
            return Reject(Describe(result.Exception));

        var issuedAt = jwt.TryGetPayloadValue<long>("iat", out var iat) ? DateTimeOffset.FromUnixTimeSeconds(iat) : (DateTimeOffset?)null;
        if (issuedAt is null)
            return Reject("The token has no 'iat' claim.");
        var expiresAt = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        if (expiresAt - issuedAt > MaxLifetime)
            return Reject($"The token lives {(expiresAt - issuedAt.Value).TotalSeconds:F0} s; at most {MaxLifetime.TotalSeconds:F0} s is accepted.");
        if (issuedAt > time.GetUtcNow() + ClockSkew)
            return Reject("The token was issued in the future.");

        if (!jwt.TryGetPayloadValue<string>("jti", out var jti) || string.IsNullOrWhiteSpace(jti))
            return Reject("The token has no 'jti' claim.");
        if (!jwt.TryGetPayloadValue<string>("action", out var action) || string.IsNullOrWhiteSpace(action))
            return Reject("The token has no 'action' claim naming the action it allows.");
        if (!TryReadConnection(jwt, out var connection))
            return Reject("The token's 'connection' claim is not an object {id, integration, credentialsFile}.");

        // Consumed last, so a token refused for another reason cannot burn a valid jti of someone else.
        if (!replays.TryConsume(jti, expiresAt + ClockSkew))
            return Reject("The token was already used; tokens are single-use.");
        return (new PushGrant(action, connection, jti, expiresAt), null);
    }

    private static bool TryReadConnection(JsonWebToken jwt, out ConnectionRef? connection)
    {
        connection = null;
        if (!jwt.TryGetClaim("connection", out var claim))
            return true;
        if (claim.ValueType != JsonClaimValueTypes.Json)
            return false;
        try
        {
            connection = JsonSerializer.Deserialize<ConnectionRef>(claim.Value, ClaimJson);
            return connection is not null && !string.IsNullOrEmpty(connection.Id) && !string.IsNullOrEmpty(connection.Integration);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenNoExpirationException => "The token has no 'exp' claim.",
        SecurityTokenInvalidAudienceException => "The token was issued for another runner (its 'aud' is not this runner's URN).",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "The token's signature does not verify.",
        SecurityTokenInvalidAlgorithmException => "The token's algorithm is refused; only ES256 is accepted.",
        _ => "The token is not valid.",
    };

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";

    private static (PushGrant?, TokenRejection?) Reject(string reason) => (null, new TokenRejection(reason));
}
