using System.Text.Json;
using Par.Shared.Contracts;

namespace Par.Gateway;

/// <summary>
/// Writes an executor's result as the push answer: 200 <c>{"status":"succeeded","outputs":…}</c> or
/// 200 <c>{"status":"failed","error":{code,message,details}}</c>, streaming the outputs as they came.
/// </summary>
public sealed class ActionResultJson(ActionResult result) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(http.Response.BodyWriter);
        writer.WriteStartObject();
        if (result.Status == ActionStatus.Succeeded)
        {
            writer.WriteString("status", "succeeded");
            writer.WritePropertyName("outputs");
            if (result.Outputs is { } outputs) outputs.WriteTo(writer); else writer.WriteNullValue();
        }
        else
        {
            writer.WriteString("status", "failed");
            writer.WriteStartObject("error");
            writer.WriteString("code", result.Error?.Code ?? ErrorCodes.Internal);
            writer.WriteString("message", result.Error?.Message ?? "The action failed.");
            if (result.Error?.Details is { } details)
            {
                writer.WritePropertyName("details");
                details.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        writer.WriteNumber("durationMs", Math.Round(result.Duration.TotalMilliseconds, 3));
        writer.WriteEndObject();
        await writer.FlushAsync(http.RequestAborted);
    }
}
