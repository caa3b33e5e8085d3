using System.Text.RegularExpressions;

namespace Swap.MySql;

/// <summary>Reads an index's definition as SHOW CREATE TABLE prints it.</summary>
internal static partial class MySqlIndexText
{
    /// <summary>
    /// Each secondary index's text after its name: its column list and the options after it, as
    /// <c>(`code`) IGNORED</c>, <c>(`name`(10)) KEY_BLOCK_SIZE=4 COMMENT 'x'</c> or MariaDB's
    /// <c>(`r`,`p` WITHOUT OVERLAPS)</c>; information_schema has no column for some of these
    /// (MariaDB's WITHOUT OVERLAPS, an index's KEY_BLOCK_SIZE), so an index rebuilt from it alone
    /// would lose them.
    /// </summary>
    public static Dictionary<string, string> Definitions(string ddl)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in IndexLine().Matches(ddl))
            result[m.Groups["name"].Value.Replace("``", "`", StringComparison.Ordinal)] = m.Groups["rest"].Value;
        return result;
    }

    [GeneratedRegex(@"^\s*(?:UNIQUE |FULLTEXT |SPATIAL )?KEY `(?<name>(?:[^`]|``)+)` (?<rest>\(.*?),?[ \t\r]*$", RegexOptions.Multiline)]
    private static partial Regex IndexLine();

    /// <summary>
    /// True for MariaDB's unique key over an application-time period (<c>UNIQUE (r, p WITHOUT OVERLAPS)</c>),
    /// which information_schema lists as a plain unique index over the key's and the period's columns.
    /// </summary>
    public static bool WithoutOverlaps(string? definition) => definition is not null && WithoutOverlapsList().IsMatch(definition);

    [GeneratedRegex(@"^\((?:`(?:[^`]|``)*`(?:\(\d+\))?(?: DESC)?,)*`(?:[^`]|``)*` WITHOUT OVERLAPS\)")]
    private static partial Regex WithoutOverlapsList();
}
