using System.Globalization;
using System.Text.Json;

namespace Par.Executor.Actions.Http;

/// <summary>The <c>errorOnStatus</c> input: statuses that fail the action, written as "404", "400-499" or "500,502-504".</summary>
internal sealed class StatusRanges
{
    /// <summary>Without <c>errorOnStatus</c>, as the original runner: every status of 400 and above is an error.</summary>
    public static readonly StatusRanges Default = new([(400, 999)]);

    private readonly (int From, int To)[] _ranges;

    private StatusRanges((int From, int To)[] ranges) => _ranges = ranges;

    public bool Contains(int status) => _ranges.Any(range => status >= range.From && status <= range.To);

    /// <summary>Null when the text is not a valid list; statuses must be within 100–599.</summary>
    public static StatusRanges? TryParse(JsonElement value)
    {
        var parts = new List<string>();
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                parts.Add(value.GetRawText());
                break;
            case JsonValueKind.String:
                parts.AddRange(value.GetString()!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
                        return null;
                    parts.Add(item.ValueKind == JsonValueKind.String ? item.GetString()!.Trim() : item.GetRawText());
                }
                break;
            default:
                return null;
        }
        if (parts.Count == 0)
            return Default;

        var ranges = new (int, int)[parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            var (from, isRange, to) = parts[i].Partition('-');
            if (!TryStatus(from, out var low) || !TryStatus(isRange ? to : from, out var high) || low > high)
                return null;
            ranges[i] = (low, high);
        }
        return new StatusRanges(ranges);
    }

    private static bool TryStatus(string text, out int status) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out status) && status is >= 100 and <= 599;
}
