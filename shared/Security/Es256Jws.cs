using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Par.Shared.Security;

/// <summary>A verified compact JWS: the key id it named and its JSON payload.</summary>
public sealed record VerifiedJws(string? Kid, JsonElement Payload);

/// <summary>
/// Signs and verifies compact JWS with ES256, the one algorithm this project uses between runner and control plane.
/// Verification checks the signature and algorithm only: times, audience and issuer differ per use (runner JWT, task, push
/// token) and are checked by the caller against its own clock.
/// </summary>
public static class Es256Jws
{
    // Times come from the callers' payloads (and their TimeProvider), never from the handler's own clock.
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public static string Sign(string payloadJson, RunnerKey key) => Handler.CreateToken(payloadJson, key.SigningCredentials);

    public static string Sign<T>(T payload, RunnerKey key, JsonSerializerOptions? options = null) =>
        Sign(JsonSerializer.Serialize(payload, options), key);

    /// <summary>Verifies against the set's key named by the token's kid; a token without a known kid is refused.</summary>
    public static Task<VerifiedJws> VerifyAsync(string jws, Jwks jwks)
    {
        var kid = ReadKid(jws);
        var key = jwks.FindSecurityKey(kid) ?? throw new JwsException("The token's kid names no key of the JWKS.");
        return VerifyAsync(jws, key, tryKeyWhateverTheKid: false);
    }

    /// <summary>Verifies against one known key (the runner's registered key), whatever kid the token names.</summary>
    public static Task<VerifiedJws> VerifyAsync(string jws, SecurityKey key) => VerifyAsync(jws, key, tryKeyWhateverTheKid: true);

    /// <summary>Header kid without verifying anything, to pick the key.</summary>
    public static string? ReadKid(string jws) => Read(jws).Kid;

    /// <summary>Payload without verifying anything: only to find which key to verify with, never to trust.</summary>
    public static JsonElement ReadUnverifiedPayload(string jws) => DecodePayload(Read(jws));

    private static async Task<VerifiedJws> VerifyAsync(string jws, SecurityKey key, bool tryKeyWhateverTheKid)
    {
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKey = key,
            TryAllIssuerSigningKeys = tryKeyWhateverTheKid,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = false,
            ValidateAudience = false,
            ValidateIssuer = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        };
        var result = await Handler.ValidateTokenAsync(jws, parameters).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken token)
            throw new JwsException(Describe(result.Exception), result.Exception);
        return new VerifiedJws(token.Kid is { Length: > 0 } kid ? kid : null, DecodePayload(token));
    }

    private static JsonWebToken Read(string jws)
    {
        if (string.IsNullOrWhiteSpace(jws)) throw new JwsException("The token is empty.");
        try
        {
            return Handler.ReadJsonWebToken(jws);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException)
        {
            throw new JwsException("The token is not a compact JWS.", e);
        }
    }

    private static JsonElement DecodePayload(JsonWebToken token)
    {
        try
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.EncodedPayload)));
            return document.RootElement.Clone();
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new JwsException("The token's payload is not JSON.", e);
        }
    }

    private static string Describe(Exception? e) => e switch
    {
        SecurityTokenInvalidAlgorithmException => "The token is not signed with ES256.",
        SecurityTokenSignatureKeyNotFoundException => "The token's signing key is unknown.",
        SecurityTokenInvalidSignatureException => "The token's signature is invalid.",
        SecurityTokenMalformedException => "The token is not a compact JWS.",
        _ => "The token did not verify.",
    };
}
