using System.Globalization;
using System.Text.Json.Nodes;

namespace Swap.Engine;

/// <summary>
/// Chunk-key values in the journal: each value with its .NET type, so a resumed copy binds the
/// exact same parameter values (integers, decimals, strings, GUIDs, dates, times, bytes).
/// </summary>
internal static class KeyValues
{
    /// <summary>
    /// An error from reading or saving a key value (the driver cannot hold it in a .NET type, or
    /// <see cref="Encode"/> has no encoding for it), as opposed to an error of the database.
    /// </summary>
    public static bool IsUnreadable(Exception e) =>
        e is InvalidCastException or OverflowException or FormatException or ArgumentException or SwapException { Kind: SwapErrorKind.Refused };

    /// <summary>What to do about a table whose key holds such a value: the end of both refusals (preflight and chunker).</summary>
    public const string UnreadableAdvice = "Change this table with a native ALTER TABLE, or give it a key of an integer, text, date or binary type.";

    public static JsonArray Encode(IReadOnlyList<object?> values)
    {
        var array = new JsonArray();
        foreach (var v in values)
        {
            var (type, text) = v switch
            {
                null or DBNull => ("null", ""),
                long l => ("i64", l.ToString(CultureInfo.InvariantCulture)),
                int i => ("i32", i.ToString(CultureInfo.InvariantCulture)),
                short s => ("i16", s.ToString(CultureInfo.InvariantCulture)),
                sbyte sb => ("i8", sb.ToString(CultureInfo.InvariantCulture)),
                byte b => ("u8", b.ToString(CultureInfo.InvariantCulture)),
                ushort us => ("u16", us.ToString(CultureInfo.InvariantCulture)),
                uint ui => ("u32", ui.ToString(CultureInfo.InvariantCulture)),
                ulong ul => ("u64", ul.ToString(CultureInfo.InvariantCulture)),
                decimal d => ("dec", d.ToString(CultureInfo.InvariantCulture)),
                double d => ("f64", d.ToString("R", CultureInfo.InvariantCulture)),
                float f => ("f32", f.ToString("R", CultureInfo.InvariantCulture)),
                string s => ("str", s),
                Guid g => ("guid", g.ToString()),
                DateTime dt => ("dt", dt.ToString("O", CultureInfo.InvariantCulture)),
                DateTimeOffset dto => ("dto", dto.ToString("O", CultureInfo.InvariantCulture)),
                DateOnly d => ("date", d.ToString("O", CultureInfo.InvariantCulture)),
                TimeSpan ts => ("ts", ts.ToString("c", CultureInfo.InvariantCulture)),
                TimeOnly t => ("time", t.ToString("O", CultureInfo.InvariantCulture)),
                byte[] bytes => ("bytes", Convert.ToBase64String(bytes)),
                bool b => ("bool", b ? "1" : "0"),
                _ => throw new SwapException(SwapErrorKind.Refused, $"A key column holds {v.GetType().Name} values, which Swap cannot use to walk the table in chunks."),
            };
            array.Add(new JsonArray(type, text));
        }
        return array;
    }

    public static object?[] Decode(JsonArray array) => array.Select(node =>
    {
        var pair = node!.AsArray();
        var type = pair[0]!.GetValue<string>();
        var text = pair[1]!.GetValue<string>();
        return type switch
        {
            "null" => null,
            "i64" => long.Parse(text, CultureInfo.InvariantCulture),
            "i32" => int.Parse(text, CultureInfo.InvariantCulture),
            "i16" => short.Parse(text, CultureInfo.InvariantCulture),
            "i8" => sbyte.Parse(text, CultureInfo.InvariantCulture),
            "u8" => byte.Parse(text, CultureInfo.InvariantCulture),
            "u16" => ushort.Parse(text, CultureInfo.InvariantCulture),
            "u32" => uint.Parse(text, CultureInfo.InvariantCulture),
            "u64" => ulong.Parse(text, CultureInfo.InvariantCulture),
            "dec" => decimal.Parse(text, CultureInfo.InvariantCulture),
            "f64" => double.Parse(text, CultureInfo.InvariantCulture),
            "f32" => float.Parse(text, CultureInfo.InvariantCulture),
            "str" => text,
            "guid" => Guid.Parse(text),
            "dt" => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            "dto" => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            "date" => DateOnly.Parse(text, CultureInfo.InvariantCulture),
            "ts" => TimeSpan.Parse(text, CultureInfo.InvariantCulture),
            "time" => TimeOnly.Parse(text, CultureInfo.InvariantCulture),
            "bytes" => Convert.FromBase64String(text),
            "bool" => text == "1",
            _ => (object?)text,
        };
    }).ToArray();

    /// <summary>The longest key value shown whole, in UTF-8 bytes (binary: bytes); a longer one shows its start and its size.</summary>
    internal const int ShownBytes = 64;

    /// <summary>A key for a message: <c>(1, 'a')</c>; a value longer than <see cref="ShownBytes"/> as its start and <c>... (N bytes)</c>.</summary>
    public static string Show(IReadOnlyList<object?> values) =>
        "(" + string.Join(", ", values.Select(v => v switch
        {
            null => "NULL",
            byte[] b when b.Length > ShownBytes => "0x" + Convert.ToHexString(b, 0, ShownBytes / 2) + $"... ({b.Length} bytes)",
            byte[] b => "0x" + Convert.ToHexString(b),
            string s when System.Text.Encoding.UTF8.GetByteCount(s) is var n && n > ShownBytes => "'" + Prefix(s) + $"'... ({n} bytes)",
            string s => "'" + s + "'",
            _ => Convert.ToString(v, CultureInfo.InvariantCulture),
        })) + ")";

    /// <summary>The start of <paramref name="s"/> within <see cref="ShownBytes"/> / 2 UTF-8 bytes, not splitting a surrogate pair.</summary>
    private static string Prefix(string s)
    {
        var bytes = 0;
        var i = 0;
        while (i < s.Length)
        {
            var width = char.IsSurrogatePair(s, i) ? 2 : 1;
            var n = System.Text.Encoding.UTF8.GetByteCount(s.AsSpan(i, width));
            if (bytes + n > ShownBytes / 2)
                break;
            bytes += n;
            i += width;
        }
        return s[..i];
    }
}
