namespace Par.Executor.Actions.Http;

/// <summary>
/// Headers an action may not set: the ones that would let a caller lie about the request's framing or origin to the
/// target or to proxies in between (request smuggling, spoofed client addresses).
/// </summary>
internal static class RequestHeaderRules
{
    public static HeaderField Validate(string name, string[] values, string input)
    {
        if (!IsToken(name))
            throw HttpRequestInputs.Invalid($"{input} header '{Printable(name)}' is not a valid header name");
        if (IsRejected(name))
            throw HttpRequestInputs.Invalid($"{input} header '{name}' is not allowed (content-length, host, forwarded and x-forwarded-* are set by the runner)");
        if (values.Any(v => v.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0))
            throw HttpRequestInputs.Invalid($"{input} header '{name}' has a value with a line break or NUL");
        return new HeaderField(name, values);
    }

    public static bool IsRejected(string name) =>
        name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || name.Equals("host", StringComparison.OrdinalIgnoreCase)
        || name.Equals("forwarded", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("x-forwarded-", StringComparison.OrdinalIgnoreCase);

    // RFC 9110 token characters.
    private static bool IsToken(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c));

    private static string Printable(string name) => new(name.Take(60).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
