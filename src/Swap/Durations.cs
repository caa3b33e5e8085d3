using System.Globalization;
using System.Text.RegularExpressions;

namespace Swap;

/// <summary>Durations as people type them: <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>250ms</c>, or a plain number of seconds.</summary>
internal static partial class Durations
{
    [GeneratedRegex(@"^(?:(?<h>\d+)h)?(?:(?<m>\d+)m(?!s))?(?:(?<s>\d+(?:\.\d+)?)s)?(?:(?<ms>\d+)ms)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();

    public static TimeSpan Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParse(text, out var value))
            return value;
        throw new SwapException(SwapErrorKind.Usage, $"{option} '{text}' is not a duration. Use forms like 500ms, 30s, 5m, 1h30m.");
    }

    /// <summary>As <see cref="Parse"/>, for a setting where zero means nothing sensible (a chunk time, a lock wait).</summary>
    public static TimeSpan ParsePositive(string text, string option)
    {
        var value = Parse(text, option);
        return value > TimeSpan.Zero ? value : throw new SwapException(SwapErrorKind.Usage, $"{option} must be above zero, like 200ms or 2s, not '{text}'.");
    }

    public static bool TryParse(string text, out TimeSpan value)
    {
        try
        {
            return TryParseUnchecked(text, out value);
        }
        catch (Exception e) when (e is OverflowException or ArgumentException)
        {
            // Longer than a TimeSpan holds (99999999999h), or NaN / Infinity seconds: not a duration.
            value = default;
            return false;
        }
    }

    private static bool TryParseUnchecked(string text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds < 0)
                return false;
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }
        var m = Pattern().Match(text);
        if (!m.Success || text.Length == 0)
            return false;
        double Part(string name) => m.Groups[name].Success ? double.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        value = TimeSpan.FromHours(Part("h")) + TimeSpan.FromMinutes(Part("m")) + TimeSpan.FromSeconds(Part("s")) + TimeSpan.FromMilliseconds(Part("ms"));
        return true;
    }

    /// <summary>Short human form: <c>850 ms</c>, <c>12.3 s</c>, <c>4m 05s</c>, <c>2h 01m</c>.</summary>
    public static string Format(TimeSpan span)
    {
        if (span < TimeSpan.FromSeconds(1))
            return $"{span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms";
        if (span < TimeSpan.FromMinutes(1))
            return $"{span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s";
        if (span < TimeSpan.FromHours(1))
            return $"{(int)span.TotalMinutes}m {span.Seconds:00}s";
        return $"{(int)span.TotalHours}h {span.Minutes:00}m";
    }
}
