namespace Par.Executor.Credentials;

/// <summary>
/// The path the operating system actually opens, every symbolic link (or junction) resolved, like realpath(3) but
/// without requiring the last part to exist. Each link met on the way is reported so a caller can refuse links that
/// point out of a folder even when a later link would bring the path back in.
/// </summary>
internal sealed class PhysicalPath
{
    // Same bound as Linux's ELOOP: a link cycle must fail, not recurse forever.
    private const int MaxLinks = 40;

    private readonly Action<string, string>? _onLink;
    private int _links;

    private PhysicalPath(Action<string, string>? onLink) => _onLink = onLink;

    /// <param name="absolutePath">An absolute path.</param>
    /// <param name="onLink">Called with (link path, physical target) for every link followed.</param>
    public static string Of(string absolutePath, Action<string, string>? onLink = null) =>
        new PhysicalPath(onLink).Resolve(absolutePath);

    private string Resolve(string absolutePath)
    {
        var current = Path.GetPathRoot(absolutePath) ?? throw new ArgumentException("path must be absolute", nameof(absolutePath));
        foreach (var part in absolutePath[current.Length..].Split(Separators))
        {
            if (part is "" or ".")
                continue;
            if (part == "..")
            {
                // current is already physical, so its lexical parent is its real parent.
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }
            var next = Path.Join(current, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++_links > MaxLinks)
                throw new IOException("too many levels of symbolic links");
            current = Resolve(Path.IsPathRooted(target) ? target : Path.Join(current, target));
            _onLink?.Invoke(next, current);
        }
        return current;
    }

    private static readonly char[] Separators = [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];

    public static bool IsInside(string path, string folder)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
            ? StringComparison.OrdinalIgnoreCase
            : StringComparison.Ordinal;
        var prefix = Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, comparison);
    }
}
