using System.Text;
using Par.Shared.Security;

namespace Par.Emulator.Keys;

/// <summary>The key that signs tasks and push tokens, and the JWKS that publishes its public half.</summary>
public sealed class ControlPlaneKey
{
    public ControlPlaneKey(RunnerKey key)
    {
        Key = key;
        Jwks = new Jwks([key.PublicJwk]);
        JwksJson = Encoding.UTF8.GetBytes(Jwks.ToJson());
    }

    public RunnerKey Key { get; }
    public Jwks Jwks { get; }
    /// <summary>Served as-is: the set never changes while the emulator runs.</summary>
    public byte[] JwksJson { get; }

    public static ControlPlaneKey LoadOrCreate(string? keyFile)
    {
        if (keyFile is null) return new ControlPlaneKey(RunnerKey.Generate());
        if (File.Exists(keyFile)) return new ControlPlaneKey(RunnerKey.FromJwkJson(File.ReadAllText(keyFile)));

        var key = RunnerKey.Generate();
        var folder = Path.GetDirectoryName(Path.GetFullPath(keyFile));
        if (folder is not null) Directory.CreateDirectory(folder);
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(keyFile, Encoding.UTF8, create)) writer.Write(key.ToJwkJson());
        return new ControlPlaneKey(key);
    }
}
