using System.Text.Json;
using Par.Shared.ControlPlane;

namespace Par.Emulator;

/// <summary>
/// Reads protocol bodies whatever their Content-Type (runners in the wild send text/plain or none), and turns a body that
/// does not parse into null rather than an exception the caller must remember to catch.
/// </summary>
internal static class JsonBody
{
    public static async Task<(bool Ok, T? Value)> ReadAsync<T>(HttpRequest request) where T : class
    {
        try
        {
            if (request.ContentLength == 0) return (true, null);
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            if (buffer.Length == 0) return (true, null);
            buffer.Position = 0;
            return (true, await JsonSerializer.DeserializeAsync<T>(buffer, PullJson.Options, request.HttpContext.RequestAborted));
        }
        catch (JsonException)
        {
            return (false, null);
        }
    }
}
