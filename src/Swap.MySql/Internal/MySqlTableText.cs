using System.Text.RegularExpressions;

namespace Swap.MySql;

/// <summary>Reads table options from a <c>SHOW CREATE TABLE</c> text.</summary>
internal static partial class MySqlTableText
{
    /// <summary>
    /// The table's (or a partition's) <c>DATA DIRECTORY</c> / <c>INDEX DIRECTORY</c> option as
    /// printed, or null when the table is in the server's data directory. Quoted names and strings
    /// (a comment that mentions the words) are not read as options.
    /// </summary>
    public static string? StoredElsewhere(string ddl)
    {
        // Only the text between quoted strings and names is read: the option's value is the string
        // that follows it, and the same words inside a comment or a name are not an option.
        var from = 0;
        foreach (Match quoted in Quoted().Matches(ddl))
        {
            if (quoted.Value[0] == '\'' && Option().Match(ddl, from, quoted.Index - from) is { Success: true } option)
                return option.Value + quoted.Value;
            from = quoted.Index + quoted.Length;
        }
        return null;
    }

    [GeneratedRegex(@"'(?:[^'\\]|\\.|'')*'|`(?:[^`]|``)*`")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\b(?:DATA|INDEX) DIRECTORY\s*=\s*$")]
    private static partial Regex Option();
}
