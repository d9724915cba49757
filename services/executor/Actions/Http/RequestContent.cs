using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Par.Executor.Actions.Http;

/// <summary>
/// The request body: a string is sent as it is (text/plain unless a Content-Type header says otherwise), any other
/// JSON value as JSON, <c>formData</c> as multipart/form-data. Contents are byte arrays so a 307/308 can resend them.
/// </summary>
internal static class RequestContent
{
    public static HttpContent? Create(HttpRequestInputs inputs)
    {
        if (inputs.FormData.Count > 0)
            return Multipart(inputs.FormData);
        return inputs.Body switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } text => Bytes(Encoding.UTF8.GetBytes(text.GetString()!), "text/plain", "utf-8"),
            { } json => Bytes(Encoding.UTF8.GetBytes(json.GetRawText()), "application/json", null),
        };
    }

    private static MultipartFormDataContent Multipart(IReadOnlyList<FormField> fields)
    {
        var content = new MultipartFormDataContent();
        foreach (var field in fields)
        {
            if (field.File is { } file)
            {
                var part = new ByteArrayContent(file.Bytes);
                part.Headers.ContentType = MediaTypeHeaderValue.TryParse(file.MediaType, out var type)
                    ? type
                    : new MediaTypeHeaderValue("application/octet-stream");
                content.Add(part, field.Key, file.Name ?? field.Key);
            }
            else
            {
                content.Add(new StringContent(field.Text ?? ""), field.Key);
            }
        }
        return content;
    }

    private static ByteArrayContent Bytes(byte[] bytes, string mediaType, string? charset)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = charset };
        return content;
    }
}
