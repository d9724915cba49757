namespace Par.Executor.Actions.Http;

/// <summary>A <c>data:</c> URI (RFC 2397) of a <c>formData</c> file part.</summary>
internal sealed record DataUri(string MediaType, string? Name, byte[] Bytes)
{
    public static DataUri? TryParse(string text)
    {
        if (!text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            return null;
        var comma = text.IndexOf(',');
        if (comma < 0)
            return null;
        var parameters = text[5..comma].Split(';', StringSplitOptions.TrimEntries);
        var mediaType = parameters[0].Length > 0 ? parameters[0] : "text/plain";
        var isBase64 = parameters.Skip(1).Any(p => p.Equals("base64", StringComparison.OrdinalIgnoreCase));
        // Not in RFC 2397, but browsers' FileReader and many form builders put the file name here.
        var name = parameters.Skip(1)
            .Select(p => p.Partition('='))
            .Where(p => p.Found && p.Before.Equals("name", StringComparison.OrdinalIgnoreCase))
            .Select(p => Uri.UnescapeDataString(p.After))
            .FirstOrDefault();
        var data = text[(comma + 1)..];
        try
        {
            var bytes = isBase64
                ? Convert.FromBase64String(Uri.UnescapeDataString(data))
                : System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(data));
            return new DataUri(mediaType, name, bytes);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
