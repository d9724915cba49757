using System.Text;
using System.Text.Json;
using Par.Shared.Contracts;
using static Par.Executor.Actions.Http.JsonInput;

namespace Par.Executor.Actions.Http;

internal enum ResponseParsing
{
    /// <summary>JSON when the response says it is (application/json, *+json), otherwise text.</summary>
    Auto,
    Json,
    Text,
    /// <summary>The bytes as base64, for binary bodies. "raw" is accepted as a synonym.</summary>
    Base64,
}

internal sealed record FormField(string Key, string? Text, DataUri? File);

internal sealed record HeaderField(string Name, string[] Values);

/// <summary>The validated inputs of <c>com.datadoghq.http.request</c>; every problem is an INVALID_INPUTS naming the input.</summary>
internal sealed record HttpRequestInputs
{
    private static readonly string[] Verbs = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    public required HttpMethod Verb { get; init; }
    public required Uri Url { get; init; }
    public JsonElement? Body { get; init; }
    public IReadOnlyList<HeaderField> Headers { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> UrlParams { get; init; } = [];
    public IReadOnlyList<FormField> FormData { get; init; } = [];
    public bool FollowRedirect { get; init; } = true;
    public bool AllowExpiredCertificate { get; init; }
    public StatusRanges ErrorOnStatus { get; init; } = StatusRanges.Default;
    public ResponseParsing Parsing { get; init; }
    /// <summary>Null = the response's charset, else UTF-8.</summary>
    public Encoding? ResponseEncoding { get; init; }

    public static bool IsSafeVerb(JsonElement inputs) =>
        inputs.ValueKind == JsonValueKind.Object
        && inputs.TryGetProperty("verb", out var verb)
        && verb.ValueKind == JsonValueKind.String
        && verb.GetString()!.Trim().ToUpperInvariant() is "GET" or "HEAD" or "OPTIONS";

    public static HttpRequestInputs Parse(JsonElement inputs)
    {
        if (inputs.ValueKind != JsonValueKind.Object)
            throw Invalid("inputs must be a JSON object");
        var body = Optional(inputs, "body");
        var formData = Optional(inputs, "formData") is { } form ? ParseFormData(form) : [];
        if (body is not null && formData.Count > 0)
            throw Invalid("inputs 'body' and 'formData' cannot both be given");
        return new HttpRequestInputs
        {
            Verb = ParseVerb(inputs),
            Url = ParseUrl(inputs),
            Body = body,
            Headers = Optional(inputs, "requestHeaders") is { } headers ? ParseHeaders(headers, "requestHeaders") : [],
            UrlParams = Optional(inputs, "urlParams") is { } urlParams ? ParseUrlParams(urlParams) : [],
            FormData = formData,
            FollowRedirect = Boolean(inputs, "followRedirect", true),
            AllowExpiredCertificate = Boolean(inputs, "allowExpiredCertificate", false),
            ErrorOnStatus = Optional(inputs, "errorOnStatus") is { } status
                ? StatusRanges.TryParse(status) ?? throw Invalid("input 'errorOnStatus' must list statuses 100-599 like \"400-499\" or \"500,502-504\"")
                : StatusRanges.Default,
            Parsing = ParseResponseParsing(inputs),
            ResponseEncoding = Optional(inputs, "responseEncoding") is { } encoding ? ParseEncoding(encoding) : null,
        };
    }

    private static HttpMethod ParseVerb(JsonElement inputs)
    {
        var verb = Optional(inputs, "verb") is { ValueKind: JsonValueKind.String } v ? v.GetString()!.Trim().ToUpperInvariant() : null;
        if (verb is null || !Verbs.Contains(verb))
            throw Invalid($"input 'verb' is required and must be one of {string.Join(", ", Verbs)}");
        return HttpMethod.Parse(verb);
    }

    private static Uri ParseUrl(JsonElement inputs)
    {
        if (Optional(inputs, "url") is not { ValueKind: JsonValueKind.String } value
            || !Uri.TryCreate(value.GetString()!.Trim(), UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            || url.IdnHost.Length == 0)
            throw Invalid("input 'url' is required and must be an absolute http:// or https:// URL");
        // Credentials in a URL end up in logs and error messages; they belong in a connection or a header.
        if (url.UserInfo.Length > 0)
            throw Invalid("input 'url' must not contain a user name or password; use a connection or an Authorization header");
        return url;
    }

    public static IReadOnlyList<HeaderField> ParseHeaders(JsonElement value, string input)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw Invalid($"input '{input}' must be a list of {{key, value}}");
        var headers = new List<HeaderField>();
        foreach (var item in value.EnumerateArray())
        {
            var name = Key(item, input);
            var values = Values(item.TryGetProperty("value", out var v) ? v : default, $"{input} '{name}'");
            headers.Add(RequestHeaderRules.Validate(name, values, input));
        }
        return headers;
    }

    private static IReadOnlyList<KeyValuePair<string, string>> ParseUrlParams(JsonElement value)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        void Add(string key, JsonElement values)
        {
            foreach (var v in Values(values, $"urlParams '{key}'"))
                pairs.Add(new(key, v));
        }
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
                Add(property.Name, property.Value);
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
                Add(Key(item, "urlParams"), item.TryGetProperty("value", out var v) ? v : default);
        }
        else
        {
            throw Invalid("input 'urlParams' must be a list of {key, value} or an object");
        }
        return pairs;
    }

    private static IReadOnlyList<FormField> ParseFormData(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw Invalid("input 'formData' must be a list of {key, value, type}");
        var fields = new List<FormField>();
        foreach (var item in value.EnumerateArray())
        {
            var key = Key(item, "formData");
            var text = item.TryGetProperty("value", out var v) ? Scalar(v) : null;
            if (text is null)
                throw Invalid($"formData '{key}' needs a string 'value'");
            var type = item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "string";
            fields.Add(type.ToLowerInvariant() switch
            {
                "string" => new FormField(key, text, null),
                "datauri" => new FormField(key, null, DataUri.TryParse(text)
                    ?? throw Invalid($"formData '{key}' is not a valid data URI (data:<mime>;base64,<data>)")),
                _ => throw Invalid($"formData '{key}' has type '{type}'; expected 'string' or 'datauri'"),
            });
        }
        return fields;
    }

    private static ResponseParsing ParseResponseParsing(JsonElement inputs)
    {
        if (Optional(inputs, "responseParsing") is not { } value)
            return ResponseParsing.Auto;
        return (value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim().ToLowerInvariant() : null) switch
        {
            "" or "auto" => ResponseParsing.Auto,
            "json" => ResponseParsing.Json,
            "text" => ResponseParsing.Text,
            "raw" or "base64" => ResponseParsing.Base64,
            _ => throw Invalid("input 'responseParsing' must be auto, json, text or base64 (raw)"),
        };
    }

    private static Encoding? ParseEncoding(JsonElement value)
    {
        var name = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        if (string.IsNullOrEmpty(name))
            return null;
        return Charsets.Find(name) ?? throw Invalid($"input 'responseEncoding' names an unknown charset '{name}'");
    }

    public static ActionFailedException Invalid(string message) => new(ErrorCodes.InvalidInputs, message);
}
