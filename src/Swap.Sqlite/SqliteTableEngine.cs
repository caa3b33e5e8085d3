using System.Data.Common;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;
using Swap.Sqlite.Internal;

namespace Swap.Sqlite;

/// <summary>
/// The copy-and-swap on SQLite, which has one writer at a time. A large table swaps online: capture
/// triggers log the written keys in the writer's own transaction, chunks and applier batches are
/// short <c>BEGIN IMMEDIATE</c> transactions with a pause after each for the application's
/// writers, and the cut-over is one short transaction following SQLite's documented table-rebuild
/// procedure. A small table (<see cref="OnlineSwapOptions.OneTransactionBelowRows"/>) is rebuilt by
/// the same procedure inside one transaction.
/// </summary>
internal sealed partial class SqliteTableEngine(SqliteDatabase database) : TableEngine(database)
{
    /// <summary>The rows whose values' lengths estimate a table's bytes (<see cref="TableSchema.EstimatedBytes"/>).</summary>
    private const int RowsSampled = 1000;

    private SqliteDialect D => SqliteDialect.Instance;

    public override bool Online => true;


    /// <summary>The table's definition as SQLite keeps it: the statements that made the table, its indexes and the user's triggers (Swap's, named with <c>_swap_</c>, left out).</summary>
    public override IReadOnlyList<string> DefinitionQueries(string table) =>
        [$"SELECT type, name, sql FROM sqlite_master WHERE tbl_name = @t COLLATE NOCASE AND instr(name, '{SwapNames.Marker}') = 0 ORDER BY type, name"];

    public override async Task<TableSchema?> LoadTableAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken)
    {
        // SQLite's names are case-insensitive ('customers' is the table 'Customers'): the table is found
        // as SQLite finds it, and everything after uses the name it was created with.
        var found = (await connection.QueryAsync("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name = @name COLLATE NOCASE", new { name = table }, transaction, cancellationToken)).FirstOrDefault();
        if (found?.String("sql") is not { } create)
            return null;
        table = found.String("name")!;
        var parsed = SqliteCreateTable.Parse(create);
        var q = D.Quote(table);
        var info = await connection.QueryAsync($"PRAGMA table_xinfo({q})", null, transaction, cancellationToken);
        var defs = parsed.Columns.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var columns = new List<ColumnSchema>();
        var pk = new SortedDictionary<long, string>();
        foreach (var row in info)
        {
            var name = row.String("name")!;
            var hidden = row.Int64("hidden") ?? 0;
            if (hidden == 1)
                continue;
            if (row.Int64("pk") is > 0 and var p)
                pk[p] = name;
            var def = defs.GetValueOrDefault(name);
            var extra = new Dictionary<string, string>();
            if (def is not null)
                extra["ddl.type"] = def.Type;
            if (def is not null)
                extra["ddl.rest"] = def.Rest;
            if (hidden is 2 or 3)
                extra["generated"] = hidden == 2 ? "virtual" : "stored";
            columns.Add(new ColumnSchema(
                name,
                row.String("type") ?? "",
                (row.Int64("notnull") ?? 0) == 0 && (row.Int64("pk") ?? 0) == 0,
                row.String("dflt_value"),
                AutoIncrement: def is not null && def.Rest.Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase),
                Generated: hidden is 2 or 3 ? "generated" : null)
            { Extra = extra });
        }

        var indexes = new List<IndexSchema>();
        foreach (var ix in await connection.QueryAsync($"PRAGMA index_list({q})", null, transaction, cancellationToken))
        {
            var name = ix.String("name")!;
            var origin = ix.String("origin");
            if (origin == "pk")
                continue;
            var cols = await connection.QueryAsync($"PRAGMA index_xinfo({D.Quote(name)})", null, transaction, cancellationToken);
            var sql = await connection.ScalarAsync("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = @name", new { name }, transaction, cancellationToken) as string;
            indexes.Add(new IndexSchema(
                name,
                cols.Where(c => c.Int64("key") == 1).Select(c => new IndexColumn(c.String("name") ?? "", Descending: c.Int64("desc") == 1, Expression: c.String("name") is null ? "expression" : null)).ToList(),
                ix.Int64("unique") == 1,
                IsConstraint: origin == "u",
                Predicate: ix.Int64("partial") == 1 ? "partial" : null,
                Definition: sql));
        }

        var fks = ForeignKeys(await connection.QueryAsync($"PRAGMA foreign_key_list({q})", null, transaction, cancellationToken), _ => table, r => r.String("table")!);

        // Other tables' foreign keys that name this one: a swap must not drop or rename it with foreign keys on.
        var children = ForeignKeys(
            (await connection.QueryAsync(
                "SELECT m.name AS child, f.id, f.seq, f.\"from\", f.\"to\", f.on_delete, f.on_update FROM sqlite_master m, pragma_foreign_key_list(m.name) f " +
                "WHERE m.type = 'table' AND f.\"table\" = @name COLLATE NOCASE AND m.name <> @name COLLATE NOCASE",
                new { name = table },
                transaction,
                cancellationToken)).Where(r => !SwapNames.IsSwapName(r.String("child")!)),
            r => r.String("child")!,
            _ => table);

        var triggers = (await connection.QueryAsync("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = @name COLLATE NOCASE", new { name = table }, transaction, cancellationToken))
            .Select(r => new TriggerSchema(r.String("name")!, r.String("sql")!))
            .ToList();
        var count = System.Convert.ToInt64(await connection.ScalarAsync($"SELECT COUNT(*) FROM {q}", null, transaction, cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        // SQLite keeps no size per table (dbstat is not compiled in): the values' lengths over the first
        // rows, times the rows. length() of a BLOB reads no overflow page, so documents cost nothing to measure.
        var sampled = count == 0 || columns.Count == 0 ? null : await connection.ScalarAsync(
            $"SELECT AVG({string.Join(" + ", columns.Select(c => $"COALESCE(length({D.Quote(c.Name)}), 0)"))}) FROM (SELECT * FROM {q} LIMIT {RowsSampled})",
            null,
            transaction,
            cancellationToken);
        var bytes = sampled is null or DBNull ? 0 : (long)(System.Convert.ToDouble(sampled, System.Globalization.CultureInfo.InvariantCulture) * count);

        return new TableSchema
        {
            Name = table,
            Columns = columns,
            PrimaryKey = pk.Values.ToList(),
            Indexes = indexes,
            ForeignKeys = fks,
            ReferencedBy = children,
            Triggers = triggers,
            Checks = SqliteCreateTable.Checks(parsed),
            EstimatedRows = count,
            EstimatedBytes = bytes,
            Extra = new Dictionary<string, string> { ["sql"] = create },
        };
    }

    /// <summary>Rows of <c>PRAGMA foreign_key_list</c> (one per column) as keys, numbered per table as SQLite numbers them.</summary>
    private static List<ForeignKeySchema> ForeignKeys(IEnumerable<Row> rows, Func<Row, string> table, Func<Row, string> referenced) =>
        rows.GroupBy(r => (Table: table(r), Id: r.Int64("id")))
            .Select(g => new ForeignKeySchema(
                $"fk{g.Key.Id}",
                g.Key.Table,
                g.OrderBy(r => r.Int64("seq")).Select(r => r.String("from")!).ToList(),
                referenced(g.First()),
                g.OrderBy(r => r.Int64("seq")).Select(r => r.String("to") ?? "").ToList(),
                g.First().String("on_delete"),
                g.First().String("on_update")))
            .ToList();

    public override IEnumerable<string> Refusals(TableSchema original, DbTable? target)
    {
        if (target is null)
            yield break;
        foreach (var index in target.Indexes.Where(i => i.Original is null && i.Columns.Any(c => c.Prefix is not null)))
            yield return $"Index '{index.Name}' has a prefix length; SQLite indexes whole values. Remove WithPrefix(...).";
        foreach (var fk in target.ForeignKeys.Where(f => f.Original is not null))
        {
            if (!target.ForeignKeys.Contains(fk))
                yield return $"Dropping the foreign key on ({string.Join(", ", fk.Columns)}) is not supported on SQLite.";
        }
        if (original.ForeignKeys.Count > target.ForeignKeys.Count(f => f.Original is not null))
            yield return "Dropping a foreign key is not supported on SQLite yet; rebuild the table with plain SQL instead.";
        if (original.Extra.TryGetValue("sql", out var sql) && SqliteDialect.IsStrict(SqliteCreateTable.Parse(sql).Options))
        {
            foreach (var c in target.Columns.Where(c => c.Type is { } t && (c.OriginalName is null || c.TypeChanged) && D.StrictTypeSql(t) is null))
                yield return $"'{original.Name}' is a STRICT table, which has no type for column '{c.Name}' ({c.Type}): STRICT allows INTEGER, REAL, TEXT, BLOB and ANY. Use DbColumn.Double or DbColumn.String for it, or ColumnType.NativeType(\"ANY\").";
        }
    }

    public override IReadOnlyList<string> CreateCopy(TableSchema original, DbTable? target, SwapNames names) =>
        SqliteCopyBuilder.Build(D, original, target, names);

    /// <summary>
    /// Skips keys already in the copy (the applier put them there, newer than this read) and only
    /// those: <c>ON CONFLICT DO NOTHING</c> handles uniqueness conflicts, unlike <c>OR IGNORE</c>,
    /// which would also drop a row that breaks NOT NULL or CHECK without a word.
    /// </summary>
    public override string CopyChunk(SwapSpec spec, string range) =>
        $"INSERT INTO {D.Quote(spec.Names.Copy)} ({string.Join(", ", spec.Mapping.Select(m => D.Quote(m.CopyColumn)))}) " +
        $"SELECT {string.Join(", ", spec.Mapping.Select(m => m.Source))} FROM {D.Quote(spec.Original.Name)} o WHERE {range} ON CONFLICT DO NOTHING";

    public override string SameValue(string original, string copy, ColumnMapping mapping) => $"{original} IS {copy}";

    /// <summary>
    /// A key moved to another collation (TEXT to TEXT COLLATE NOCASE, or back): SQLite compares
    /// <c>c.k = o.k</c> in the left operand's collation, the copy's, which the original's index does
    /// not have, and scans the whole original for every copy row checked (25,000 rows took 28 s). The
    /// copy's values came from the original's, so naming the original's collation loses nothing.
    /// </summary>
    public override string CopyKeyAsOriginal(string copy, ColumnSchema original, ColumnSchema copyColumn)
    {
        var collation = SqliteCollation.Of(original);
        return SqliteCollation.Same(collation, SqliteCollation.Of(copyColumn)) ? copy : $"{copy} COLLATE {D.Quote(collation)}";
    }


    public override async Task<IReadOnlyList<Leftover>> FindLeftoversAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE '\\_%\\_swap\\_%' ESCAPE '\\' ORDER BY type = 'table', name", null, cancellationToken);
        // Triggers first: removing a change log before its triggers would fail the application's writes in between.
        return Leftovers(rows.Select(r => (r.String("type")!, r.String("name")!)));
    }

    public override IReadOnlyList<string> Remove(Leftover leftover)
    {
        ArgumentNullException.ThrowIfNull(leftover);
        if (!SwapNames.IsSwapName(leftover.Name))
            return [];
        return leftover.Kind switch
        {
            "table" => [$"DROP TABLE IF EXISTS {D.Quote(leftover.Name)}"],
            "trigger" => [$"DROP TRIGGER IF EXISTS {D.Quote(leftover.Name)}"],
            _ => [],
        };
    }
}
