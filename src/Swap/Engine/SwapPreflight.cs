using System.Data.Common;
using System.Globalization;
using Swap.Data;
using Swap.Engine.Schema;

namespace Swap.Engine;

/// <summary>
/// Read-only checks run before a swap writes anything: what the engine cannot do, new NOT NULL
/// columns with no value, NULLs in a column made NOT NULL, and duplicates under a new unique key.
/// Each refusal says what to do.
/// </summary>
internal static class SwapPreflight
{
    /// <summary>Columns whose portable type this engine has no type for.</summary>
    private static IEnumerable<string> TypeRefusals(TableEngine engine, DbTable? target)
    {
        foreach (var column in target?.Columns.Where(c => c.Type is not null) ?? [])
        {
            string? problem = null;
            try
            {
                engine.Dialect.TypeSql(column.Type!);
            }
            catch (SwapException e)
            {
                problem = $"Column '{column.Name}': {e.Message}";
            }
            if (problem is not null)
                yield return problem;
        }
    }

    public static async Task CheckAsync(TableEngine engine, TableUse use, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var original = use.Original;
        if (original.ChunkKey() is null)
            throw SwapSpecBuilder.NoKey(original, engine.Dialect.Engine);
        var refusals = engine.Refusals(original, use.Model).Concat(engine.CaptureRefusals(original)).Concat(TypeRefusals(engine, use.Model)).ToList();
        if (use.Model is { } changed)
            refusals.AddRange(await engine.CopyRefusalsAsync(connection, transaction, original, changed, cancellationToken));
        refusals.AddRange(await engine.ServerRefusalsAsync(connection, transaction, original, use.Model, cancellationToken));
        if (refusals.Count > 0)
            throw new SwapException(SwapErrorKind.Refused, $"Swap cannot change '{original.Name}' on {engine.Dialect.Engine.ProductName()}: " + string.Join(" ", refusals));
        await NothingInTheWayAsync(engine, use, connection, transaction, cancellationToken);
        await KeyReadableAsync(engine, original, connection, transaction, cancellationToken);
        if (use.Model is not { } model)
            return;
        KeepsUniqueKey(original, model);

        var d = engine.Dialect;
        string Source(DbColumn c) => c.Fill is not null ? "(" + c.Fill + ")" : d.Quote(c.OriginalName!);

        // A FillWith the engine cannot evaluate (an unknown column or function, bad syntax) would fail
        // every chunk, and the capture triggers would fail the application's writes with it: try
        // each expression over no rows before anything is written.
        foreach (var c in model.Columns.Where(c => c.Fill is not null))
        {
            try
            {
                await connection.QueryAsync($"SELECT {Source(c)} AS v FROM {d.Quote(original.Name)} o WHERE 1 = 0", null, transaction, cancellationToken);
            }
            catch (Exception e) when (engine.Database.IsDatabaseError(e))
            {
                throw new SwapException(
                    SwapErrorKind.Refused,
                    $"The FillWith expression of column '{c.Name}' of '{model.Name}' cannot be evaluated on the table: {e.Message}. Fix the expression (SQL over the original row's columns); nothing was changed.",
                    e);
            }
        }

        // A generated expression the engine cannot evaluate would fail the copy's creation: try it
        // over no rows first (when no column is renamed, the copy's names are the original's).
        if (!model.Columns.Any(c => c.OriginalName is not null && !string.Equals(c.OriginalName, c.Name, StringComparison.Ordinal)))
        {
            foreach (var c in model.Columns.Where(c => c.NewGenerated is not null))
            {
                var others = model.Columns.Where(o => o.OriginalName is null && o != c).Select(o => o.Name).ToList();
                if (others.Any(o => c.NewGenerated!.Contains(o, StringComparison.OrdinalIgnoreCase)))
                    continue;
                try
                {
                    await connection.QueryAsync($"SELECT ({c.NewGenerated}) AS v FROM {d.Quote(original.Name)} WHERE 1 = 0", null, transaction, cancellationToken);
                }
                catch (Exception e) when (engine.Database.IsDatabaseError(e))
                {
                    throw new SwapException(
                        SwapErrorKind.Refused,
                        $"The generated expression of column '{c.Name}' of '{model.Name}' cannot be evaluated on the table: {e.Message}. Fix the expression (SQL over the row's columns); nothing was changed.",
                        e);
                }
            }
        }

        foreach (var c in model.Columns.Where(c => c.GeneratedExpression is null))
        {
            if (c.OriginalName is null && c.Fill is null && !c.Nullable && c.DefaultSql is null)
            {
                throw new SwapException(
                    SwapErrorKind.Refused,
                    $"The new column '{c.Name}' of '{model.Name}' is NOT NULL but has no default and no FillWith, so existing rows have no value for it. Add .SetDefault(...) or .FillWith(\"...\") (in a SQL script, a DEFAULT clause), or make it nullable.");
            }
            var becomesNotNull = !c.Nullable && (c.OriginalName is null ? c.Fill is not null : c.Original!.Nullable || c.Fill is not null);
            if (becomesNotNull && (c.OriginalName is not null || c.Fill is not null))
            {
                var nulls = await connection.ScalarAsync(
                    $"SELECT COUNT(*) FROM {d.Quote(original.Name)} WHERE {Source(c)} IS NULL",
                    null,
                    transaction,
                    cancellationToken);
                var n = System.Convert.ToInt64(nulls, CultureInfo.InvariantCulture);
                if (n > 0)
                {
                    throw new SwapException(
                        SwapErrorKind.Refused,
                        $"Column '{c.Name}' of '{model.Name}' would be NOT NULL, but {n} row(s) would get NULL in it. Give those rows a value with FillWith(\"COALESCE(...)\") (in a SQL script, an UPDATE in an earlier script), or keep the column nullable.");
                }
            }
        }

        var uniques = model.Indexes.Where(i => i.Unique && i.Original is null).Select(i => (i.Name, Columns: i.Columns)).ToList();
        if (model.PrimaryKey.Count > 0 && !model.PrimaryKey.SequenceEqual(original.PrimaryKey, StringComparer.OrdinalIgnoreCase))
            uniques.Add(("primary key", model.PrimaryKey.Select(c => (c, (int?)null)).ToList()));
        foreach (var (name, columns) in uniques)
        {
            var exprs = columns.Select(c => engine.IndexPart(Source(model.GetColumn(c.Column)), c.Prefix)).ToList();
            var select = string.Join(", ", exprs.Select((e, i) => $"{e} AS k{i}"));
            var sql = $"SELECT {select}, COUNT(*) AS n FROM {d.Quote(original.Name)} WHERE {string.Join(" AND ", exprs.Select(e => e + " IS NOT NULL"))} GROUP BY {string.Join(", ", exprs)} HAVING COUNT(*) > 1 LIMIT 1";
            var rows = await connection.QueryAsync(sql, null, transaction, cancellationToken);
            if (rows.Count > 0)
            {
                var example = KeyValues.Show(Enumerable.Range(0, exprs.Count).Select(i => rows[0][i]).ToList());
                throw new SwapException(
                    SwapErrorKind.Refused,
                    $"The new unique {(name == "primary key" ? "primary key" : "index '" + name + "'")} on ({string.Join(", ", columns.Select(c => c.Column))}) of '{model.Name}' would reject the current data: {example} appears {rows[0].Int64("n")} times. Remove the duplicates first, or make the index non-unique. Nothing was changed.");
            }
        }
    }

    /// <summary>What keeps these tables from being swapped together, checked before any of them is looked at alone.</summary>
    public static void CheckTogether(TableEngine engine, IReadOnlyList<TableUse> uses)
    {
        if (uses.Count < 2)
            return;
        var refusals = engine.TogetherRefusals(uses.Select(u => u.Original).ToList()).ToList();
        if (refusals.Count > 0)
            throw new SwapException(SwapErrorKind.Refused, $"Swap cannot change {string.Join(" and ", uses.Select(u => $"'{u.Original.Name}'"))} together on {engine.Dialect.Engine.ProductName()}: " + string.Join(" ", refusals) + " Nothing was changed.");
    }

    /// <summary>
    /// The chunks walk the table by its key, and every chunk's last key is saved in the journal: a
    /// key whose values .NET cannot hold (a PostgreSQL <c>numeric</c> beyond <c>decimal</c>'s
    /// 28 digits) or the journal cannot save would fail the swap after capture was installed, on
    /// every retry. The first and last keys (two reads of the key's index) are read as a chunk
    /// reads them, before anything is written. Values between them (a later column of a
    /// composite key) are not read here: the chunker checks each chunk's last key before it copies.
    /// </summary>
    private static async Task KeyReadableAsync(TableEngine engine, TableSchema original, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var d = engine.Dialect;
        var key = original.ChunkKey()!;
        // A type whose values do not find their rows when bound back is refused whatever it holds now.
        foreach (var k in key)
        {
            if (original.Column(k) is { } column && engine.InexactKey(column) is { } why)
            {
                throw new SwapException(
                    SwapErrorKind.Refused,
                    $"Swap cannot change '{original.Name}' on {d.Engine.ProductName()}: its key column '{k}' ({column.NativeType}) {why}. Swap walks the table in chunks by its key and re-syncs each written row by its key. Nothing was changed. " + KeyValues.UnreadableAdvice);
            }
        }
        var columns = string.Join(", ", key.Select(d.Quote));
        foreach (var direction in new[] { "", " DESC" })
        {
            try
            {
                var order = string.Join(", ", key.Select(c => d.Quote(c) + direction));
                var rows = await connection.QueryAsync($"SELECT {columns} FROM {d.Quote(original.Name)} ORDER BY {order} LIMIT 1", null, transaction, cancellationToken);
                if (rows.Count > 0)
                    await BindsBackAsync(engine, original, Enumerable.Range(0, key.Count).Select(i => rows[0][i]).ToList(), connection, transaction, cancellationToken);
                if (direction.Length == 0 && rows.Count > 0 && IsMinimumDate(rows[0][0]) && d.Engine == DatabaseEngine.PostgreSql)
                    await NotMinimumDateAsync(engine, original, key[0], connection, transaction, cancellationToken);
            }
            catch (Exception e) when (KeyValues.IsUnreadable(e))
            {
                var described = string.Join(", ", key.Select(k => $"'{k}' ({original.Column(k)?.NativeType})"));
                throw new SwapException(
                    SwapErrorKind.Refused,
                    $"Swap cannot change '{original.Name}' on {d.Engine.ProductName()}: its key column{(key.Count > 1 ? "s" : "")} {described} {(key.Count > 1 ? "hold" : "holds")} values Swap cannot read or save ({e.Message.TrimEnd('.')}). Swap walks the table in chunks by its key and saves the last key it copied. Nothing was changed. " + KeyValues.UnreadableAdvice,
                    e);
            }
        }
    }

    /// <summary>
    /// Saves a key as the journal does and binds it back as the chunks (<c>&gt;</c>, <c>&lt;=</c>)
    /// and the applier (<c>IN</c>) do. A value the driver reads as a .NET type that it writes as
    /// another database type (PostgreSQL <c>money</c> read as decimal, bound as numeric; <c>jsonb</c>
    /// as text; <c>timetz</c> as timestamptz) has no comparison with the key, and one it cannot write
    /// at all (<c>oid</c>, <c>xid8</c>) fails in the driver: either would fail the first chunk, after
    /// capture was installed. The statement reads no row (<c>1 = 0</c>); its operators and parameters
    /// are resolved all the same.
    /// </summary>
    private static async Task BindsBackAsync(TableEngine engine, TableSchema original, IReadOnlyList<object?> values, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var d = engine.Dialect;
        var key = original.ChunkKey()!;
        var saved = KeyValues.Decode(KeyValues.Encode(values));
        var sql = $"SELECT 1 FROM {d.Quote(original.Name)} o WHERE 1 = 0 AND ({KeyRange.Between(d, "o", key, true, true)} OR {KeyRange.In(d, "o", key, 1, "a")})";
        var parameters = KeyRange.Parameters("l", saved).Concat(KeyRange.Parameters("u", saved)).Concat(KeyRange.InParameters("a", [saved])).ToList();
        try
        {
            await connection.QueryAsync(sql, parameters, transaction, cancellationToken);
        }
        catch (Exception e) when (engine.Database.IsDatabaseError(e) && !engine.Database.IsTransient(e))
        {
            throw new SwapException(SwapErrorKind.Refused, $"a key read from it cannot be bound back as a parameter to find its row: {e.Message.TrimEnd('.')}", e);
        }
    }

    /// <summary>
    /// Npgsql reads PostgreSQL's <c>-infinity</c> and the real 0001-01-01 00:00 both as
    /// <see cref="DateTime.MinValue"/> (a date as <see cref="DateOnly.MinValue"/>), and binds that value back as <c>-infinity</c>: a key
    /// of 0001-01-01 could be copied but never re-synced, and the verification would fail the
    /// swap after the whole copy. The smallest key read as the minimum is looked at once more
    /// past <c>-infinity</c>.
    /// </summary>
    private static async Task NotMinimumDateAsync(TableEngine engine, TableSchema original, string column, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var c = engine.Dialect.Quote(column);
        var rows = await connection.QueryAsync($"SELECT {c} FROM {engine.Dialect.Quote(original.Name)} WHERE {c} > '-infinity' ORDER BY {c} LIMIT 1", null, transaction, cancellationToken);
        if (rows.Count > 0 && IsMinimumDate(rows[0][0]))
            throw new SwapException(SwapErrorKind.Refused, "a key of 0001-01-01 00:00:00, which .NET reads the same as -infinity and writes back as -infinity");
    }

    private static bool IsMinimumDate(object? value) => value is DateTime time && time == DateTime.MinValue || value is DateOnly date && date == DateOnly.MinValue;

    /// <summary>
    /// The cut-over renames the original to <c>_t_swap_old</c>: a table of that name kept by an
    /// earlier swap with <c>--keep-old</c> (an open revert window is refused before this, with its
    /// own message) would make the rename fail at the very end, after the whole copy.
    /// </summary>
    private static async Task NothingInTheWayAsync(TableEngine engine, TableUse use, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (await engine.LoadTableAsync(connection, transaction, use.Names.Old, cancellationToken) is null)
            return;
        throw new SwapException(
            SwapErrorKind.Refused,
            $"'{use.Names.Old}' is in the way of swapping '{use.Original.Name}': the cut-over renames the original to that name, and a table of that name is there, " +
            $"most likely the original kept by an earlier swap with --keep-old. Drop it once you no longer need it ('swap cleanup --drop-old' drops every table kept that way), or rename it, and run again. Nothing was changed.");
    }

    /// <summary>
    /// A table without a primary key is walked, captured and applied by its unique key index (over NOT
    /// NULL columns): the copy must keep a unique key over the same columns, or a chunk could copy a
    /// row a second time and verification would not see it (both copies equal the original row).
    /// </summary>
    private static void KeepsUniqueKey(TableSchema original, DbTable model)
    {
        if (original.PrimaryKey.Count > 0 || original.ChunkKey() is not { } key)
            return;
        var copyKey = key.Select(k => model.Columns.FirstOrDefault(c => string.Equals(c.OriginalName, k, StringComparison.OrdinalIgnoreCase))?.Name).ToList();
        if (copyKey.Any(c => c is null))
            return; // a dropped key column is refused with its own message (SwapSpecBuilder)
        bool Same(IEnumerable<string> columns) => columns.SequenceEqual(copyKey!, StringComparer.OrdinalIgnoreCase);
        if (Same(model.PrimaryKey) || model.Indexes.Any(i => i.Unique && i.Original?.Predicate is null && i.Columns.All(c => c.Prefix is null) && Same(i.Columns.Select(c => c.Column))))
            return;
        var index = original.Indexes.First(i => i.IsUniqueOver(key)).Name;
        throw new SwapException(
            SwapErrorKind.Refused,
            $"The copy of '{original.Name}' must keep a unique key over ({string.Join(", ", copyKey)}): the table has no primary key, and Swap walks it, captures its writes and applies them by its unique index '{index}'. " +
            $"Keep that index in this migration (or make those columns the primary key with SetPrimaryKey), and drop it in a later one.");
    }
}

