using Swap.Dialects;

namespace Swap.Engine;

/// <summary>
/// Predicates over a (possibly composite) key: <c>key &gt; lower</c> and <c>key &lt;= upper</c>,
/// spelled out column by column so every engine can use its index on the key.
/// </summary>
internal static class KeyRange
{
    /// <summary><c>(k1, k2) &gt; (@l0, @l1)</c> as <c>k1 &gt; @l0 OR (k1 = @l0 AND k2 &gt; @l1)</c>.</summary>
    public static string After(SqlDialect dialect, string alias, IReadOnlyList<string> key, string prefix) => Compare(dialect, alias, key, prefix, ">", ">");

    /// <summary><c>(k1, k2) &lt;= (@u0, @u1)</c>.</summary>
    public static string UpTo(SqlDialect dialect, string alias, IReadOnlyList<string> key, string prefix) => Compare(dialect, alias, key, prefix, "<", "<=");

    /// <summary>The chunk (lower, upper]: either bound may be open.</summary>
    public static string Between(SqlDialect dialect, string alias, IReadOnlyList<string> key, bool hasLower, bool hasUpper)
    {
        var parts = new List<string>();
        if (hasLower)
            parts.Add(After(dialect, alias, key, "l"));
        if (hasUpper)
            parts.Add(UpTo(dialect, alias, key, "u"));
        return parts.Count == 0 ? "1 = 1" : string.Join(" AND ", parts.Select(p => "(" + p + ")"));
    }

    /// <summary>
    /// <c>k IN (@a0, @a1, ...)</c>, or <c>(k1, k2) IN ((@a0_0, @a0_1), ...)</c> for a composite key:
    /// the keys of one batch of the change log.
    /// </summary>
    public static string In(SqlDialect dialect, string alias, IReadOnlyList<string> key, int count, string prefix)
    {
        string Col(int i) => (alias.Length > 0 ? alias + "." : "") + dialect.Quote(key[i]);
        if (key.Count == 1)
            return $"{Col(0)} IN ({string.Join(", ", Enumerable.Range(0, count).Select(r => $"@{prefix}{r}_0"))})";
        var columns = string.Join(", ", Enumerable.Range(0, key.Count).Select(Col));
        var rows = Enumerable.Range(0, count).Select(r => "(" + string.Join(", ", Enumerable.Range(0, key.Count).Select(i => $"@{prefix}{r}_{i}")) + ")");
        return $"({columns}) IN ({string.Join(", ", rows)})";
    }

    /// <summary>The parameters of <see cref="In"/>.</summary>
    public static IEnumerable<KeyValuePair<string, object?>> InParameters(string prefix, IReadOnlyList<object?[]> keys) =>
        keys.SelectMany((k, r) => k.Select((v, i) => new KeyValuePair<string, object?>($"{prefix}{r}_{i}", v)));

    public static IEnumerable<KeyValuePair<string, object?>> Parameters(string prefix, IReadOnlyList<object?>? values) =>
        values is null ? [] : values.Select((v, i) => new KeyValuePair<string, object?>(prefix + i, v));

    private static string Compare(SqlDialect dialect, string alias, IReadOnlyList<string> key, string prefix, string strict, string last)
    {
        string Col(int i) => (alias.Length > 0 ? alias + "." : "") + dialect.Quote(key[i]);
        var terms = new List<string>();
        for (var i = 0; i < key.Count; i++)
        {
            var equal = Enumerable.Range(0, i).Select(j => $"{Col(j)} = @{prefix}{j}");
            var op = i == key.Count - 1 ? last : strict;
            terms.Add(string.Join(" AND ", equal.Append($"{Col(i)} {op} @{prefix}{i}")));
        }
        var exact = string.Join(" OR ", terms.Select(t => terms.Count > 1 ? "(" + t + ")" : t));
        // A bound on the leading column alone lets every engine's optimizer scan the key's index as a range.
        return key.Count == 1 ? exact : $"{Col(0)} {(strict == ">" ? ">=" : "<=")} @{prefix}0 AND ({exact})";
    }

    /// <summary><c>o.k1 = c.k1 AND ...</c> joining the original (alias o) to the copy (alias c).</summary>
    public static string Join(SqlDialect dialect, IReadOnlyList<string> key, IReadOnlyList<string> copyKey) =>
        string.Join(" AND ", key.Select((k, i) => $"c.{dialect.Quote(copyKey[i])} = o.{dialect.Quote(k)}"));

    public static string OrderBy(SqlDialect dialect, string alias, IReadOnlyList<string> key) =>
        string.Join(", ", key.Select(k => (alias.Length > 0 ? alias + "." : "") + dialect.Quote(k)));
}
