namespace Par.Gateway.Tokens;

/// <summary>Remembers token ids (jti) until they expire, so each token is accepted once.</summary>
public interface IReplayCache
{
    /// <summary>True the first time a jti is seen; false for every later attempt.</summary>
    bool TryConsume(string jti, DateTimeOffset expiresAt);
}
