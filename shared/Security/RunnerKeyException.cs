namespace Par.Shared.Security;

/// <summary>
/// A key that cannot be used. Messages say what is wrong with the key's shape and never include key material, because
/// they end up in logs and start-up errors.
/// </summary>
public sealed class RunnerKeyException(string message, Exception? inner = null) : Exception(message, inner);
