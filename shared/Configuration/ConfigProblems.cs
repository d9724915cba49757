using YamlDotNet.Core;

namespace Par.Shared.Configuration;

/// <summary>
/// Collects every problem before stopping, so one start-up attempt shows all the fixes needed instead of one per
/// restart. Each line says where the value came from: <c>file:line:</c> or <c>environment variable NAME:</c>.
/// </summary>
internal sealed class ConfigProblems(string sourceFile)
{
    private readonly List<string> messages = [];
    private readonly List<string> secrets = [];

    public bool Any => messages.Count > 0;

    public void At(Mark where, string message) => messages.Add($"{sourceFile}:{where.Line}: {message}");

    public void InFile(string message) => messages.Add($"{sourceFile}: {message}");

    public void InVariable(string variable, string message) =>
        messages.Add($"environment variable {variable}: {message}");

    /// <summary>
    /// Messages never quote privateKey on purpose; this is the second line of defence for when its value ends up
    /// somewhere that is quoted (pasted under another key, say).
    /// </summary>
    public void KeepSecret(string? value)
    {
        // Short values would blank out ordinary words of the messages and protect nothing worth protecting.
        if (value is { Length: >= 8 }) secrets.Add(value);
    }

    public ConfigException Stop(Mark where, string message)
    {
        At(where, message);
        return ToException();
    }

    public void ThrowIfAny()
    {
        if (Any) throw ToException();
    }

    private ConfigException ToException()
    {
        var text = string.Join('\n', messages);
        foreach (var secret in secrets) text = text.Replace(secret, "(secret not shown)", StringComparison.Ordinal);
        return new ConfigException(text);
    }
}
