namespace Swap.Engine;

/// <summary>The engine-neutral queries of a swap: chunk boundaries and the two verification checks.</summary>
internal static class SwapQueries
{
    /// <summary>The key of the N-th row after the lower bound (<c>@l0..</c>); N-1 is inlined as the offset.</summary>
    public static string Boundary(TableEngine engine, SwapSpec spec, bool hasLower, int size)
    {
        var d = engine.Dialect;
        var where = hasLower ? " WHERE " + KeyRange.After(d, "o", spec.Key, "l") : "";
        var order = KeyRange.OrderBy(d, "o", spec.Key);
        return $"SELECT {order} FROM {d.Quote(spec.Original.Name)} o{where} ORDER BY {order} LIMIT 1 OFFSET {size - 1}";
    }

    /// <summary>Keys of original rows whose mapped values are missing from, or differ in, the copy.</summary>
    public static string MissingOrDifferent(TableEngine engine, SwapSpec spec, bool hasLower, bool hasUpper)
    {
        var d = engine.Dialect;
        var keys = spec.Key.Select((k, i) => $"o.{d.Quote(k)} AS {d.Quote("k" + i)}");
        var values = spec.Mapping.Select((m, i) => $"{m.Source} AS {d.Quote("m" + i)}");
        var inner = $"SELECT {string.Join(", ", keys.Concat(values))} FROM {d.Quote(spec.Original.Name)} o WHERE {KeyRange.Between(d, "o", spec.Key, hasLower, hasUpper)}";
        var join = string.Join(" AND ", spec.CopyKey.Select((k, i) => $"c.{d.Quote(k)} = s.{d.Quote("k" + i)}"));
        var same = spec.Mapping.Select((m, i) => engine.SameValue($"s.{d.Quote("m" + i)}", $"c.{d.Quote(m.CopyColumn)}", m)).ToList();
        var differs = same.Count == 0 ? "" : $" OR NOT ({string.Join(" AND ", same)})";
        var keyList = string.Join(", ", spec.Key.Select((_, i) => $"s.{d.Quote("k" + i)}"));
        return $"SELECT {keyList} FROM ({inner}) s LEFT JOIN {d.Quote(spec.Names.Copy)} c ON {join} WHERE c.{d.Quote(spec.CopyKey[0])} IS NULL{differs} LIMIT 1";
    }

    /// <summary>
    /// Both checks in one statement, for engines with FULL OUTER JOIN: the chunk of the original
    /// (through the mapping) and the same chunk of the copy, merged on the key. Returns the first
    /// difference as (<c>missing</c>|<c>extra</c>|<c>different</c>, key...), or no row.
    /// </summary>
    public static string Compare(TableEngine engine, SwapSpec spec, bool hasLower, bool hasUpper)
    {
        var d = engine.Dialect;
        var keys = spec.Key.Select((k, i) => $"o.{d.Quote(k)} AS {d.Quote("k" + i)}");
        var values = spec.Mapping.Select((m, i) => $"{m.Source} AS {d.Quote("m" + i)}");
        var original = $"SELECT {string.Join(", ", keys.Concat(values))} FROM {d.Quote(spec.Original.Name)} o WHERE {KeyRange.Between(d, "o", spec.Key, hasLower, hasUpper)}";
        var copy = $"SELECT * FROM {d.Quote(spec.Names.Copy)} c WHERE {KeyRange.Between(d, "c", spec.CopyKey, hasLower, hasUpper)}";
        var join = string.Join(" AND ", spec.CopyKey.Select((k, i) => $"c.{d.Quote(k)} = s.{d.Quote("k" + i)}"));
        var same = spec.Mapping.Select((m, i) => engine.SameValue($"s.{d.Quote("m" + i)}", $"c.{d.Quote(m.CopyColumn)}", m)).ToList();
        var differs = same.Count == 0 ? "" : $" OR NOT ({string.Join(" AND ", same)})";
        var keyList = string.Join(", ", spec.Key.Select((_, i) => $"COALESCE(s.{d.Quote("k" + i)}, c.{d.Quote(spec.CopyKey[i])})"));
        var missing = $"c.{d.Quote(spec.CopyKey[0])} IS NULL";
        var extra = $"s.{d.Quote("k0")} IS NULL";
        return $"SELECT CASE WHEN {missing} THEN 'missing' WHEN {extra} THEN 'extra' ELSE 'different' END, {keyList} " +
            $"FROM ({original}) s FULL OUTER JOIN ({copy}) c ON {join} WHERE {missing} OR {extra}{differs} LIMIT 1";
    }

    /// <summary>Keys of copy rows that have no original row.</summary>
    public static string Extra(TableEngine engine, SwapSpec spec, bool hasLower, bool hasUpper)
    {
        var d = engine.Dialect;
        var join = KeyRange.Join(d, spec.Key, spec.CopyKey);
        var keyList = string.Join(", ", spec.CopyKey.Select(k => "c." + d.Quote(k)));
        return $"SELECT {keyList} FROM {d.Quote(spec.Names.Copy)} c WHERE {KeyRange.Between(d, "c", spec.CopyKey, hasLower, hasUpper)} AND NOT EXISTS (SELECT 1 FROM {d.Quote(spec.Original.Name)} o WHERE {join}) LIMIT 1";
    }
}
