using System.Text.Json;

namespace Par.Executor.Actions;

/// <summary>An expected failure of an action, reported to the caller with its code, message and details.</summary>
public sealed class ActionFailedException(string code, string message, JsonElement? details = null) : Exception(message)
{
    public string Code { get; } = code;
    public JsonElement? Details { get; } = details;
}
