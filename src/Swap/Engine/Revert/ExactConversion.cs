using System.Globalization;
using System.Text.RegularExpressions;

namespace Swap.Engine.Revert;

/// <summary>
/// Whether every value of one column type fits another unchanged: the test a revert window puts
/// to each type change, since the application may write any value of the new type while the
/// window is open and the old table must take it back exactly. Proven for integers, strings
/// (variable length), decimals and floats; any other change of type is not exact.
/// </summary>
internal static partial class ExactConversion
{
    private static readonly Dictionary<string, int> IntegerRanks = new(StringComparer.Ordinal)
    {
        ["tinyint"] = 1, ["smallint"] = 2, ["int2"] = 2, ["mediumint"] = 3, ["int"] = 4, ["integer"] = 4, ["int4"] = 4, ["bigint"] = 5, ["int8"] = 5,
    };

    private static readonly Dictionary<string, long> TextLengths = new(StringComparer.Ordinal)
    {
        ["tinytext"] = 255, ["text"] = long.MaxValue, ["mediumtext"] = 16_777_215, ["longtext"] = 4_294_967_295,
    };

    private static readonly Dictionary<string, int> FloatRanks = new(StringComparer.Ordinal)
    {
        ["real"] = 1, ["float4"] = 1, ["float"] = 1, ["double precision"] = 2, ["float8"] = 2, ["double"] = 2,
    };

    /// <summary>True when every value of <paramref name="from"/> is a value of <paramref name="to"/>.</summary>
    /// <param name="mySqlText">MySQL's <c>text</c> holds 65,535 bytes; PostgreSQL's is unbounded.</param>
    public static bool Holds(string from, string to, bool mySqlText)
    {
        var (fromName, fromArgs, fromUnsigned) = Parse(from);
        var (toName, toArgs, toUnsigned) = Parse(to);
        if (fromName == toName && fromArgs.SequenceEqual(toArgs) && fromUnsigned == toUnsigned)
            return true;
        if (IntegerRanks.TryGetValue(fromName, out var fi) && IntegerRanks.TryGetValue(toName, out var ti))
            return fromUnsigned == toUnsigned ? fi <= ti : fromUnsigned && fi < ti;
        if (FloatRanks.TryGetValue(fromName, out var ff) && FloatRanks.TryGetValue(toName, out var tf))
            return ff <= tf;
        if (StringLength(fromName, fromArgs, mySqlText) is { } fl && StringLength(toName, toArgs, mySqlText) is { } tl && fromName is not ("char" or "character"))
            return fl <= tl;
        if (fromName is "decimal" or "numeric" && toName is "decimal" or "numeric")
        {
            if (toArgs.Count == 0)
                return toName == "numeric";
            if (fromArgs.Count == 0)
                return false;
            var (fp, fs) = (fromArgs[0], fromArgs.Count > 1 ? fromArgs[1] : 0);
            var (tp, ts) = (toArgs[0], toArgs.Count > 1 ? toArgs[1] : 0);
            return fs <= ts && fp - fs <= tp - ts;
        }
        return false;
    }

    private static long? StringLength(string name, IReadOnlyList<int> args, bool mySqlText)
    {
        if (name is "varchar" or "character varying" or "char" or "character")
            return args.Count > 0 ? args[0] : (name.StartsWith("char", StringComparison.Ordinal) ? 1 : long.MaxValue);
        if (TextLengths.TryGetValue(name, out var length))
            return name == "text" && mySqlText ? 65_535 : length;
        return null;
    }

    private static (string Name, IReadOnlyList<int> Args, bool Unsigned) Parse(string type)
    {
        var t = type.Trim().ToLowerInvariant();
        var unsigned = t.Contains(" unsigned", StringComparison.Ordinal);
        t = t.Replace(" unsigned", "", StringComparison.Ordinal).Replace(" zerofill", "", StringComparison.Ordinal).Trim();
        var m = TypePattern().Match(t);
        if (!m.Success)
            return (t, [], unsigned);
        var name = m.Groups["name"].Value.Trim();
        var args = m.Groups["args"].Success
            ? m.Groups["args"].Value.Split(',').Select(a => int.TryParse(a.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : -1).ToList()
            : [];
        // MySQL's display width (int(11)) says nothing about the range.
        if (IntegerRanks.ContainsKey(name))
            args = [];
        return (name + m.Groups["tail"].Value.TrimEnd(), args, unsigned);
    }

    [GeneratedRegex(@"^(?<name>[a-z0-9_ ]+)(\((?<args>[^)]*)\))?(?<tail>.*)$")]
    private static partial Regex TypePattern();
}
