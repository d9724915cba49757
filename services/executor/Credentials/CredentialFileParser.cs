using System.Text.Json;
using Par.Executor.Actions;
using Par.Shared.Contracts;

namespace Par.Executor.Credentials;

/// <summary>Parses the two credentials file formats of the original runner. Messages never quote a value.</summary>
internal static class CredentialFileParser
{
    private const string TokenAuth = "Token Auth";
    private const string BasicAuth = "Basic Auth";

    public static Credential Parse(ReadOnlyMemory<byte> json, string name)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            // The parser's own message quotes the offending character, which may belong to a secret.
            throw Fail(name, $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Fail(name, "must hold a JSON object");
            if (!root.TryGetProperty("auth_type", out var authType) || authType.ValueKind != JsonValueKind.String)
                throw Fail(name, $"has no \"auth_type\" (expected \"{TokenAuth}\" or \"{BasicAuth}\")");
            if (!root.TryGetProperty("credentials", out var entries) || entries.ValueKind != JsonValueKind.Array)
                throw Fail(name, "has no \"credentials\" array");

            var type = authType.GetString();
            if (string.Equals(type, TokenAuth, StringComparison.OrdinalIgnoreCase))
                return ParseTokens(entries, name);
            if (string.Equals(type, BasicAuth, StringComparison.OrdinalIgnoreCase))
                return ParseBasic(entries, name);
            throw Fail(name, $"has an unknown auth_type \"{Shorten(type)}\" (expected \"{TokenAuth}\" or \"{BasicAuth}\")");
        }
    }

    private static TokenCredential ParseTokens(JsonElement entries, string name)
    {
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            var tokenName = RequiredString(entry, "tokenName", index, name);
            if (tokenName.Length == 0)
                throw Fail(name, $"credentials[{index}].tokenName is empty");
            if (!tokens.TryAdd(tokenName, RequiredString(entry, "tokenValue", index, name)))
                throw Fail(name, $"names token \"{tokenName}\" twice");
            index++;
        }
        if (tokens.Count == 0)
            throw Fail(name, "has no tokens in \"credentials\"");
        return new TokenCredential(tokens);
    }

    private static BasicCredential ParseBasic(JsonElement entries, string name)
    {
        // Several entries would leave the runner guessing which account a connection meant.
        if (entries.GetArrayLength() != 1)
            throw Fail(name, "must hold exactly one username/password entry in \"credentials\"");
        var entry = entries[0];
        return new BasicCredential(RequiredString(entry, "username", 0, name), RequiredString(entry, "password", 0, name));
    }

    private static string RequiredString(JsonElement entry, string property, int index, string name)
    {
        if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty(property, out var value))
            throw Fail(name, $"credentials[{index}] has no \"{property}\"");
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            // Ports and similar are often written as numbers; their text is the value meant.
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => throw Fail(name, $"credentials[{index}].{property} must be a string"),
        };
    }

    private static string Shorten(string? text) => text is { Length: > 40 } ? text[..40] + "…" : text ?? "";

    public static ActionFailedException Fail(string name, string problem) =>
        new(ErrorCodes.CredentialsError, $"credentials file '{name}' {problem}");
}
