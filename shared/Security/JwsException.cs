namespace Par.Shared.Security;

/// <summary>A compact JWS that did not verify. The message names the reason (bad signature, unknown kid, …), never the token.</summary>
public sealed class JwsException(string message, Exception? inner = null) : Exception(message, inner);
