using System.Text;
using System.Text.RegularExpressions;
using Par.Executor.Credentials;
using Par.Shared.Contracts;

namespace Par.Executor.Actions.Http;

/// <summary>
/// What a connection adds to a request: its headers and URL parameters (which win over the action's same-named ones),
/// Basic auth, and the base URL the request must stay on. Only connection values may name tokens as
/// <c>{{ tokenName }}</c>: were the action's own inputs templated, a workflow author could send a token anywhere.
/// </summary>
internal sealed partial record ConnectionSettings(
    IReadOnlyList<HeaderField> Headers,
    IReadOnlyList<KeyValuePair<string, string>> UrlParams,
    Uri? BaseUrl)
{
    public static ConnectionSettings? Resolve(ConnectionRef? connection, Credential? credential)
    {
        if (connection is null)
            return null;
        string Fill(string text) => Placeholder().Replace(text, match => TokenValue(connection, credential, match.Groups[1].Value));

        var headers = (connection.Headers ?? [])
            .Select(h => RequestHeaderRules.Validate(h.Key, h.Value.Select(Fill).ToArray(), $"connection '{connection.Id}'"))
            .ToList();
        if (credential is BasicCredential basic)
        {
            var pair = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{basic.Username}:{basic.Password}"));
            headers.RemoveAll(h => h.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
            headers.Add(new HeaderField("Authorization", [$"Basic {pair}"]));
        }
        var urlParams = (connection.UrlParams ?? new Dictionary<string, string>())
            .Select(p => new KeyValuePair<string, string>(p.Key, Fill(p.Value)))
            .ToList();
        return new ConnectionSettings(headers, urlParams, ParseBaseUrl(connection, connection.BaseUrl is { } b ? Fill(b) : null));
    }

    /// <summary>Refuses a URL that is not on the connection's base URL (same scheme, host and port).</summary>
    public void CheckOnBaseUrl(Uri url, string connectionId)
    {
        if (BaseUrl is not null && !OutgoingRequest.SameOrigin(BaseUrl, url))
            throw new ActionFailedException(ErrorCodes.ForbiddenDestination,
                $"url '{url.Scheme}://{url.Authority}' is not on the base URL of connection '{connectionId}' " +
                $"('{BaseUrl.Scheme}://{BaseUrl.Authority}'); requests using this connection may only go there");
    }

    private static Uri? ParseBaseUrl(ConnectionRef connection, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
            return url;
        throw new ActionFailedException(ErrorCodes.InvalidInputs, $"connection '{connection.Id}' has a base URL that is not an http(s) URL");
    }

    private static string TokenValue(ConnectionRef connection, Credential? credential, string name)
    {
        if (credential is not TokenCredential tokens)
            throw new ActionFailedException(ErrorCodes.CredentialsError,
                $"connection '{connection.Id}' uses token '{name}' but its credentials are not a Token Auth file");
        return tokens.Tokens.TryGetValue(name, out var value)
            ? value
            : throw new ActionFailedException(ErrorCodes.CredentialsError,
                $"connection '{connection.Id}' uses token '{name}', which its credentials file '{connection.CredentialsFile}' does not define " +
                $"(it defines: {string.Join(", ", tokens.Tokens.Keys)})");
    }

    [GeneratedRegex(@"\{\{\s*([^{}\s]+)\s*\}\}")]
    private static partial Regex Placeholder();
}
