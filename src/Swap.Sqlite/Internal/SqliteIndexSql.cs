using System.Text.RegularExpressions;

namespace Swap.Sqlite.Internal;

/// <summary>
/// Rewrites the head of a <c>CREATE INDEX</c> statement (its name and table), keeping the rest as
/// written: the columns, expressions, collations and a partial index's WHERE.
/// </summary>
internal static partial class SqliteIndexSql
{
    private const string Name = """(?:"(?:[^"]|"")*"|\[[^\]]*\]|`(?:[^`]|``)*`|[^\s(."`\[]+)""";

    [GeneratedRegex(@"^\s*CREATE\s+(?<unique>UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:" + Name + @"\s*\.\s*)?" + Name + @"\s+ON\s+" + Name + @"\s*(?<tail>\(.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Head();

    /// <summary>The same index as <paramref name="createIndex"/>, named <paramref name="index"/> on <paramref name="table"/> (both already quoted).</summary>
    public static string Retarget(string createIndex, string index, string table)
    {
        var m = Head().Match(createIndex);
        if (!m.Success)
            throw new SwapException(SwapErrorKind.Failure, $"Could not read the index definition '{createIndex}'.");
        return $"CREATE {(m.Groups["unique"].Success ? "UNIQUE " : "")}INDEX {index} ON {table} {m.Groups["tail"].Value}";
    }
}
