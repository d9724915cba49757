using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Par.Shared.Security;

/// <summary>
/// A runner's identity as the control plane names it: <c>urn:dd:apps:on-prem-runner:&lt;region&gt;:&lt;orgId&gt;:&lt;runnerId&gt;</c>.
/// Push tokens carry it as their audience.
/// </summary>
public sealed record RunnerUrn
{
    public const string Prefix = "urn:dd:apps:on-prem-runner:";

    public RunnerUrn(string region, long orgId, string runnerId)
    {
        if (string.IsNullOrWhiteSpace(region) || region.Contains(':')) throw new ArgumentException("Region must be non-empty and contain no ':'.", nameof(region));
        if (orgId <= 0) throw new ArgumentOutOfRangeException(nameof(orgId), "Org id must be positive.");
        if (string.IsNullOrWhiteSpace(runnerId)) throw new ArgumentException("Runner id must be non-empty.", nameof(runnerId));
        (Region, OrgId, RunnerId) = (region, orgId, runnerId);
    }

    public string Region { get; }
    public long OrgId { get; }
    public string RunnerId { get; }

    public static RunnerUrn Parse(string text) =>
        TryParse(text, out var urn) ? urn : throw new FormatException($"Not a runner URN; expected {Prefix}<region>:<orgId>:<runnerId>.");

    public static bool TryParse(string? text, [NotNullWhen(true)] out RunnerUrn? urn)
    {
        urn = null;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var parts = text[Prefix.Length..].Split(':', 3);
        if (parts.Length != 3 || parts[0].Length == 0 || parts[2].Length == 0) return false;
        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var orgId) || orgId <= 0) return false;
        urn = new RunnerUrn(parts[0], orgId, parts[2]);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Region}:{OrgId}:{RunnerId}");
}
