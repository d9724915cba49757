using Par.Shared.Security;
using Par.Tests.Support;

namespace Par.Tests.Security;

public class When_a_runner_token_is_asked_for_repeatedly
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RunnerKey _key = RunnerKey.Generate();

    [Fact]
    public void The_same_token_is_reused_while_more_than_45_seconds_remain()
    {
        var tokens = new RunnerAuthToken(_key, 42, "runner-1", _clock);
        var first = tokens.Current;
        _clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Same(first, tokens.Current);
    }

    [Fact]
    public void A_new_token_is_minted_once_less_than_45_seconds_remain()
    {
        var tokens = new RunnerAuthToken(_key, 42, "runner-1", _clock);
        var first = tokens.Current;
        _clock.Advance(TimeSpan.FromSeconds(16));
        var second = tokens.Current;
        Assert.NotEqual(first, second);
        Assert.Equal(_clock.GetUtcNow().ToUnixTimeSeconds() + 60, Es256Jws.ReadUnverifiedPayload(second).GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task It_carries_the_runner_claims_and_verifies_with_the_runner_key()
    {
        var token = new RunnerAuthToken(_key, 42, "runner-1", _clock).Current;
        var verified = await Es256Jws.VerifyAsync(token, new Jwks([_key.PublicJwk]));
        var claims = verified.Payload;
        Assert.Equal(_key.KeyId, verified.Kid);
        Assert.Equal(42, claims.GetProperty(RunnerTokenClaims.OrgId).GetInt64());
        Assert.Equal("runner-1", claims.GetProperty(RunnerTokenClaims.RunnerId).GetString());
        var iat = claims.GetProperty("iat").GetInt64();
        Assert.Equal(_clock.GetUtcNow().ToUnixTimeSeconds(), iat);
        Assert.Equal(iat + 60, claims.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task Concurrent_callers_share_one_token()
    {
        var tokens = new RunnerAuthToken(_key, 42, "runner-1", _clock);
        var seen = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => tokens.Current)));
        Assert.Single(seen.Distinct());
    }
}
