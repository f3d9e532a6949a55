using System.Globalization;
using System.Text.RegularExpressions;

namespace Herald.Pipelines;

/// <summary>Parses the durations pipelines use: <c>250ms</c>, <c>5s</c>, <c>2m</c>, <c>1h</c>, or a TimeSpan like <c>00:00:05</c>.</summary>
public static partial class Durations
{
    [GeneratedRegex(@"^\s*(?<n>\d+(\.\d+)?)\s*(?<u>ms|s|m|h)\s*$")]
    private static partial Regex WithUnit();

    public static bool TryParse(string text, out TimeSpan value)
    {
        var match = WithUnit().Match(text);
        if (match.Success)
        {
            var n = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
            value = match.Groups["u"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromHours(n),
            };
            return value > TimeSpan.Zero;
        }
        // Only the hh:mm:ss form: TimeSpan.TryParse reads a bare "5" as five days.
        value = default;
        return text.Contains(':') && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value > TimeSpan.Zero;
    }

    public static string Format(TimeSpan value) =>
        value.TotalSeconds < 1 ? $"{value.TotalMilliseconds:0}ms" : $"{value.TotalSeconds:0.###}s";
}
