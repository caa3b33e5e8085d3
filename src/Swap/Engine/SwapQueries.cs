using Swap.Dialects;
using Swap.Engine.Schema;

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

    /// <summary>The number of rows after the lower bound (<c>@l0..</c>): the last range, which <see cref="Boundary"/> leaves open-ended.</summary>
    public static string CountAfter(TableEngine engine, SwapSpec spec, bool hasLower)
    {
        var d = engine.Dialect;
        var where = hasLower ? " WHERE " + KeyRange.After(d, "o", spec.Key, "l") : "";
        return $"SELECT COUNT(*) FROM {d.Quote(spec.Original.Name)} o{where}";
    }

    /// <summary>
    /// The rows of <paramref name="alias"/> whose foreign key (<paramref name="columns"/>, none of
    /// them NULL: a NULL column exempts a row, as MATCH SIMPLE does) finds no row of
    /// <paramref name="referencedTable"/>: a predicate.
    /// </summary>
    public static string Orphans(SqlDialect d, string alias, IReadOnlyList<string> columns, string referencedTable, IReadOnlyList<string> referencedColumns)
    {
        var present = columns.Select(c => $"{alias}.{d.Quote(c)} IS NOT NULL");
        var match = columns.Select((c, i) => $"p.{d.Quote(referencedColumns[i])} = {alias}.{d.Quote(c)}");
        return $"{string.Join(" AND ", present)} AND NOT EXISTS (SELECT 1 FROM {d.Quote(referencedTable)} p WHERE {string.Join(" AND ", match)})";
    }

    /// <summary>The copy's first row (by key) whose new foreign key finds no parent row: its key, then the foreign key's columns.</summary>
    public static string FirstOrphan(TableEngine engine, SwapSpec spec, ForeignKeySchema foreignKey)
    {
        var d = engine.Dialect;
        var key = KeyRange.OrderBy(d, "c", spec.CopyKey);
        var columns = string.Join(", ", foreignKey.Columns.Select(c => $"c.{d.Quote(c)}"));
        return $"SELECT {key}, {columns} FROM {d.Quote(spec.Names.Copy)} c WHERE {Orphans(d, "c", foreignKey.Columns, foreignKey.ReferencedTable, foreignKey.ReferencedColumns)} ORDER BY {key} LIMIT 1";
    }

    /// <summary>The key a <see cref="Boundary"/> query returned; null when fewer rows were left (the last range is open-ended).</summary>
    public static object?[]? BoundaryKey(IReadOnlyList<Row> rows, SwapSpec spec) =>
        rows.Count == 0 ? null : Enumerable.Range(0, spec.Key.Count).Select(i => rows[0][i]).ToArray();

    /// <summary>Keys of original rows whose mapped values are missing from, or differ in, the copy.</summary>
    public static string MissingOrDifferent(TableEngine engine, SwapSpec spec, bool hasLower, bool hasUpper)
    {
        var d = engine.Dialect;
        var keys = spec.Key.Select((k, i) => $"o.{d.Quote(k)} AS {d.Quote("k" + i)}");
        var values = spec.Mapping.Select((m, i) => $"{m.Source} AS {d.Quote("m" + i)}");
        var inner = $"SELECT {string.Join(", ", keys.Concat(values))} FROM {d.Quote(spec.Original.Name)} o WHERE {KeyRange.Between(d, "o", spec.Key, hasLower, hasUpper)}";
        var join = CopyJoin(engine, spec);
        var same = spec.Mapping.Select((m, i) => engine.SameValue($"s.{d.Quote("m" + i)}", $"c.{d.Quote(m.CopyColumn)}", m)).ToList();
        var differs = same.Count == 0 ? "" : $" OR NOT ({string.Join(" AND ", same)})";
        var keyList = string.Join(", ", spec.Key.Select((_, i) => $"s.{d.Quote("k" + i)}"));
        var pending = NotLogged(engine, spec, Enumerable.Range(0, spec.Key.Count).Select(i => $"s.{d.Quote("k" + i)}").ToList());
        return $"SELECT {keyList} FROM ({inner}) s LEFT JOIN {d.Quote(spec.Names.Copy)} c ON {join} WHERE (c.{d.Quote(spec.CopyKey[0])} IS NULL{differs}){pending} LIMIT 1";
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
        var join = CopyJoin(engine, spec);
        var same = spec.Mapping.Select((m, i) => engine.SameValue($"s.{d.Quote("m" + i)}", $"c.{d.Quote(m.CopyColumn)}", m)).ToList();
        var differs = same.Count == 0 ? "" : $" OR NOT ({string.Join(" AND ", same)})";
        var keyList = string.Join(", ", spec.Key.Select((_, i) => $"COALESCE(s.{d.Quote("k" + i)}, c.{d.Quote(spec.CopyKey[i])})"));
        var missing = $"c.{d.Quote(spec.CopyKey[0])} IS NULL";
        var extra = $"s.{d.Quote("k0")} IS NULL";
        var pending = NotLogged(engine, spec, spec.Key.Select((_, i) => $"COALESCE(s.{d.Quote("k" + i)}, c.{d.Quote(spec.CopyKey[i])})").ToList());
        return $"SELECT CASE WHEN {missing} THEN 'missing' WHEN {extra} THEN 'extra' ELSE 'different' END, {keyList} " +
            $"FROM ({original}) s FULL OUTER JOIN ({copy}) c ON {join} WHERE ({missing} OR {extra}{differs}){pending} LIMIT 1";
    }

    /// <summary>Keys of copy rows that have no original row.</summary>
    public static string Extra(TableEngine engine, SwapSpec spec, bool hasLower, bool hasUpper)
    {
        var d = engine.Dialect;
        var keyList = string.Join(", ", spec.CopyKey.Select(k => "c." + d.Quote(k)));
        return $"SELECT {keyList} FROM {d.Quote(spec.Names.Copy)} c WHERE {KeyRange.Between(d, "c", spec.CopyKey, hasLower, hasUpper)} AND NOT EXISTS (SELECT 1 FROM {d.Quote(spec.Original.Name)} o WHERE {OriginalByCopyKey(engine, spec)}){NotLogged(engine, spec, CopyKeysAsOriginal(engine, spec))} LIMIT 1";
    }

    /// <summary>
    /// True when the copy's key compares otherwise than the original's (another collation): a key
    /// range then holds other rows of the copy than of the original, so the two are not compared
    /// range against range (<see cref="Compare"/>) but each row against the other table's by key
    /// (<see cref="MissingOrDifferent"/> and <see cref="Extra"/>).
    /// </summary>
    internal static bool KeyComparesOtherwise(TableEngine engine, SwapSpec spec) =>
        CopyKeysAsOriginal(engine, spec).Where((c, i) => !string.Equals(c, "c." + engine.Dialect.Quote(spec.CopyKey[i]), StringComparison.Ordinal)).Any();

    /// <summary><c>c.k = s.k0 AND ...</c>: the copy's row (alias c) of the original's row (alias s, keys <c>k0</c>...), found by the copy's key index.</summary>
    internal static string CopyJoin(TableEngine engine, SwapSpec spec)
    {
        var d = engine.Dialect;
        return string.Join(" AND ", spec.CopyKey.Select((k, i) =>
        {
            var s = $"s.{d.Quote("k" + i)}";
            var original = spec.Original.Column(spec.Key[i]) is { } o && spec.Copy.Column(k) is { } c ? engine.OriginalKeyAsCopy(s, o, c) : s;
            return $"c.{d.Quote(k)} = {original}";
        }));
    }

    /// <summary>The copy's key columns (alias c), each as the original's key column compares it (<see cref="TableEngine.CopyKeyAsOriginal"/>).</summary>
    internal static List<string> CopyKeysAsOriginal(TableEngine engine, SwapSpec spec) =>
        spec.CopyKey.Select((k, i) =>
            spec.Original.Column(spec.Key[i]) is { } original && spec.Copy.Column(k) is { } copy
                ? engine.CopyKeyAsOriginal("c." + engine.Dialect.Quote(k), original, copy)
                : "c." + engine.Dialect.Quote(k)).ToList();

    /// <summary><c>o.k = c.k AND ...</c>: the original's row (alias o) of the copy's row (alias c), found by the original's key index.</summary>
    internal static string OriginalByCopyKey(TableEngine engine, SwapSpec spec) =>
        string.Join(" AND ", CopyKeysAsOriginal(engine, spec).Select((c, i) => $"{c} = o.{engine.Dialect.Quote(spec.Key[i])}"));

    /// <summary>One row when the spec's change log holds any: the application has written the table since capture began.</summary>
    public static string AnyLogged(TableEngine engine, SwapSpec spec) => $"SELECT 1 FROM {engine.Dialect.Quote(spec.Names.Log)} LIMIT 1";

    /// <summary>
    /// On online engines, leaves out keys with a change-log row: the applier has not re-synced them
    /// yet, and a key without one is current in the copy in any consistent snapshot (the applier
    /// deletes a log row in the transaction that re-syncs its key). Empty on engines without a log.
    /// </summary>
    internal static string NotLogged(TableEngine engine, SwapSpec spec, IReadOnlyList<string> keys)
    {
        if (!spec.Captured)
            return "";
        var d = engine.Dialect;
        var match = string.Join(" AND ", keys.Select((k, i) => $"l.{d.Quote(LogKey(i))} = {k}"));
        return $" AND NOT EXISTS (SELECT 1 FROM {d.Quote(spec.Names.Log)} l WHERE {match})";
    }

    /// <summary>The change log's name for the i-th key column.</summary>
    public static string LogKey(int i) => "k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The oldest <paramref name="size"/> log rows: id, the key columns, then the operation (i, u or d).</summary>
    public static string ReadLog(TableEngine engine, SwapSpec spec, int size)
    {
        var d = engine.Dialect;
        var keys = string.Join(", ", spec.Key.Select((_, i) => d.Quote(LogKey(i))));
        return $"SELECT {d.Quote("id")}, {keys}, {d.Quote("op")} FROM {d.Quote(spec.Names.Log)} ORDER BY {d.Quote("id")} LIMIT {size.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>Deletes the log rows with ids in the given runs (<c>@r{i}a..@r{i}b</c>), exactly the rows one batch read.</summary>
    public static string DeleteLog(TableEngine engine, SwapSpec spec, int runs)
    {
        var d = engine.Dialect;
        var id = d.Quote("id");
        var where = string.Join(" OR ", Enumerable.Range(0, runs).Select(r => $"{id} BETWEEN @r{r}a AND @r{r}b"));
        return $"DELETE FROM {d.Quote(spec.Names.Log)} WHERE {where}";
    }

    /// <summary>
    /// Which of <paramref name="count"/> keys (<c>@{prefix}{r}_{i}</c>) the copy (or, with
    /// <paramref name="inOriginal"/>, the original) holds: a lookup by the key's index only. The
    /// applier asks it after its insert, to find the keys the copy refused (an anti-join of the
    /// original against the copy would be planned from the new copy's empty statistics, and
    /// MariaDB then scans the whole copy for every batch). Tables are named, not aliased.
    /// </summary>
    public static string KeysPresent(TableEngine engine, SwapSpec spec, bool inOriginal, int count, string prefix) =>
        KeysWithValues(engine, spec, inOriginal, count, prefix, []);

    /// <summary>
    /// The keys among <paramref name="count"/> (<c>@{prefix}{r}_{i}</c>) that the copy (or the
    /// original) has, each followed by the values of <paramref name="copyColumns"/>: the copy's
    /// own, or what the mapping makes of the original's row.
    /// </summary>
    public static string KeysWithValues(TableEngine engine, SwapSpec spec, bool inOriginal, int count, string prefix, IReadOnlyList<string> copyColumns)
    {
        var d = engine.Dialect;
        var table = d.Quote(inOriginal ? spec.Original.Name : spec.Names.Copy);
        var key = inOriginal ? spec.Key : spec.CopyKey;
        var values = copyColumns.Select(c => inOriginal
            ? spec.Mapping.First(m => string.Equals(m.CopyColumn, c, StringComparison.OrdinalIgnoreCase)).Source
            : $"{table}.{d.Quote(c)}");
        return $"SELECT {string.Join(", ", key.Select(k => $"{table}.{d.Quote(k)}").Concat(values))} FROM {table} WHERE {KeyRange.In(d, table, key, count, prefix)}";
    }

    /// <summary>
    /// Appends <paramref name="count"/> keys (<c>@g{r}_{i}</c>) to the change log as updates. A
    /// multi-row <c>VALUES</c> insert: on MySQL/MariaDB with <c>innodb_autoinc_lock_mode=1</c> an
    /// <c>INSERT ... SELECT</c> would hold the log's table-level AUTO-INC lock, which every
    /// application write's trigger needs, for the whole statement.
    /// </summary>
    public static string Relog(TableEngine engine, SwapSpec spec, int count)
    {
        var d = engine.Dialect;
        var logColumns = string.Join(", ", spec.Key.Select((_, i) => d.Quote(LogKey(i))));
        var rows = Enumerable.Range(0, count).Select(r => "('u', " + string.Join(", ", spec.Key.Select((_, i) => $"@g{r}_{i}")) + ")");
        return $"INSERT INTO {d.Quote(spec.Names.Log)} ({d.Quote("op")}, {logColumns}) VALUES {string.Join(", ", rows)}";
    }

    /// <summary>Deletes the rows of a batch's keys (<c>@a{r}_{i}</c>) from the copy.</summary>
    public static string DeleteFromCopy(TableEngine engine, SwapSpec spec, int count) =>
        $"DELETE FROM {engine.Dialect.Quote(spec.Names.Copy)} WHERE {KeyRange.In(engine.Dialect, "", spec.CopyKey, count, "a")}";
}
