using Microsoft.IdentityModel.Tokens;
using Par.Shared.Configuration;

namespace Par.Shared.Security;

/// <summary>
/// The control plane's public keys (<c>controlPlaneJwks</c>: a file in the config folder or an http(s) URL). They verify
/// push tokens and pull tasks. A URL is fetched at start and again when a token names a key id not seen yet, at most
/// once per <see cref="RefreshInterval"/>, so a key rotation needs no restart and an attacker cannot make us hammer it.
/// </summary>
public sealed class ControlPlaneKeys
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private readonly string _source;
    private readonly Uri? _url;
    private readonly HttpClient? _http;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private volatile IReadOnlyDictionary<string, SecurityKey> _keys;
    private DateTimeOffset _lastFetch;

    private ControlPlaneKeys(string source, Uri? url, HttpClient? http, IReadOnlyDictionary<string, SecurityKey> keys, TimeProvider time)
    {
        _source = source;
        _url = url;
        _http = http;
        _keys = keys;
        _time = time;
        _lastFetch = time.GetUtcNow();
    }

    public int Count => _keys.Count;

    /// <summary>Loads the JWKS named by the configuration; a missing or broken JWKS stops start-up with its location.</summary>
    public static async Task<ControlPlaneKeys> LoadAsync(RunnerConfig config, TimeProvider? time = null, HttpClient? http = null, CancellationToken cancellationToken = default)
    {
        var source = config.ControlPlaneJwks
            ?? throw new ConfigException($"{config.SourceFile ?? "config.yaml"}: key 'controlPlaneJwks' is required to verify push tokens and pull tasks (a JWKS file path or URL).");
        time ??= TimeProvider.System;
        if (Uri.TryCreate(source, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            http ??= new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var keys = await FetchAsync(http, url, cancellationToken);
            return new ControlPlaneKeys(source, url, http, keys, time);
        }

        var path = Path.GetFullPath(Path.Combine(config.ConfigDir, source));
        string json;
        try
        {
            json = await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (IOException e)
        {
            throw new ConfigException($"controlPlaneJwks: cannot read '{path}': {e.Message}");
        }
        return new ControlPlaneKeys(source, null, null, Parse(json, path), time);
    }

    public static ControlPlaneKeys FromJson(string json, TimeProvider? time = null) =>
        new("inline", null, null, Parse(json, "inline JWKS"), time ?? TimeProvider.System);

    /// <summary>The key with this id, refreshing a URL source once if the id is new to us.</summary>
    public async ValueTask<SecurityKey?> FindAsync(string kid, CancellationToken cancellationToken)
    {
        if (_keys.TryGetValue(kid, out var key))
            return key;
        if (_url is null || _time.GetUtcNow() - _lastFetch < RefreshInterval)
            return null;

        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            if (_time.GetUtcNow() - _lastFetch >= RefreshInterval)
            {
                _lastFetch = _time.GetUtcNow();
                _keys = await FetchAsync(_http!, _url, cancellationToken);
            }
        }
        catch (Exception e) when (e is HttpRequestException or ConfigException or TaskCanceledException)
        {
            // Keep the keys we have: a control plane hiccup must not lock every user out.
        }
        finally
        {
            _refreshing.Release();
        }
        return _keys.GetValueOrDefault(kid);
    }

    private static async Task<IReadOnlyDictionary<string, SecurityKey>> FetchAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            var json = await http.GetStringAsync(url, cancellationToken);
            return Parse(json, url.ToString());
        }
        catch (HttpRequestException e)
        {
            throw new ConfigException($"controlPlaneJwks: cannot fetch '{url}': {e.Message}");
        }
    }

    private static IReadOnlyDictionary<string, SecurityKey> Parse(string json, string where)
    {
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(json);
        }
        catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException)
        {
            throw new ConfigException($"controlPlaneJwks: '{where}' is not a JWKS document ({e.Message}).");
        }

        var keys = new Dictionary<string, SecurityKey>(StringComparer.Ordinal);
        foreach (var jwk in set.Keys)
        {
            // Only EC P-256 keys can verify ES256; anything else in the set is ignored rather than trusted.
            // Imported once as an ECDsa key: verifying with the raw JWK would rebuild the curve point on every token.
            if (jwk.Kty == "EC" && jwk.Crv == "P-256" && !string.IsNullOrEmpty(jwk.Kid) && !jwk.HasPrivateKey
                && JsonWebKeyConverter.TryConvertToSecurityKey(jwk, out var key) && key is ECDsaSecurityKey ecdsa)
            {
                ecdsa.KeyId = jwk.Kid;
                keys[jwk.Kid] = ecdsa;
            }
        }
        if (keys.Count == 0)
            throw new ConfigException($"controlPlaneJwks: '{where}' holds no EC P-256 public key with a kid.");
        return keys;
    }

    public override string ToString() => $"ControlPlaneKeys({_source}, {_keys.Count} keys)";
}
