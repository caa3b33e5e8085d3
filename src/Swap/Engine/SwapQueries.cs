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

    /// <summary>Keys of copy rows that have no original row.</summary>
    public static string Extra(TableEngine engine, SwapSpec spec, bool hasLower, bool hasUpper)
    {
        var d = engine.Dialect;
        var join = KeyRange.Join(d, spec.Key, spec.CopyKey);
        var keyList = string.Join(", ", spec.CopyKey.Select(k => "c." + d.Quote(k)));
        return $"SELECT {keyList} FROM {d.Quote(spec.Names.Copy)} c WHERE {KeyRange.Between(d, "c", spec.CopyKey, hasLower, hasUpper)} AND NOT EXISTS (SELECT 1 FROM {d.Quote(spec.Original.Name)} o WHERE {join}) LIMIT 1";
    }
}
