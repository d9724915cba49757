using System.Net;
using System.Security.Cryptography;
using System.Text;
using Par.Tests.Infrastructure;

namespace Par.Tests.Push;

/// <summary>Every way a push token can be wrong: each is refused 401 with a reason, and no action runs.</summary>
public sealed class When_a_token_is_attacked : IAsyncLifetime
{
    private PushStack _stack = null!;
    public async Task InitializeAsync() => _stack = await PushStack.StartAsync();
    public async Task DisposeAsync() => await _stack.DisposeAsync();

    private static object Claims(string action = EchoAction.Name, string aud = ControlPlaneKey.RunnerUrn, long? iat = null, long? exp = null) => new
    {
        iss = "https://control-plane.test", aud, action, jti = Guid.NewGuid().ToString("N"),
        iat = iat ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        exp = exp ?? DateTimeOffset.UtcNow.AddMinutes(2).ToUnixTimeSeconds(),
    };

    public static TheoryData<string> Attacks() =>
    [
        "alg none", "alg HS256 keyed with the public key", "alg RS256 header", "unknown kid", "no kid",
        "signature by another key", "tampered payload", "expired", "not yet valid", "issued in the future",
        "lifetime over five minutes", "wrong audience", "no jti", "no action claim", "no exp", "garbage", "connection not an object",
    ];

    private string Forge(string attack)
    {
        var key = _stack.Key;
        var now = DateTimeOffset.UtcNow;
        switch (attack)
        {
            case "alg none":
                return ControlPlaneKey.Handmade(new { alg = "none", typ = "JWT", kid = key.Kid }, Claims());
            case "alg HS256 keyed with the public key":
                var secret = Encoding.UTF8.GetBytes(key.JwksJson());
                return ControlPlaneKey.Handmade(new { alg = "HS256", typ = "JWT", kid = key.Kid }, Claims(), data => HMACSHA256.HashData(secret, data));
            case "alg RS256 header":
                return ControlPlaneKey.Handmade(new { alg = "RS256", typ = "JWT", kid = key.Kid }, Claims(), key.SignRaw);
            case "unknown kid":
                return ControlPlaneKey.Handmade(new { alg = "ES256", typ = "JWT", kid = "someone-else" }, Claims(), key.SignRaw);
            case "no kid":
                return ControlPlaneKey.Handmade(new { alg = "ES256", typ = "JWT" }, Claims(), key.SignRaw);
            case "signature by another key":
                return new ControlPlaneKey(key.Kid).Token(EchoAction.Name);
            case "tampered payload":
                var parts = key.Token(FailingAction.Name).Split('.');
                var other = key.Token(EchoAction.Name).Split('.');
                return $"{parts[0]}.{other[1]}.{parts[2]}";
            case "expired":
                return key.Token(EchoAction.Name, issuedAt: now.AddMinutes(-3), lifetime: TimeSpan.FromMinutes(2));
            case "not yet valid":
                return key.Token(EchoAction.Name, extraClaims: new Dictionary<string, object> { ["nbf"] = now.AddMinutes(2).ToUnixTimeSeconds() });
            case "issued in the future":
                return key.Token(EchoAction.Name, issuedAt: now.AddMinutes(2), lifetime: TimeSpan.FromMinutes(1));
            case "lifetime over five minutes":
                return key.Token(EchoAction.Name, lifetime: TimeSpan.FromMinutes(10));
            case "wrong audience":
                return key.Token(EchoAction.Name, audience: "urn:dd:apps:on-prem-runner:us1:1234:another-runner");
            case "no jti":
                return key.Token(EchoAction.Name, omitJti: true);
            case "no action claim":
                return ControlPlaneKey.Handmade(new { alg = "ES256", typ = "JWT", kid = key.Kid },
                    new { aud = ControlPlaneKey.RunnerUrn, jti = "x1", iat = now.ToUnixTimeSeconds(), exp = now.AddMinutes(1).ToUnixTimeSeconds() }, key.SignRaw);
            case "no exp":
                return ControlPlaneKey.Handmade(new { alg = "ES256", typ = "JWT", kid = key.Kid },
                    new { aud = ControlPlaneKey.RunnerUrn, jti = "x2", action = EchoAction.Name, iat = now.ToUnixTimeSeconds() }, key.SignRaw);
            case "garbage":
                return "not-a-token";
            case "connection not an object":
                return key.Token(EchoAction.Name, extraClaims: new Dictionary<string, object> { ["connection"] = "creds/../../etc/passwd" });
            default:
                throw new ArgumentOutOfRangeException(nameof(attack), attack, null);
        }
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task It_is_refused_401_and_nothing_runs(string attack)
    {
        var response = await _stack.RunAsync(Forge(attack), EchoAction.Name, new { attack });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("detail", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, _stack.Counter.Runs);
    }

    [Fact]
    public async Task A_missing_authorization_header_is_refused_401()
    {
        var response = await _stack.Client.PostAsync("/api/v1/actions/run", new StringContent("{\"action\":\"test.echo\"}"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, _stack.Counter.Runs);
    }

    [Fact]
    public async Task A_replayed_token_is_refused_the_second_time()
    {
        var token = _stack.Key.Token(EchoAction.Name);

        var first = await _stack.RunAsync(token, EchoAction.Name);
        var second = await _stack.RunAsync(token, EchoAction.Name);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Contains("already used", await second.Content.ReadAsStringAsync());
        Assert.Equal(1, _stack.Counter.Runs);
    }

    [Fact]
    public async Task A_token_expired_within_the_clock_skew_is_still_accepted()
    {
        var token = _stack.Key.Token(EchoAction.Name, issuedAt: DateTimeOffset.UtcNow.AddSeconds(-70), lifetime: TimeSpan.FromSeconds(60));

        var response = await _stack.RunAsync(token, EchoAction.Name);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_reason_names_what_was_wrong()
    {
        var expired = await _stack.RunAsync(Forge("expired"), EchoAction.Name);
        var audience = await _stack.RunAsync(Forge("wrong audience"), EchoAction.Name);
        var none = await _stack.RunAsync(Forge("alg none"), EchoAction.Name);

        Assert.Contains("expired", await expired.Content.ReadAsStringAsync());
        Assert.Contains("another runner", await audience.Content.ReadAsStringAsync());
        Assert.Contains("only ES256", await none.Content.ReadAsStringAsync());
    }
}
