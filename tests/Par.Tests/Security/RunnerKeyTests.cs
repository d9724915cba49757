using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Par.Shared.Security;

namespace Par.Tests.Security;

public class When_a_runner_key_is_generated
{
    [Fact]
    public void Its_kid_is_the_RFC_7638_thumbprint_of_its_public_jwk()
    {
        using var key = RunnerKey.Generate();
        var jwk = key.PublicJwk;
        // RFC 7638 §3.2: required members only, lexicographic order, no whitespace.
        var canonical = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{jwk.X}\",\"y\":\"{jwk.Y}\"}}";
        var expected = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        Assert.Equal(expected, key.KeyId);
        Assert.Equal(("EC", "P-256", "ES256", "sig"), (jwk.Kty, jwk.Crv, jwk.Alg, jwk.Use));
    }

    [Fact]
    public void It_survives_a_round_trip_through_the_config_value()
    {
        using var key = RunnerKey.Generate();
        using var again = RunnerKey.FromConfigValue(key.ToConfigValue());
        Assert.Equal(key.PublicJwk, again.PublicJwk);
        Assert.Equal(key.PublicKeyPem, again.PublicKeyPem);
    }

    [Fact]
    public void Its_config_value_is_base64url_of_a_private_jwk()
    {
        using var key = RunnerKey.Generate();
        var json = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(key.ToConfigValue()));
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        foreach (var member in new[] { "kty", "crv", "x", "y", "d", "alg", "use", "kid" })
            Assert.True(root.TryGetProperty(member, out _), member);
        Assert.Equal(key.KeyId, root.GetProperty("kid").GetString());
    }

    [Fact]
    public void Its_public_pem_is_an_spki_p256_key()
    {
        using var key = RunnerKey.Generate();
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", key.PublicKeyPem);
        Assert.Equal(key.PublicJwk, EcPublicJwk.FromPem(key.PublicKeyPem));
    }

    [Fact]
    public void Printing_it_shows_the_kid_and_nothing_secret()
    {
        using var key = RunnerKey.Generate();
        Assert.Equal($"RunnerKey(kid={key.KeyId})", key.ToString());
    }
}

public class When_a_key_of_the_original_runner_is_loaded
{
    [Fact]
    public void Its_own_kid_is_kept()
    {
        using var key = RunnerKey.Generate();
        var jwk = JsonSerializer.Deserialize<Dictionary<string, string>>(key.ToJwkJson())!;
        jwk["kid"] = "a-kid-chosen-elsewhere";
        using var loaded = RunnerKey.FromJwkJson(JsonSerializer.Serialize(jwk));
        Assert.Equal("a-kid-chosen-elsewhere", loaded.KeyId);
    }

    [Fact]
    public void A_missing_kid_becomes_the_thumbprint()
    {
        using var key = RunnerKey.Generate();
        var jwk = JsonSerializer.Deserialize<Dictionary<string, string>>(key.ToJwkJson())!;
        jwk.Remove("kid");
        jwk.Remove("alg");
        jwk.Remove("use");
        using var loaded = RunnerKey.FromJwkJson(JsonSerializer.Serialize(jwk));
        Assert.Equal(key.KeyId, loaded.KeyId);
    }
}

public class When_a_config_value_is_not_a_usable_key
{
    public static TheoryData<string, string> BadValues()
    {
        using var key = RunnerKey.Generate();
        using var other = RunnerKey.Generate();
        var jwk = JsonSerializer.Deserialize<Dictionary<string, string>>(key.ToJwkJson())!;
        var d = jwk["d"];
        string Encode(Dictionary<string, string> j) => Base64UrlEncoder.Encode(JsonSerializer.Serialize(j));
        Dictionary<string, string> With(string name, string? value)
        {
            var copy = new Dictionary<string, string>(jwk);
            if (value is null) copy.Remove(name); else copy[name] = value;
            return copy;
        }
        var otherD = JsonSerializer.Deserialize<Dictionary<string, string>>(other.ToJwkJson())!["d"];
        return new TheoryData<string, string>
        {
            { "not base64url !!!", d },
            { Base64UrlEncoder.Encode("{ not json " + d), d },
            { Encode(With("crv", "P-384")), d },
            { Encode(With("kty", "RSA")), d },
            { Encode(With("d", null)), d },
            { Encode(With("d", otherD)), otherD },
            { Encode(With("x", "AAAA")), d },
            { Encode(With("alg", "RS256")), d },
        };
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public void It_is_refused_with_a_message_that_does_not_echo_the_key(string configValue, string secret)
    {
        var error = Assert.Throws<RunnerKeyException>(() => RunnerKey.FromConfigValue(configValue));
        Assert.DoesNotContain(secret, error.ToString());
        Assert.DoesNotContain(configValue, error.ToString());
        Assert.StartsWith("The private key", error.Message);
    }
}
