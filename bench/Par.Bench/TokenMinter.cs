using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Par.Bench;

/// <summary>
/// Signs push tokens as the control plane does (ES256 compact JWS; claims iss, aud = runner URN, iat, exp = now + 120,
/// jti random, action), with a key whose JWKS the gateway reads from a file. The measured window's tokens are
/// pre-minted before the phase so signing does not compete with the runner for CPU; warm-up requests mint inline
/// (warm-up is not measured), and a measured window that outruns the pool mints inline too and says so.
/// </summary>
public sealed class TokenMinter
{
    public const string RunnerUrn = "urn:dd:apps:on-prem-runner:us1:1234:bench-runner";
    public const string Action = "com.datadoghq.http.request";
    private const string Kid = "bench-key-1";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"alg":"ES256","kid":"{{Kid}}","typ":"JWT"}"""));
    private string[] _pool = [];
    private int _next;
    private int _inline;
    private volatile bool _usePool;

    public int InlineMinted => Volatile.Read(ref _inline);
    public int PoolSize => _pool.Length;

    public string JwksJson()
    {
        var p = _key.ExportParameters(false);
        var jwk = new JsonObject
        {
            ["kty"] = "EC", ["crv"] = "P-256", ["alg"] = "ES256", ["use"] = "sig", ["kid"] = Kid,
            ["x"] = Base64Url.EncodeToString(p.Q.X), ["y"] = Base64Url.EncodeToString(p.Q.Y),
        };
        return new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString();
    }

    public string Mint()
    {
        var iat = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = $$"""{"iss":"https://bench.control-plane.test","aud":"{{RunnerUrn}}","iat":{{iat}},"exp":{{iat + 120}},"jti":"{{Guid.NewGuid():N}}","action":"{{Action}}"}""";
        var signingInput = _header + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        // .NET signs ECDSA in IEEE P1363 (r || s), the form JWS uses.
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>Replaces the pool with <paramref name="count"/> fresh tokens, signed on all cores.</summary>
    public TimeSpan PreMint(int count)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var pool = new string[count];
        Parallel.For(0, count, i => pool[i] = Mint());
        _pool = pool;
        _next = 0;
        _inline = 0;
        _usePool = false;
        return System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Called when the measured window opens: from now on tokens come from the pre-minted pool.</summary>
    public void UsePool() => _usePool = true;

    public string Take()
    {
        if (!_usePool) return Mint();
        var i = Interlocked.Increment(ref _next) - 1;
        if (i < _pool.Length) return _pool[i];
        Interlocked.Increment(ref _inline);
        return Mint();
    }
}
