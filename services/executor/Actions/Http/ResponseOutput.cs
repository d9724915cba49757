using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Par.Shared.Contracts;

namespace Par.Executor.Actions.Http;

/// <summary>
/// Turns a response into the action's output <c>{status, body, headers}</c>, or into an HTTP_STATUS failure when
/// <c>errorOnStatus</c> says so. Header names are lower-cased; repeated values are joined with ", " as RFC 9110
/// allows, except set-cookie, which cannot be joined and is always a list.
/// </summary>
internal static class ResponseOutput
{
    /// <summary>Error bodies are cut to this many characters, as in the original runner.</summary>
    public const int ErrorBodyChars = 750;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpRequestInputs inputs, long maxBytes,
        SecretRedactor redactor, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var encoding = inputs.ResponseEncoding ?? Charsets.Find(response.Content.Headers.ContentType?.CharSet) ?? Encoding.UTF8;
        if (inputs.ErrorOnStatus.Contains(status))
            throw await StatusFailureAsync(response, encoding, redactor, cancellationToken);

        var body = await BodyReader.ReadAsync(response.Content, maxBytes, failWhenLarger: true, cancellationToken);
        return Write(writer =>
        {
            writer.WriteNumber("status", status);
            writer.WritePropertyName("body");
            ResponseBody.Write(writer, body, encoding, inputs.Parsing, response.Content.Headers.ContentType);
            WriteHeaders(writer, response, SecretRedactor.None);
        });
    }

    private static async Task<ActionFailedException> StatusFailureAsync(HttpResponseMessage response, Encoding encoding,
        SecretRedactor redactor, CancellationToken cancellationToken)
    {
        // No character takes more than 4 bytes in any charset met in practice, so this reads enough and no more.
        var bytes = await BodyReader.ReadAsync(response.Content, ErrorBodyChars * 4, failWhenLarger: false, cancellationToken);
        var text = ResponseBody.Decode(bytes, encoding);
        if (text.Length > ErrorBodyChars)
            text = text[..(char.IsHighSurrogate(text[ErrorBodyChars - 1]) ? ErrorBodyChars - 1 : ErrorBodyChars)];
        var status = (int)response.StatusCode;
        var details = Write(writer =>
        {
            writer.WriteNumber("status", status);
            writer.WriteString("body", redactor.Apply(text));
            WriteHeaders(writer, response, redactor);
        });
        var host = response.RequestMessage?.RequestUri?.IdnHost ?? "the server";
        return new ActionFailedException(ErrorCodes.HttpStatus, $"HTTP request to {host} failed with status {status}", details);
    }

    private static void WriteHeaders(Utf8JsonWriter writer, HttpResponseMessage response, SecretRedactor redactor)
    {
        writer.WriteStartObject("headers");
        foreach (var (name, values) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
        {
            var key = name.ToLowerInvariant();
            if (key == "set-cookie")
            {
                writer.WriteStartArray(key);
                foreach (var value in values)
                    writer.WriteStringValue(redactor.Apply(value));
                writer.WriteEndArray();
            }
            else
            {
                writer.WriteString(key, redactor.Apply(values.Count == 1 ? values.ToString() : string.Join(", ", values)));
            }
        }
        writer.WriteEndObject();
    }

    private static JsonElement Write(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }
        // Parsed over the written bytes without copying them; the document lives as long as the element.
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement;
    }
}
