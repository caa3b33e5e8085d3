namespace Swap.Engine;

/// <summary>
/// Verification of given keys (<c>@a{r}_{i}</c>) rather than a key range: what a postponed swap
/// re-checks, the keys the applier changed since the last check, instead of the whole table.
/// </summary>
internal static class RecentKeyQueries
{
    /// <summary>Keys among the given ones whose original row's mapped values are missing from, or differ in, the copy.</summary>
    public static string MissingOrDifferent(TableEngine engine, SwapSpec spec, int count)
    {
        var d = engine.Dialect;
        var keys = spec.Key.Select((k, i) => $"o.{d.Quote(k)} AS {d.Quote("k" + i)}");
        var values = spec.Mapping.Select((m, i) => $"{m.Source} AS {d.Quote("m" + i)}");
        var inner = $"SELECT {string.Join(", ", keys.Concat(values))} FROM {d.Quote(spec.Original.Name)} o WHERE {KeyRange.In(d, "o", spec.Key, count, "a")}";
        var join = SwapQueries.CopyJoin(engine, spec);
        var same = spec.Mapping.Select((m, i) => engine.SameValue($"s.{d.Quote("m" + i)}", $"c.{d.Quote(m.CopyColumn)}", m)).ToList();
        var differs = same.Count == 0 ? "" : $" OR NOT ({string.Join(" AND ", same)})";
        var keyList = string.Join(", ", spec.Key.Select((_, i) => $"s.{d.Quote("k" + i)}"));
        var pending = SwapQueries.NotLogged(engine, spec, Enumerable.Range(0, spec.Key.Count).Select(i => $"s.{d.Quote("k" + i)}").ToList());
        return $"SELECT {keyList} FROM ({inner}) s LEFT JOIN {d.Quote(spec.Names.Copy)} c ON {join} WHERE (c.{d.Quote(spec.CopyKey[0])} IS NULL{differs}){pending} LIMIT 1";
    }

    /// <summary>Keys among the given ones that the copy has and the original does not.</summary>
    public static string Extra(TableEngine engine, SwapSpec spec, int count)
    {
        var d = engine.Dialect;
        var keyList = string.Join(", ", spec.CopyKey.Select(k => "c." + d.Quote(k)));
        return $"SELECT {keyList} FROM {d.Quote(spec.Names.Copy)} c WHERE {KeyRange.In(d, "c", spec.CopyKey, count, "a")} AND NOT EXISTS (SELECT 1 FROM {d.Quote(spec.Original.Name)} o WHERE {SwapQueries.OriginalByCopyKey(engine, spec)}){SwapQueries.NotLogged(engine, spec, SwapQueries.CopyKeysAsOriginal(engine, spec))} LIMIT 1";
    }
}
