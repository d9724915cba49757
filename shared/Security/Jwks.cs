using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.Tokens;

namespace Par.Shared.Security;

/// <summary>
/// A JSON Web Key Set of EC P-256 signing keys, as published by the control plane at <c>/.well-known/jwks.json</c>.
/// Keys of other types (RSA, encryption keys) are skipped rather than refused, so a set shared with other services loads.
/// </summary>
public sealed class Jwks
{
    private readonly Dictionary<string, ECDsaSecurityKey> _verifiers;

    public Jwks(IEnumerable<EcPublicJwk> keys)
    {
        Keys = keys.ToArray();
        _verifiers = new Dictionary<string, ECDsaSecurityKey>(StringComparer.Ordinal);
        foreach (var key in Keys)
        {
            if (_verifiers.ContainsKey(key.Kid)) throw new RunnerKeyException("The JWKS holds two keys with the same kid.");
            // Built once: IdentityModel caches signature providers per key object, so reuse is what makes verification cheap.
            _verifiers[key.Kid] = key.ToSecurityKey();
        }
    }

    public IReadOnlyList<EcPublicJwk> Keys { get; }

    public EcPublicJwk? Find(string? kid) => kid is not null && _verifiers.ContainsKey(kid) ? Keys.First(k => k.Kid == kid) : null;

    public ECDsaSecurityKey? FindSecurityKey(string? kid) => kid is not null && _verifiers.TryGetValue(kid, out var key) ? key : null;

    public static Jwks Load(string path) => Parse(File.ReadAllText(path));

    public static Jwks Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new RunnerKeyException("The JWKS is not valid JSON.", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
                throw new RunnerKeyException("The JWKS must be an object with a \"keys\" array.");
            var found = new List<EcPublicJwk>();
            foreach (var element in keys.EnumerateArray())
            {
                if (ReadSigningKey(element) is { } key) found.Add(key);
            }
            return new Jwks(found);
        }
    }

    public string ToJson() => JsonSerializer.Serialize(new JwksDocument(Keys));

    private static EcPublicJwk? ReadSigningKey(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new RunnerKeyException("A JWKS key is not a JSON object.");
        string? Text(string name) => element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        if (Text("kty") != EcPublicJwk.KeyType || Text("crv") != EcPublicJwk.Curve) return null;
        if (Text("use") is { } use && use != "sig") return null;
        if (Text("alg") is { } alg && alg != EcPublicJwk.Algorithm) return null;

        var x = Text("x") ?? throw new RunnerKeyException("A JWKS EC key has no x.");
        var y = Text("y") ?? throw new RunnerKeyException("A JWKS EC key has no y.");
        var key = new EcPublicJwk { X = x, Y = y, Kid = Text("kid") ?? EcPublicJwk.Thumbprint(x, y) };
        key.Validate();
        return key;
    }

    private sealed record JwksDocument([property: JsonPropertyName("keys")] IReadOnlyList<EcPublicJwk> Keys);
}
