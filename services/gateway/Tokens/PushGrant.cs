using Par.Shared.Contracts;

namespace Par.Gateway.Tokens;

/// <summary>What a verified push token allows: one run of one action, optionally with one connection.</summary>
public sealed record PushGrant(string Action, ConnectionRef? Connection, string Jti, DateTimeOffset ExpiresAt);

/// <summary>Why a token was refused; <see cref="Reason"/> is safe to show the caller.</summary>
public sealed record TokenRejection(string Reason);
