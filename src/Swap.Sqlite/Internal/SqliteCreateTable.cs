using System.Text;
using System.Text.RegularExpressions;

namespace Swap.Sqlite.Internal;

/// <summary>
/// Splits SQLite's stored <c>CREATE TABLE</c> text into column definitions and table constraints,
/// so a copy keeps every clause SQLite does not report through PRAGMAs (CHECK, COLLATE, GENERATED).
/// </summary>
internal static partial class SqliteCreateTable
{
    internal sealed record Parsed(IReadOnlyList<ColumnDef> Columns, IReadOnlyList<string> Constraints, string Options);

    internal sealed record ColumnDef(string Name, string Type, string Rest)
    {
        public string Text(Func<string, string> quote) => (quote(Name) + " " + Type + " " + Rest).Trim();
    }

    private static readonly string[] ConstraintStarts = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"];

    [GeneratedRegex(@"^(CONSTRAINT|PRIMARY|NOT|NULL|UNIQUE|CHECK|DEFAULT|COLLATE|REFERENCES|GENERATED|AS)$", RegexOptions.IgnoreCase)]
    private static partial Regex ClauseKeyword();

    /// <summary>The named table-level CHECK constraints (<c>CONSTRAINT name CHECK (...)</c>) of a parsed table, with their text; an unnamed CHECK has no name to drop it by.</summary>
    public static IReadOnlyList<Engine.Schema.CheckSchema> Checks(Parsed parsed) =>
        parsed.Constraints.Select(c => NamedCheck().Match(c)).Where(m => m.Success)
            .Select(m => new Engine.Schema.CheckSchema(Unquote(m.Groups["name"].Value), m.Groups["expr"].Value.Trim(), m.Value.Trim()))
            .ToList();

    /// <summary>True when a table constraint's text is the named CHECK <paramref name="name"/> (case-insensitive, as SQLite compares names).</summary>
    public static bool IsCheckNamed(string constraint, string name) =>
        NamedCheck().Match(constraint) is { Success: true } m && string.Equals(Unquote(m.Groups["name"].Value), name, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when a table constraint's text is a CHECK, named or not.</summary>
    public static bool IsCheck(string constraint) => NamedCheck().IsMatch(constraint) || AnyCheck().IsMatch(constraint);

    [GeneratedRegex(@"^\s*CHECK\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex AnyCheck();

    [GeneratedRegex(@"^\s*CONSTRAINT\s+(?<name>""(?:[^""]|"""")+""|\[[^\]]+\]|`(?:[^`]|``)+`|[\w$]+)\s+CHECK\s*\((?<expr>.*)\)\s*$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex NamedCheck();

    private static string Unquote(string name) => name.Length > 1 && name[0] is '"' or '`' or '['
        ? name[1..^1].Replace(name[0] == '[' ? "]]" : new string(name[0], 2), name[0] == '[' ? "]" : name[0].ToString(), StringComparison.Ordinal)
        : name;

    public static Parsed Parse(string sql)
    {
        sql = WithoutComments(sql);
        var open = IndexOutsideQuotes(sql, '(', 0);
        if (open < 0)
            throw new SwapException(SwapErrorKind.Refused, "SQLite reported a CREATE TABLE without a column list (CREATE TABLE ... AS SELECT?); Swap cannot copy its structure.");
        var items = new List<string>();
        var depth = 0;
        var start = open + 1;
        var close = -1;
        for (var i = open; i < sql.Length; i++)
        {
            var c = sql[i];
            if (c is '\'' or '"' or '`' or '[')
            {
                i = SkipQuoted(sql, i);
                continue;
            }
            if (c == '(')
                depth++;
            else if (c == ')')
            {
                depth--;
                if (depth == 0)
                {
                    items.Add(sql[start..i]);
                    close = i;
                    break;
                }
            }
            else if (c == ',' && depth == 1)
            {
                items.Add(sql[start..i]);
                start = i + 1;
            }
        }
        var columns = new List<ColumnDef>();
        var constraints = new List<string>();
        foreach (var raw in items.Select(i => i.Trim()).Where(i => i.Length > 0))
        {
            var first = FirstWord(raw);
            if (ConstraintStarts.Contains(first.ToUpperInvariant()) && !IsQuoted(raw))
                constraints.Add(raw);
            else
                columns.Add(ParseColumn(raw));
        }
        return new Parsed(columns, constraints, close < 0 ? "" : sql[(close + 1)..].Trim());
    }

    private static ColumnDef ParseColumn(string def)
    {
        var (name, end) = ReadName(def, 0);
        var rest = def[end..].Trim();
        // The type: words and a parenthesised size, up to the first clause keyword.
        var type = new StringBuilder();
        var i = 0;
        while (i < rest.Length)
        {
            while (i < rest.Length && char.IsWhiteSpace(rest[i]))
                i++;
            if (i >= rest.Length)
                break;
            if (rest[i] == '(')
            {
                var closeAt = rest.IndexOf(')', i);
                if (closeAt < 0)
                    break;
                type.Append(rest, i, closeAt - i + 1);
                i = closeAt + 1;
                continue;
            }
            var j = i;
            while (j < rest.Length && (char.IsLetterOrDigit(rest[j]) || rest[j] == '_'))
                j++;
            if (j == i || ClauseKeyword().IsMatch(rest[i..j]))
                break;
            if (type.Length > 0)
                type.Append(' ');
            type.Append(rest, i, j - i);
            i = j;
        }
        return new ColumnDef(name, type.ToString(), rest[i..].Trim());
    }

    /// <summary>
    /// The text with each comment (<c>-- ...</c> to the end of the line, <c>/* ... */</c>) outside
    /// quotes made a space: SQLite stores the CREATE TABLE as written, and a comment's comma, quote
    /// or parenthesis would otherwise split a column or hide the next one. The copy's text is built
    /// anew, without them.
    /// </summary>
    internal static string WithoutComments(string sql)
    {
        if (!sql.Contains("--", StringComparison.Ordinal) && !sql.Contains("/*", StringComparison.Ordinal))
            return sql;
        var text = new StringBuilder(sql.Length);
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (c is '\'' or '"' or '`' or '[')
            {
                var end = SkipQuoted(sql, i);
                text.Append(sql, i, end - i + 1);
                i = end;
            }
            else if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end - 1;
                text.Append(' ');
            }
            else if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 1;
                text.Append(' ');
            }
            else
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }

    private static (string Name, int End) ReadName(string s, int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i]))
            i++;
        if (i < s.Length && s[i] is '"' or '`' or '[')
        {
            var end = SkipQuoted(s, i);
            var inner = s[(i + 1)..end];
            var name = s[i] switch
            {
                '"' => inner.Replace("\"\"", "\"", StringComparison.Ordinal),
                '`' => inner.Replace("``", "`", StringComparison.Ordinal),
                _ => inner,
            };
            return (name, end + 1);
        }
        var j = i;
        while (j < s.Length && !char.IsWhiteSpace(s[j]) && s[j] != '(')
            j++;
        return (s[i..j], j);
    }

    private static string FirstWord(string s)
    {
        var m = Regex.Match(s, @"^\s*([A-Za-z_]+)");
        return m.Success ? m.Groups[1].Value : "";
    }

    private static bool IsQuoted(string s) => s.TrimStart() is { Length: > 0 } t && t[0] is '"' or '`' or '[';

    private static int IndexOutsideQuotes(string s, char target, int from)
    {
        for (var i = from; i < s.Length; i++)
        {
            if (s[i] is '\'' or '"' or '`' or '[')
            {
                i = SkipQuoted(s, i);
                continue;
            }
            if (s[i] == target)
                return i;
        }
        return -1;
    }

    /// <summary>The index of the closing quote of the quoted text that starts at <paramref name="i"/>.</summary>
    private static int SkipQuoted(string s, int i)
    {
        var close = s[i] == '[' ? ']' : s[i];
        for (var j = i + 1; j < s.Length; j++)
        {
            if (s[j] != close)
                continue;
            if (close != ']' && j + 1 < s.Length && s[j + 1] == close)
            {
                j++;
                continue;
            }
            return j;
        }
        return s.Length - 1;
    }

    [GeneratedRegex(@"\bNOT\s+NULL(\s+ON\s+CONFLICT\s+\w+)?", RegexOptions.IgnoreCase)]
    public static partial Regex NotNull();

    [GeneratedRegex(@"\bDEFAULT\s+(\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)|'(?:[^']|'')*'|[-+]?[\w.]+)", RegexOptions.IgnoreCase)]
    public static partial Regex Default();

    [GeneratedRegex(@"\bPRIMARY\s+KEY(\s+(ASC|DESC))?(\s+ON\s+CONFLICT\s+\w+)?(\s+AUTOINCREMENT)?", RegexOptions.IgnoreCase)]
    public static partial Regex PrimaryKey();
}
