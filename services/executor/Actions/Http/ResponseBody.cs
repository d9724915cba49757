using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Par.Shared.Contracts;

namespace Par.Executor.Actions.Http;

/// <summary>
/// The <c>body</c> of the output, per <c>responseParsing</c>: auto (JSON when the content type says JSON and the
/// bytes parse, else text), json (must parse; empty = null), text, or base64.
/// </summary>
internal static class ResponseBody
{
    // JSON bodies deeper than this are returned as text so the whole output stays within System.Text.Json's default
    // depth of 64 wherever it is read again.
    private const int MaxBodyDepth = 62;

    public static void Write(Utf8JsonWriter writer, ArraySegment<byte> body, Encoding encoding, ResponseParsing parsing,
        MediaTypeHeaderValue? contentType)
    {
        switch (parsing)
        {
            case ResponseParsing.Base64:
                writer.WriteBase64StringValue(body);
                return;
            case ResponseParsing.Text:
                writer.WriteStringValue(Decode(body, encoding));
                return;
            case ResponseParsing.Json:
                if (!TryWriteJson(writer, body, encoding))
                    throw new ActionFailedException(ErrorCodes.HttpError,
                        "response body is not valid JSON (or nests deeper than 62 levels) and responseParsing is json");
                return;
            default:
                // An empty body stays "" even when labelled JSON (HEAD, 204): there is no value to parse.
                if (body.Count == 0 || !IsJson(contentType) || !TryWriteJson(writer, body, encoding))
                    writer.WriteStringValue(Decode(body, encoding));
                return;
        }
    }

    private static bool TryWriteJson(Utf8JsonWriter writer, ArraySegment<byte> body, Encoding encoding)
    {
        ReadOnlySpan<byte> utf8 = encoding.CodePage == Encoding.UTF8.CodePage
            ? body
            : Encoding.Convert(encoding, Encoding.UTF8, body.Array!, body.Offset, body.Count);
        if (utf8.StartsWith(Encoding.UTF8.Preamble))
            utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        if (utf8.Trim(" \t\r\n"u8).IsEmpty)
        {
            writer.WriteNullValue();
            return true;
        }
        if (!IsSingleJsonValue(utf8))
            return false;
        writer.WriteRawValue(utf8, skipInputValidation: true);
        return true;
    }

    private static bool IsSingleJsonValue(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxBodyDepth });
            if (!reader.Read())
                return false;
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsJson(MediaTypeHeaderValue? contentType) => contentType?.MediaType is { } type
        && (type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    public static string Decode(ArraySegment<byte> bytes, Encoding encoding)
    {
        ReadOnlySpan<byte> span = bytes;
        var preamble = encoding.Preamble;
        if (!preamble.IsEmpty && span.StartsWith(preamble))
            span = span[preamble.Length..];
        return encoding.GetString(span);
    }
}
