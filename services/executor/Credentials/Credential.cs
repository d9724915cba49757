namespace Par.Executor.Credentials;

/// <summary>A credentials file as read from disk, in one of the two formats of the original runner.</summary>
public abstract record Credential;

/// <summary><c>{"auth_type":"Token Auth","credentials":[{"tokenName":"…","tokenValue":"…"}]}</c></summary>
public sealed record TokenCredential(IReadOnlyDictionary<string, string> Tokens) : Credential
{
    // Never print secrets: records generate ToString from their members.
    public override string ToString() => $"TokenCredential {{ Tokens = [{string.Join(", ", Tokens.Keys)}] }}";
}

/// <summary><c>{"auth_type":"Basic Auth","credentials":[{"username":"…","password":"…"}]}</c></summary>
public sealed record BasicCredential(string Username, string Password) : Credential
{
    public override string ToString() => $"BasicCredential {{ Username = {Username} }}";
}
