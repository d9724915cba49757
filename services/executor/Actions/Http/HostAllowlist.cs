namespace Par.Executor.Actions.Http;

/// <summary>
/// The <c>httpAllowlist</c>: exact host names first, then globs where <c>*</c> matches any run of characters (dots
/// included, so <c>*.example.com</c> covers <c>a.b.example.com</c> but not <c>example.com</c>). Case-insensitive;
/// a trailing dot is ignored. Internationalized names must be written in punycode. Empty = every host allowed.
/// </summary>
public sealed class HostAllowlist
{
    private readonly HashSet<string> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _globs = [];

    public HostAllowlist(IEnumerable<string> patterns)
    {
        foreach (var pattern in patterns.Select(Normalize).Where(p => p.Length > 0))
        {
            if (pattern.Contains('*'))
                _globs.Add(pattern);
            else
                _exact.Add(pattern);
        }
    }

    public bool IsEmpty => _exact.Count == 0 && _globs.Count == 0;

    public bool Allows(string host)
    {
        if (IsEmpty)
            return true;
        host = Normalize(host);
        return _exact.Contains(host) || _globs.Any(glob => GlobMatches(glob, host));
    }

    public static string Normalize(string host) => host.Trim().Trim('[', ']').TrimEnd('.').ToLowerInvariant();

    // Greedy wildcard match with backtracking to the last '*': linear in practice, no regex to compile or time out.
    private static bool GlobMatches(string glob, string text)
    {
        int g = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (g < glob.Length && glob[g] == '*')
            {
                star = g++;
                resume = t;
            }
            else if (g < glob.Length && glob[g] == text[t])
            {
                g++;
                t++;
            }
            else if (star >= 0)
            {
                g = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (g < glob.Length && glob[g] == '*')
            g++;
        return g == glob.Length;
    }
}
