using System.Globalization;

namespace Swap.Discovery;

/// <summary>
/// The version of a Flyway-named script (<c>V1.2__name.sql</c>): digits separated by <c>.</c> or
/// <c>_</c>, compared the way Flyway compares them: numerically part by part, a missing part counting
/// as 0 (<c>1.9</c> before <c>1.10</c>, <c>1</c> before <c>1.1</c>, <c>1_1</c> equal to <c>1.1</c>,
/// <c>1</c> equal to <c>1.0</c>).
/// </summary>
internal sealed class ScriptVersion : IComparable<ScriptVersion>, IEquatable<ScriptVersion>
{
    // Parts without leading zeros ("007" is "7"), so numbers of any length compare as text: longer is larger.
    private readonly string[] parts;

    private ScriptVersion(string text, string[] parts)
    {
        Text = text;
        this.parts = parts;
        Date = DateOf(text);
    }

    /// <summary>The version as written in the file name (<c>2_1</c>).</summary>
    public string Text { get; }

    /// <summary>
    /// The date a version of 8 or more digits starts with (<c>20261121083000</c>, <c>20261121.1</c>),
    /// so it orders among timestamp-named scripts; null for other versions (<c>1</c>, <c>2.1</c>).
    /// </summary>
    public DateOnly? Date { get; }

    /// <summary>The version as Flyway prints it: parts joined by dots, leading zeros kept (<c>2.1</c>).</summary>
    public override string ToString() => Text.Replace('_', '.');

    /// <summary>Reads <c>1</c>, <c>1.2</c>, <c>2_1</c>; the caller has matched digits separated by <c>.</c> or <c>_</c>.</summary>
    public static ScriptVersion Parse(string text) =>
        new(text, text.Split('.', '_').Select(p => p.TrimStart('0')).ToArray());

    public int CompareTo(ScriptVersion? other)
    {
        if (other is null)
            return 1;
        for (var i = 0; i < Math.Max(parts.Length, other.parts.Length); i++)
        {
            var a = i < parts.Length ? parts[i] : "";
            var b = i < other.parts.Length ? other.parts[i] : "";
            var c = a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
            if (c != 0)
                return c;
        }
        return 0;
    }

    public bool Equals(ScriptVersion? other) => CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is ScriptVersion v && Equals(v);

    // Equal versions differ only by trailing zero parts and leading zeros: hash what is left.
    public override int GetHashCode() => string.Join('.', parts.Reverse().SkipWhile(p => p.Length == 0).Reverse()).GetHashCode(StringComparison.Ordinal);

    private static DateOnly? DateOf(string text)
    {
        var first = text.Split('.', '_')[0];
        return first.Length >= 8 && DateOnly.TryParseExact(first[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;
    }
}
