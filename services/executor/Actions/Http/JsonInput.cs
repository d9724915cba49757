using System.Text.Json;

namespace Par.Executor.Actions.Http;

/// <summary>Lenient readers for input values: null counts as absent, numbers and booleans are accepted where text is.</summary>
internal static class JsonInput
{
    public static string Key(JsonElement item, string input) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String
            && key.GetString() is { Length: > 0 } text
            ? text
            : throw HttpRequestInputs.Invalid($"every entry of input '{input}' needs a non-empty string 'key'");

    public static string[] Values(JsonElement value, string what)
    {
        if (value.ValueKind == JsonValueKind.Array)
            return value.EnumerateArray().Select(v => Scalar(v) ?? throw HttpRequestInputs.Invalid($"{what} values must be strings")).ToArray();
        return [Scalar(value) ?? throw HttpRequestInputs.Invalid($"{what} needs a 'value'")];
    }

    public static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => null,
    };

    public static JsonElement? Optional(JsonElement inputs, string name) =>
        inputs.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value
            : null;

    public static bool Boolean(JsonElement inputs, string name, bool fallback) => Optional(inputs, name) switch
    {
        null => fallback,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw HttpRequestInputs.Invalid($"input '{name}' must be true or false"),
    };
}
