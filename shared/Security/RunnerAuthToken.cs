using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Par.Shared.Security;

/// <summary>Claim names of the runner's own JWT, as the original runner sends them.</summary>
public static class RunnerTokenClaims
{
    public const string OrgId = "orgId";
    public const string RunnerId = "runnerId";
}

/// <summary>
/// The ES256 JWT a runner signs with its own key and sends as <c>Authorization: Bearer …</c> on every control-plane call.
/// One token lives 60 s and is reused until less than 45 s remain (so a fresh one about every 15 s, as the original runner):
/// signing per call would cost an ECDSA signature on each dequeue and heartbeat for nothing.
/// </summary>
public sealed class RunnerAuthToken
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan RefreshWhenLessThan = TimeSpan.FromSeconds(45);

    private readonly RunnerKey _key;
    private readonly TimeProvider _time;
    private readonly object _refreshLock = new();
    private volatile Minted? _current;

    public RunnerAuthToken(RunnerKey key, long orgId, string runnerId, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(runnerId);
        _key = key;
        OrgId = orgId;
        RunnerId = runnerId;
        _time = time ?? TimeProvider.System;
    }

    public long OrgId { get; }
    public string RunnerId { get; }

    /// <summary>A valid token; lock-free while the current one is fresh enough, which is nearly every call.</summary>
    public string Current
    {
        get
        {
            var now = _time.GetUtcNow();
            var minted = _current;
            if (minted is not null && minted.ExpiresAt - now >= RefreshWhenLessThan) return minted.Token;
            lock (_refreshLock)
            {
                minted = _current;
                if (minted is null || minted.ExpiresAt - now < RefreshWhenLessThan)
                    _current = minted = Mint(now);
                return minted.Token;
            }
        }
    }

    public string AuthorizationHeaderValue => "Bearer " + Current;

    private Minted Mint(DateTimeOffset now)
    {
        // Whole seconds, so the expiry we reason about is exactly the one the control plane reads.
        var iat = now.ToUnixTimeSeconds();
        var exp = iat + (long)Lifetime.TotalSeconds;
        var payload = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            [RunnerTokenClaims.OrgId] = OrgId,
            [RunnerTokenClaims.RunnerId] = RunnerId,
            [JwtRegisteredClaimNames.Iat] = iat,
            [JwtRegisteredClaimNames.Exp] = exp,
        });
        return new Minted(Es256Jws.Sign(payload, _key), DateTimeOffset.FromUnixTimeSeconds(exp));
    }

    private sealed record Minted(string Token, DateTimeOffset ExpiresAt);
}
