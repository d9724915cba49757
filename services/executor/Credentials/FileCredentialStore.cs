using Par.Executor.Actions;
using Par.Shared.Contracts;

namespace Par.Executor.Credentials;

/// <summary>
/// Reads credentials files from the runner's credentials folder. The relative path comes from a connection, i.e. from
/// outside the runner, so anything that could make it name a file elsewhere is refused: absolute paths, <c>..</c>
/// segments, and links whose target leaves the folder.
/// </summary>
public sealed class FileCredentialStore(string credentialsDir) : ICredentialStore
{
    /// <summary>Largest credentials file accepted, as in the original runner.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    public async Task<Credential> ReadAsync(string relativePath, CancellationToken cancellationToken)
    {
        var path = Locate(relativePath);
        var bytes = await ReadBoundedAsync(path, relativePath, cancellationToken);
        return CredentialFileParser.Parse(bytes, relativePath);
    }

    private string Locate(string relativePath)
    {
        if (string.IsNullOrWhiteSpace(relativePath))
            throw Fail(relativePath, "is not named (empty path)");
        if (relativePath.Contains('\0'))
            throw Fail(relativePath, "has an invalid path");
        if (Path.IsPathRooted(relativePath) || relativePath.StartsWith('/') || relativePath.StartsWith('\\'))
            throw Fail(relativePath, "must be a path relative to the credentials folder, not an absolute path");
        // Only an exact ".." segment climbs: Kubernetes secret volumes hold names like "..data" that are legitimate.
        if (relativePath.Split('/', '\\').Any(segment => segment == ".."))
            throw Fail(relativePath, "must not contain '..' segments");

        string root;
        try
        {
            root = PhysicalPath.Of(Path.GetFullPath(credentialsDir));
        }
        catch (IOException)
        {
            throw Fail(relativePath, "cannot be read: the credentials folder cannot be resolved");
        }
        if (!Directory.Exists(root))
            throw Fail(relativePath, "cannot be read: the credentials folder does not exist");

        string path;
        try
        {
            path = PhysicalPath.Of(Path.Join(root, relativePath), (link, target) =>
            {
                if (!PhysicalPath.IsInside(target, root))
                    throw Fail(relativePath, $"is reached through a link ('{Path.GetRelativePath(root, link)}') that leaves the credentials folder");
            });
        }
        catch (IOException e)
        {
            throw Fail(relativePath, $"cannot be resolved: {e.Message}");
        }
        if (!PhysicalPath.IsInside(path, root))
            throw Fail(relativePath, "is outside the credentials folder");
        if (Directory.Exists(path))
            throw Fail(relativePath, "is a folder, not a file");
        if (!File.Exists(path))
            throw Fail(relativePath, "does not exist");
        return path;
    }

    private static async Task<byte[]> ReadBoundedAsync(string path, string name, CancellationToken cancellationToken)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
            var length = RandomAccess.GetLength(handle);
            if (length > MaxFileBytes)
                throw Fail(name, $"is larger than {MaxFileBytes} bytes");
            // Read one byte more than allowed so a file that grew since GetLength is still caught.
            var buffer = new byte[Math.Min(length, MaxFileBytes) + 1];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(read), read, cancellationToken);
                if (n == 0)
                    break;
                read += n;
            }
            if (read > MaxFileBytes)
                throw Fail(name, $"is larger than {MaxFileBytes} bytes");
            if (read == 0 || buffer.AsSpan(0, read).Trim(" \t\r\n"u8).IsEmpty)
                throw Fail(name, "is empty");
            return buffer[..read];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Fail(name, $"cannot be read ({e.GetType().Name})");
        }
    }

    private static ActionFailedException Fail(string name, string problem) => CredentialFileParser.Fail(name, problem);
}
