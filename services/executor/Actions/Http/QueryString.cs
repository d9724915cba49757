namespace Par.Executor.Actions.Http;

/// <summary>Adds URL parameters to a URL; a connection's parameters replace same-named ones, even those already in the URL.</summary>
internal static class QueryString
{
    public static Uri With(Uri url, IEnumerable<KeyValuePair<string, string>> actionParams, IReadOnlyList<KeyValuePair<string, string>> connectionParams)
    {
        var overridden = connectionParams.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var actionList = actionParams.ToList();
        if (actionList.Count == 0 && connectionParams.Count == 0)
            return url;

        var parts = url.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(raw => !overridden.Contains(DecodedKey(raw)))
            .Concat(actionList.Where(p => !overridden.Contains(p.Key)).Select(Encode))
            .Concat(connectionParams.Select(Encode));
        var query = string.Join('&', parts);
        return new Uri(url.GetLeftPart(UriPartial.Path) + (query.Length > 0 ? "?" + query : ""));
    }

    private static string DecodedKey(string raw) => Uri.UnescapeDataString(raw.Partition('=').Before.Replace('+', ' '));

    private static string Encode(KeyValuePair<string, string> pair) =>
        $"{Uri.EscapeDataString(pair.Key)}={Uri.EscapeDataString(pair.Value)}";
}
