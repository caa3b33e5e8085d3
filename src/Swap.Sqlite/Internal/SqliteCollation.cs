using System.Text.RegularExpressions;
using Swap.Engine.Schema;

namespace Swap.Sqlite.Internal;

/// <summary>
/// A column's collation as SQLite compares it: the last <c>COLLATE</c> clause of its definition
/// (SQLite keeps the last one given), <c>BINARY</c> without one. SQLite reports it through no
/// PRAGMA, so it is read from the definition's text, leaving out what is inside parentheses (a
/// CHECK's or a default's own <c>COLLATE</c>) and quotes.
/// </summary>
internal static partial class SqliteCollation
{
    public const string Binary = "BINARY";

    /// <summary>The collation of a column SQLite's loader read (<c>ddl.type</c> and <c>ddl.rest</c>).</summary>
    public static string Of(ColumnSchema column) =>
        In((column.Extra.GetValueOrDefault("ddl.type") ?? column.NativeType) + " " + column.Extra.GetValueOrDefault("ddl.rest")) ?? Binary;

    /// <summary>The collation the last top-level <c>COLLATE</c> clause of a column definition names, or null.</summary>
    public static string? In(string definition)
    {
        string? found = null;
        foreach (Match m in Clause().Matches(TopLevel(definition)))
            found = Unquote(m.Groups["name"].Value);
        return found;
    }

    /// <summary>The definition without its top-level <c>COLLATE</c> clauses (a new type that names its own takes their place).</summary>
    public static string Without(string definition)
    {
        var top = TopLevel(definition);
        var result = definition;
        foreach (var m in Clause().Matches(top).Reverse())
            result = result[..m.Index] + result[(m.Index + m.Length)..];
        return Regex.Replace(result, @"\s{2,}", " ").Trim();
    }

    public static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>The text with everything inside parentheses and quotes blanked out, so offsets stay those of the original.</summary>
    private static string TopLevel(string text)
    {
        var chars = text.ToCharArray();
        var depth = 0;
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (c is '\'' or '"' or '`' or '[')
            {
                var close = c == '[' ? ']' : c;
                var end = text.IndexOf(close, i + 1);
                end = end < 0 ? chars.Length - 1 : end;
                if (depth > 0)
                {
                    for (var j = i; j <= end; j++)
                        chars[j] = ' ';
                }
                i = end;
                continue;
            }
            if (c == '(')
                depth++;
            if (depth > 0)
                chars[i] = ' ';
            if (c == ')')
                depth = Math.Max(0, depth - 1);
        }
        return new string(chars);
    }

    private static string Unquote(string name) =>
        name.Length >= 2 && name[0] is '"' or '\'' or '`' or '[' ? name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : name;

    [GeneratedRegex(@"(?<![\w""])COLLATE\s+(?<name>""(?:[^""]|"""")*""|'[^']*'|`[^`]*`|\[[^\]]*\]|\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex Clause();
}
