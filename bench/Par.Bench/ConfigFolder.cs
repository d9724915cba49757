using System.Text;

namespace Par.Bench;

/// <summary>A temporary DD_PRIVATE_RUNNER_CONFIG_DIR: config.yaml (keys of docs/configuration.md) and optionally jwks.json.</summary>
public sealed class ConfigFolder : IDisposable
{
    public ConfigFolder(string purpose, string? jwksJson = null)
    {
        Path = Directory.CreateTempSubdirectory($"par-bench-{purpose}-").FullName;
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "credentials"));
        if (jwksJson is not null)
            File.WriteAllText(System.IO.Path.Combine(Path, "jwks.json"), jwksJson);
    }

    public string Path { get; }

    /// <summary>Writes config.yaml; list values are written as flow sequences.</summary>
    public void Write(IEnumerable<(string Key, object Value)> keys)
    {
        var yaml = new StringBuilder("# written by par-bench\n");
        foreach (var (key, value) in keys)
        {
            var text = value switch
            {
                IEnumerable<string> list => "[" + string.Join(", ", list) + "]",
                bool b => b ? "true" : "false",
                _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
            };
            yaml.Append(key).Append(": ").AppendLine(text);
        }
        File.WriteAllText(System.IO.Path.Combine(Path, "config.yaml"), yaml.ToString());
    }

    public string Yaml => File.ReadAllText(System.IO.Path.Combine(Path, "config.yaml"));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }

    public static string UniqueQueue(string purpose) => $"bench.{purpose}.{Guid.NewGuid():N}";
}
