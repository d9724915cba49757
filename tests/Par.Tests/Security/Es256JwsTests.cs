using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Par.Shared.Security;

namespace Par.Tests.Security;

public class When_a_jws_is_verified_against_a_jwks
{
    private readonly RunnerKey _signer = RunnerKey.Generate();

    [Fact]
    public async Task A_token_signed_by_a_key_of_the_set_verifies_and_yields_its_payload()
    {
        var jws = Es256Jws.Sign(new { task_id = "t1", n = 3 }, _signer);
        var verified = await Es256Jws.VerifyAsync(jws, new Jwks([_signer.PublicJwk]));
        Assert.Equal("t1", verified.Payload.GetProperty("task_id").GetString());
        Assert.Equal(_signer.KeyId, verified.Kid);
        Assert.False(verified.Payload.TryGetProperty("nbf", out _));
    }

    [Fact]
    public async Task A_token_signed_by_another_key_claiming_the_same_kid_is_refused()
    {
        using var attacker = RunnerKey.FromJwkJson(WithKid(RunnerKey.Generate().ToJwkJson(), _signer.KeyId));
        var forged = Es256Jws.Sign(new { task_id = "t1" }, attacker);
        var error = await Assert.ThrowsAsync<JwsException>(() => Es256Jws.VerifyAsync(forged, new Jwks([_signer.PublicJwk])));
        Assert.Equal("The token's signature is invalid.", error.Message);
    }

    [Fact]
    public async Task A_token_naming_an_unknown_kid_is_refused()
    {
        using var other = RunnerKey.Generate();
        var jws = Es256Jws.Sign(new { task_id = "t1" }, other);
        await Assert.ThrowsAsync<JwsException>(() => Es256Jws.VerifyAsync(jws, new Jwks([_signer.PublicJwk])));
    }

    [Fact]
    public async Task An_unsigned_token_is_refused()
    {
        static string B64(string s) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(s));
        var unsigned = $"{B64($"{{\"alg\":\"none\",\"kid\":\"{_signer.KeyId}\"}}")}.{B64("{\"task_id\":\"t1\"}")}.";
        await Assert.ThrowsAsync<JwsException>(() => Es256Jws.VerifyAsync(unsigned, new Jwks([_signer.PublicJwk])));
    }

    [Fact]
    public async Task A_tampered_payload_is_refused()
    {
        var parts = Es256Jws.Sign(new { task_id = "t1" }, _signer).Split('.');
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode("{\"task_id\":\"t2\"}")}.{parts[2]}";
        await Assert.ThrowsAsync<JwsException>(() => Es256Jws.VerifyAsync(tampered, new Jwks([_signer.PublicJwk])));
    }

    [Fact]
    public void Garbage_is_refused_as_not_a_jws() =>
        Assert.Throws<JwsException>(() => Es256Jws.ReadKid("not a token"));

    private static string WithKid(string jwkJson, string kid)
    {
        var jwk = JsonSerializer.Deserialize<Dictionary<string, string>>(jwkJson)!;
        jwk["kid"] = kid;
        return JsonSerializer.Serialize(jwk);
    }
}

public class When_a_jwks_document_is_read
{
    [Fact]
    public void It_round_trips_and_finds_keys_by_kid()
    {
        using var a = RunnerKey.Generate();
        using var b = RunnerKey.Generate();
        var jwks = Jwks.Parse(new Jwks([a.PublicJwk, b.PublicJwk]).ToJson());
        Assert.Equal(2, jwks.Keys.Count);
        Assert.Equal(b.PublicJwk, jwks.Find(b.KeyId));
        Assert.Null(jwks.Find("nope"));
    }

    [Fact]
    public void Keys_that_are_not_ec_p256_signing_keys_are_skipped()
    {
        using var a = RunnerKey.Generate();
        var json = $$"""
        {"keys":[
          {"kty":"RSA","kid":"rsa","n":"0vx7","e":"AQAB"},
          {"kty":"EC","crv":"P-256","use":"enc","kid":"enc","x":"{{a.PublicJwk.X}}","y":"{{a.PublicJwk.Y}}"},
          {{JsonSerializer.Serialize(a.PublicJwk)}}
        ]}
        """;
        Assert.Equal([a.KeyId], Jwks.Parse(json).Keys.Select(k => k.Kid));
    }

    [Fact]
    public void A_broken_ec_key_is_refused() =>
        Assert.Throws<RunnerKeyException>(() => Jwks.Parse("""{"keys":[{"kty":"EC","crv":"P-256","kid":"k","x":"AAAA","y":"AAAA"}]}"""));
}
