using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Par.Shared.Configuration;

/// <summary>
/// Reads the value of one key of config.yaml as the type its property has. On a problem it records it (with the line
/// and the key as written) and returns null, so the caller keeps the default and carries on to the next key.
/// An empty value (<c>key:</c>, <c>~</c>, <c>null</c>, <c>""</c>) also returns null: it means "use the default".
/// Quoting does not change the type: <c>port: "9016"</c> is the number 9016, as tools that quote everything
/// (Helm's <c>quote</c>) produce it.
/// </summary>
/// <remarks>A problem with the whole value is reported at the key's line (a mapping value starts on the next one);
/// a problem with one list entry, at that entry's line.</remarks>
internal sealed partial class YamlValueReader(ConfigProblems problems, string key, Mark keyLine, YamlNode node)
{
    public string? String(Func<string, string?>? rule = null)
    {
        var value = Scalar();
        if (value is null || rule is null) return value;
        return Check(keyLine, value, rule) ? value : null;
    }

    /// <summary>Like <see cref="String"/> but with no rule that could quote it, and remembered for redaction.</summary>
    public string? Secret()
    {
        var value = Scalar();
        problems.KeepSecret(value);
        return value;
    }

    /// <summary>YAML 1.2 booleans only: in YAML 1.1 "no" and "off" are false, which surprises more than it helps.</summary>
    public bool? Bool()
    {
        var value = Scalar();
        switch (value)
        {
            case null: return null;
            case "true" or "True" or "TRUE": return true;
            case "false" or "False" or "FALSE": return false;
            case "yes" or "Yes" or "YES" or "no" or "No" or "NO" or "on" or "On" or "ON" or "off" or "Off" or "OFF"
                or "y" or "Y" or "n" or "N":
                problems.At(keyLine, $"key '{key}': '{value}' is a YAML 1.1 boolean, which this runner does not read; write true or false");
                return null;
            default:
                problems.At(keyLine, $"key '{key}' expects true or false, found {ConfigRules.Quote(value)}");
                return null;
        }
    }

    public int? Int(Func<long, string?> rule)
    {
        var value = Long(rule);
        if (value is null) return null;
        if (value is >= int.MinValue and <= int.MaxValue) return (int)value;
        problems.At(keyLine, $"key '{key}': {value} is too large (at most {int.MaxValue})");
        return null;
    }

    /// <summary>Plain decimal only: 0x10, 1e3 or 9_016 are more often slips than intent.</summary>
    public long? Long(Func<long, string?> rule)
    {
        var value = Scalar();
        if (value is null) return null;
        if (!DecimalPattern().IsMatch(value))
        {
            problems.At(keyLine, $"key '{key}' expects a whole number written in decimal, found {ConfigRules.Quote(value)}");
            return null;
        }
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            problems.At(keyLine, $"key '{key}': {ConfigRules.Quote(value)} is too large");
            return null;
        }
        var problem = rule(number);
        if (problem is null) return number;
        problems.At(keyLine, $"key '{key}': {problem}");
        return null;
    }

    /// <summary>Every entry is checked, so one run reports every bad entry.</summary>
    public IReadOnlyList<string>? List(Func<string, string?> rule)
    {
        var entries = Entries(allowCommaString: false);
        if (entries is null) return null;
        var ok = true;
        foreach (var (value, at) in entries) ok &= Check(at, value, rule);
        return ok ? entries.Select(e => e.Value).ToList() : null;
    }

    /// <summary>A list, or the comma-separated string the RUNNER_MODES variable uses, for configs written from it.</summary>
    public IReadOnlySet<RunnerMode>? Modes()
    {
        var entries = Entries(allowCommaString: true);
        if (entries is null) return null;
        var modes = new HashSet<RunnerMode>();
        var ok = true;
        foreach (var (value, at) in entries)
        {
            if (ConfigRules.Mode(value) is { } mode) modes.Add(mode);
            else { problems.At(at, $"key '{key}': {ConfigRules.UnknownMode(value)}"); ok = false; }
        }
        if (ok && modes.Count == 0) { problems.At(keyLine, $"key '{key}' {ConfigRules.NoModes}"); ok = false; }
        return ok ? modes : null;
    }

    private bool Check(Mark at, string value, Func<string, string?> rule)
    {
        var problem = rule(value);
        if (problem is null) return true;
        problems.At(at, $"key '{key}': {problem}");
        return false;
    }

    private string? Scalar()
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                return IsEmpty(scalar) ? null : scalar.Value;
            default:
                problems.At(keyLine, $"key '{key}' expects a single value, found {Describe(node)}");
                return null;
        }
    }

    private List<(string Value, Mark At)>? Entries(bool allowCommaString)
    {
        switch (node)
        {
            case YamlScalarNode scalar when IsEmpty(scalar):
                return null;
            case YamlScalarNode scalar when allowCommaString:
                return scalar.Value!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Select(v => (v, keyLine)).ToList();
            case YamlSequenceNode sequence:
                var entries = new List<(string, Mark)>();
                foreach (var item in sequence.Children)
                {
                    if (item is YamlScalarNode s && !IsEmpty(s)) entries.Add((s.Value!.Trim(), item.Start));
                    else if (item is YamlScalarNode) problems.At(item.Start, $"key '{key}' has an empty entry");
                    else problems.At(item.Start, $"key '{key}': each entry must be a single value, found {Describe(item)}");
                }
                return entries.Count == sequence.Children.Count ? entries : null;
            default:
                problems.At(keyLine, $"key '{key}' expects a list (one '- entry' per line), found {Describe(node)}");
                return null;
        }
    }

    internal static bool IsEmpty(YamlScalarNode scalar) =>
        string.IsNullOrEmpty(scalar.Value)
        || (scalar.Style == ScalarStyle.Plain && scalar.Value is "~" or "null" or "Null" or "NULL");

    internal static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping (key: value pairs)",
        _ => "a single value",
    };

    [GeneratedRegex("^[+-]?[0-9]+$")]
    private static partial Regex DecimalPattern();
}
