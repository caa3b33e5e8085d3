using System.Text.RegularExpressions;

namespace Swap.MySql;

/// <summary>Reads and edits a column definition as SHOW CREATE TABLE prints it.</summary>
internal static partial class MySqlColumnText
{
    /// <summary>
    /// A literal, a bit string, a parenthesized expression (MySQL 8 prints every expression default
    /// so: <c>DEFAULT (uuid())</c>, <c>DEFAULT (curdate() + interval 1 year)</c>; MariaDB an operator
    /// expression: <c>DEFAULT (1 + 2)</c>), or a word with its arguments (MariaDB prints a function
    /// call bare: <c>DEFAULT concat('a',')')</c>, <c>DEFAULT current_timestamp()</c>). Parentheses
    /// balance, and those inside quoted strings do not count.
    /// </summary>
    [GeneratedRegex(@"\bDEFAULT\s+('(?:[^'\\]|\\.|'')*'|b'[01]*'|" + Parenthesized + @"|[-+]?[\w.]+(?:" + Parenthesized + ")?)", RegexOptions.IgnoreCase)]
    private static partial Regex DefaultClause();

    private const string Parenthesized = @"\((?>[^()']+|'(?:[^'\\]|\\.|'')*'|(?<open>\()|(?<-open>\)))*(?(open)(?!))\)";

    /// <summary>
    /// The table-level CHECK constraints of a <c>SHOW CREATE TABLE</c> text, one per line as both
    /// servers print them: <c>CONSTRAINT `name` CHECK (expression)</c> (MySQL 8 may add
    /// <c>/*!80016 NOT ENFORCED */</c>). A MariaDB column's own CHECK is part of its column's line.
    /// </summary>
    public static IReadOnlyList<Engine.Schema.CheckSchema> Checks(string ddl) =>
        CheckLine().Matches(ddl)
            .Select(m => new Engine.Schema.CheckSchema(m.Groups["name"].Value.Replace("``", "`", StringComparison.Ordinal), m.Groups["expr"].Value, m.Value.Trim().TrimEnd(',')))
            .ToList();

    [GeneratedRegex(@"^\s*CONSTRAINT `(?<name>(?:[^`]|``)+)` CHECK \((?<expr>.*)\)(?:\s*/\*!\d+ NOT ENFORCED \*/)?,?\s*$", RegexOptions.Multiline)]
    private static partial Regex CheckLine();

    [GeneratedRegex(@"\bON\s+UPDATE\s+[\w]+(\(\d*\))?", RegexOptions.IgnoreCase)]
    private static partial Regex OnUpdateClause();

    [GeneratedRegex(@"\bCOMMENT\s+'(?:[^'\\]|\\.|'')*'", RegexOptions.IgnoreCase)]
    private static partial Regex CommentClause();

    /// <summary>The DEFAULT expression of a definition, or null (DEFAULT NULL counts as none).</summary>
    public static string? Default(string definition)
    {
        var m = DefaultClause().Match(definition);
        if (!m.Success)
            return null;
        var value = m.Groups[1].Value;
        return value.Equals("NULL", StringComparison.OrdinalIgnoreCase) ? null : value;
    }

    public static string? OnUpdate(string definition) => OnUpdateClause().Match(definition) is { Success: true } m ? m.Value : null;

    /// <summary>A MariaDB column's own <c>CHECK (...)</c> (part of its definition, which a <c>MODIFY</c> that leaves it out drops), or null.</summary>
    public static string? Check(string definition) =>
        CheckClause().Match(CommentClause().Replace(DefaultClause().Replace(definition, ""), "")) is { Success: true } m ? m.Value : null;

    [GeneratedRegex(@"\bCHECK\s*" + Parenthesized, RegexOptions.IgnoreCase)]
    private static partial Regex CheckClause();

    public static string? Comment(string definition) => CommentClause().Match(definition) is { Success: true } m ? m.Value : null;

    /// <summary>True for types that take a character set and collation.</summary>
    public static bool IsText(string type)
    {
        var t = type.TrimStart().ToUpperInvariant();
        return t.StartsWith("CHAR", StringComparison.Ordinal) || t.StartsWith("VARCHAR", StringComparison.Ordinal) || t.Contains("TEXT", StringComparison.Ordinal)
            || t.StartsWith("ENUM", StringComparison.Ordinal) || t.StartsWith("SET(", StringComparison.Ordinal);
    }
}
