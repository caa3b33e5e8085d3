using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;
using Swap.Sqlite.Internal;

namespace Swap.Sqlite;

/// <summary>
/// The cut-over, after SQLite's documented table-rebuild procedure
/// (https://www.sqlite.org/lang_altertable.html#otheralter): foreign keys off on Swap's
/// connection, one write transaction, <c>legacy_alter_table</c> so renames leave views, triggers
/// and other tables' foreign keys pointing at the name, the original's triggers put back on the
/// new table, views checked, <c>foreign_key_check</c> before the commit.
/// </summary>
internal sealed partial class SqliteTableEngine
{
    public override async Task CutOverAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<SwapSpec> specs, OnlineSwapOptions options, Func<DbConnection, DbTransaction?, CancellationToken, Task> catchUp, Func<DbTransaction?, Task> recordSwapped, CancellationToken cancellationToken)
    {
        if (specs.Count > 0 && specs[0].Captured)
        {
            await OnlineCutOverAsync(connection, specs, options, catchUp, recordSwapped, cancellationToken);
            return;
        }
        foreach (var spec in specs)
            await RefuseReferencedRebuildAsync(connection, transaction, spec.Original, cancellationToken);
        var sequences = await SequencesAsync(connection, transaction, specs.Select(s => (s.Original.Name, s.Original.Name)), cancellationToken);
        foreach (var sql in RebuildStatements(specs, options.KeepOldTables))
            await connection.ExecuteAsync(sql, null, transaction, cancellationToken);
        await CarrySequencesAsync(connection, transaction, sequences, cancellationToken);
        foreach (var spec in specs.Where(s => s.Original.ForeignKeys.Count > 0 || s.Copy.ForeignKeys.Count > 0))
        {
            var violations = await connection.QueryAsync($"PRAGMA foreign_key_check({D.Quote(spec.Original.Name)})", null, transaction, cancellationToken);
            if (violations.Count > 0)
            {
                throw new SwapException(
                    SwapErrorKind.VerificationFailed,
                    $"After the rebuild, {violations.Count} row(s) of '{spec.Original.Name}' break a foreign key (first: rowid {violations[0]["rowid"]} references {violations[0]["parent"]}). The rebuild was rolled back.");
            }
        }
        await recordSwapped(transaction);
    }

    /// <summary>
    /// A table that foreign keys name cannot be rebuilt in the script's transaction: SQLite's procedure
    /// turns foreign keys off first, which a transaction cannot do, and dropping the original with them
    /// on runs the children's <c>ON DELETE</c> actions (or fails).
    /// </summary>
    private static async Task RefuseReferencedRebuildAsync(DbConnection connection, DbTransaction? transaction, TableSchema original, CancellationToken cancellationToken)
    {
        if (!IsReferenced(original) || Number(await connection.ScalarAsync("PRAGMA foreign_keys", null, transaction, cancellationToken)) != 1)
            return;
        var by = original.ReferencedBy.Select(f => f.Table).DefaultIfEmpty(original.Name).Distinct(StringComparer.OrdinalIgnoreCase);
        throw new SwapException(
            SwapErrorKind.Refused,
            $"'{original.Name}' is named by foreign keys ({string.Join(", ", by)}), and a one-transaction rebuild (--sqlite-online never) would drop it with foreign keys on, " +
            "which runs their ON DELETE actions on the referencing rows or fails. Nothing was changed. Run without '--sqlite-online never': such a table swaps online, with foreign keys off for the cut-over.");
    }

    /// <summary>
    /// One short write transaction: <c>BEGIN IMMEDIATE</c> waits at most the cut-over lock wait for
    /// the application's writer (a busy database is retried with backoff by the caller), applies the
    /// rest of the change log, renames the originals away and the copies in, gives the copies'
    /// indexes their names, puts the triggers back, checks views and foreign keys, and records
    /// "swapped" in the journal before the commit.
    /// </summary>
    private async Task OnlineCutOverAsync(DbConnection connection, IReadOnlyList<SwapSpec> specs, OnlineSwapOptions options, Func<DbConnection, DbTransaction?, CancellationToken, Task> catchUp, Func<DbTransaction?, Task> recordSwapped, CancellationToken cancellationToken)
    {
        var sqlite = (SqliteConnection)connection;
        var foreignKeys = Number(await connection.ScalarAsync("PRAGMA foreign_keys", cancellationToken)) == 1;
        var busyTimeout = TimeSpan.FromMilliseconds(Number(await connection.ScalarAsync("PRAGMA busy_timeout", cancellationToken)));
        var defaultTimeout = sqlite.DefaultTimeout;
        // Step 1 of the procedure: foreign keys off (a no-op inside a transaction, so before it), or
        // renaming a parent away would take its children's rows along.
        if (foreignKeys)
            await connection.ExecuteAsync("PRAGMA foreign_keys = OFF", cancellationToken);
        try
        {
            await database.ApplyLockTimeoutAsync(connection, options.CutOverLockTimeout, cancellationToken);
            await using var tx = await Database.BeginTransactionAsync(connection, cancellationToken);
            await catchUp(connection, tx, cancellationToken);
            await connection.ExecuteAsync("PRAGMA legacy_alter_table = ON", null, tx, cancellationToken);
            var triggers = new List<string>();
            foreach (var spec in specs)
            {
                var own = await connection.QueryAsync("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = @table COLLATE NOCASE", new { table = spec.Original.Name }, tx, cancellationToken);
                foreach (var trigger in own.Where(t => !SwapNames.IsSwapName(t.String("name")!)))
                {
                    await connection.ExecuteAsync($"DROP TRIGGER {D.Quote(trigger.String("name")!)}", null, tx, cancellationToken);
                    triggers.Add(trigger.String("sql")!);
                }
                foreach (var sql in Renames(spec))
                    await connection.ExecuteAsync(sql, null, tx, cancellationToken);
            }
            await RenameIndexesAsync(connection, tx, specs, cancellationToken);
            // The original is now the old table, its counter renamed with it.
            await CarrySequencesAsync(connection, tx, await SequencesAsync(connection, tx, specs.Select(s => (s.Names.Old, s.Original.Name)), cancellationToken), cancellationToken);
            foreach (var sql in triggers)
                await connection.ExecuteAsync(sql, null, tx, cancellationToken);
            await connection.ExecuteAsync("PRAGMA legacy_alter_table = OFF", null, tx, cancellationToken);
            foreach (var spec in specs)
            {
                await CheckViewsAsync(connection, tx, spec, cancellationToken);
                await CheckForeignKeysAsync(connection, tx, spec, cancellationToken);
            }
            await recordSwapped(tx);
            await tx.CommitAsync(cancellationToken);
        }
        finally
        {
            await connection.ExecuteAsync("PRAGMA legacy_alter_table = OFF", CancellationToken.None);
            await connection.ExecuteAsync("PRAGMA writable_schema = OFF", CancellationToken.None);
            await database.ApplyLockTimeoutAsync(connection, busyTimeout, CancellationToken.None);
            sqlite.DefaultTimeout = defaultTimeout;
            if (foreignKeys)
                await connection.ExecuteAsync("PRAGMA foreign_keys = ON", CancellationToken.None);
        }
    }

    /// <summary>The original renamed away (renaming never touches its pages; dropping it would free every one under the lock), the copy renamed in.</summary>
    private IEnumerable<string> Renames(SwapSpec spec)
    {
        yield return $"ALTER TABLE {D.Quote(spec.Original.Name)} RENAME TO {D.Quote(spec.Names.Old)}";
        yield return $"ALTER TABLE {D.Quote(spec.Names.Copy)} RENAME TO {D.Quote(spec.Original.Name)}";
    }

    /// <summary>
    /// Index names are per database and SQLite cannot rename an index: the old table's indexes get
    /// <c>_swap_old</c> names and the copy's the original names by editing their schema rows, which
    /// changes no page (SQLite's procedure for changes that leave the stored content as it is:
    /// <c>writable_schema</c>, then a new <c>schema_version</c> so every connection reloads the schema).
    /// </summary>
    private async Task RenameIndexesAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<SwapSpec> specs, CancellationToken cancellationToken)
    {
        var updates = new List<(string From, string Table, string To, string Sql)>();
        foreach (var spec in specs)
        {
            var old = await connection.QueryAsync("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = @table AND sql IS NOT NULL", new { table = spec.Names.Old }, tx, cancellationToken);
            foreach (var index in old.Select(r => (Name: r.String("name")!, Sql: r.String("sql")!)).Where(i => !SwapNames.IsSwapName(i.Name)))
                updates.Add((index.Name, spec.Names.Old, OldIndexName(index.Name), Internal.SqliteIndexSql.Retarget(index.Sql, D.Quote(OldIndexName(index.Name)), D.Quote(spec.Names.Old))));
            foreach (var (index, definition) in Internal.SqliteCopyBuilder.IndexDefinitions(D, spec))
                updates.Add((CopyIndexName(index.Name), spec.Original.Name, index.Name, definition));
        }
        if (updates.Count == 0)
            return;
        var version = Number(await connection.ScalarAsync("PRAGMA schema_version", null, tx, cancellationToken));
        await connection.ExecuteAsync("PRAGMA writable_schema = ON", null, tx, cancellationToken);
        foreach (var (from, table, to, sql) in updates)
        {
            var changed = await connection.ExecuteAsync(
                "UPDATE sqlite_master SET name = @to, sql = @sql WHERE type = 'index' AND name = @from AND tbl_name = @table",
                new { to, sql, from, table },
                tx,
                cancellationToken);
            if (changed != 1)
                throw new SwapException(SwapErrorKind.Failure, $"The index {from} of {table} is missing at the cut-over; nothing was swapped. Run 'swap up' again: the copy's indexes are made again with capture.");
        }
        await connection.ExecuteAsync($"PRAGMA schema_version = {(version + 1).ToString(CultureInfo.InvariantCulture)}", null, tx, cancellationToken);
        await connection.ExecuteAsync("PRAGMA writable_schema = OFF", null, tx, cancellationToken);
    }

    private static bool IsReferenced(SwapSpec spec) => IsReferenced(spec.Original);

    /// <summary>
    /// The AUTOINCREMENT counters (<c>sqlite_sequence</c>) of the tables named <c>From</c>, keyed by
    /// the name (<c>To</c>) of the table that takes the counter over after the swap.
    /// </summary>
    private static async Task<Dictionary<string, long>> SequencesAsync(DbConnection connection, DbTransaction? tx, IEnumerable<(string From, string To)> tables, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        if (await connection.ScalarAsync("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'", null, tx, cancellationToken) is null)
            return found;
        foreach (var (from, to) in tables)
        {
            if (await connection.ScalarAsync("SELECT seq FROM sqlite_sequence WHERE name = @name", new { name = from }, tx, cancellationToken) is { } seq and not DBNull)
                found[to] = Number(seq);
        }
        return found;
    }

    /// <summary>
    /// AUTOINCREMENT promises that a key is never handed out twice: the new table's counter (the
    /// highest key copied into it) is raised to the original's, which remembers deleted keys too.
    /// </summary>
    private static async Task CarrySequencesAsync(DbConnection connection, DbTransaction? tx, Dictionary<string, long> sequences, CancellationToken cancellationToken)
    {
        foreach (var (table, seq) in sequences)
        {
            var autoincrement = await connection.ScalarAsync("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = @table AND upper(sql) LIKE '%AUTOINCREMENT%'", new { table }, tx, cancellationToken) is not null;
            if (!autoincrement)
                continue;
            var updated = await connection.ExecuteAsync("UPDATE sqlite_sequence SET seq = @seq WHERE name = @table AND seq < @seq", new { table, seq }, tx, cancellationToken);
            if (updated == 0 && await connection.ScalarAsync("SELECT 1 FROM sqlite_sequence WHERE name = @table", new { table }, tx, cancellationToken) is null)
                await connection.ExecuteAsync("INSERT INTO sqlite_sequence (name, seq) VALUES (@table, @seq)", new { table, seq }, tx, cancellationToken);
        }
    }

    /// <summary>
    /// Rows that already break a foreign key of the table, or of a table that references it (an
    /// application writing with foreign keys off leaves them): the cut-over checks the same
    /// (<see cref="CheckForeignKeysAsync"/>) and would refuse them only after the whole copy, so
    /// the copy's preflight refuses them first. Reads only; stops at the first such row of a table.
    /// </summary>
    public override async Task<IReadOnlyList<string>> CopyRefusalsAsync(DbConnection connection, DbTransaction? transaction, TableSchema original, DbTable target, CancellationToken cancellationToken)
    {
        var tables = original.ReferencedBy.Select(f => f.Table).Where(t => !SwapNames.IsSwapName(t)).ToList();
        if (original.ForeignKeys.Count > 0)
            tables.Insert(0, original.Name);
        var refusals = new List<string>();
        foreach (var table in tables.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var first = (await connection.QueryAsync("SELECT rowid, parent FROM pragma_foreign_key_check(@table) LIMIT 1", new { table }, transaction, cancellationToken)).FirstOrDefault();
            if (first is null)
                continue;
            var count = Number(await connection.ScalarAsync("SELECT count(*) FROM pragma_foreign_key_check(@table)", new { table }, transaction, cancellationToken));
            refusals.Add(
                $"{count} row(s) of '{table}' already break a foreign key (first: rowid {first["rowid"]} references {first["parent"]}), which the cut-over would refuse after the whole copy. " +
                $"Nothing was changed: fix those rows (PRAGMA foreign_key_check('{table}') lists them), then run 'swap up' again.");
        }
        refusals.AddRange(await CollationRefusalsAsync(connection, transaction, original, target, cancellationToken));
        return refusals;
    }

    /// <summary>
    /// A key column moved to another collation (TEXT to TEXT COLLATE NOCASE) can make two values of
    /// the primary key or of a unique index one value ('a' and 'A'): the copy would keep one of the
    /// rows (a chunk skips a key the copy already has). Each such key is grouped in the new
    /// collation over the original; reads only, stops at the first group of two.
    /// </summary>
    private async Task<IReadOnlyList<string>> CollationRefusalsAsync(DbConnection connection, DbTransaction? transaction, TableSchema original, DbTable target, CancellationToken cancellationToken)
    {
        var moved = new Dictionary<string, (string Original, string Collation)>(StringComparer.OrdinalIgnoreCase);
        foreach (var c in target.Columns.Where(c => c.OriginalName is not null && c.Type is not null))
        {
            string type;
            try
            {
                type = D.TypeSql(c.Type!);
            }
            catch (SwapException)
            {
                continue;
            }
            var was = SqliteCollation.Of(original.Column(c.OriginalName!)!);
            if (SqliteCollation.In(type) is { } now && !SqliteCollation.Same(now, was))
                moved[c.Name] = (c.OriginalName!, now);
        }
        if (moved.Count == 0)
            return [];
        var uniques = target.Indexes
            .Where(i => i.Unique && !(i.Original?.Definition?.Contains("COLLATE", StringComparison.OrdinalIgnoreCase) ?? false))
            .Select(i => ($"unique index '{i.Name}'", i.Columns.Select(x => x.Column).ToList()))
            .Prepend(("primary key", target.PrimaryKey.ToList()));
        var refusals = new List<string>();
        foreach (var (what, columns) in uniques)
        {
            var changed = columns.FirstOrDefault(moved.ContainsKey);
            if (changed is null || columns.Any(c => target.GetColumn(c).OriginalName is null))
                continue;
            var sources = columns.Select(c => (Column: D.Quote(target.GetColumn(c).OriginalName!), Collation: moved.TryGetValue(c, out var m) ? m.Collation : null)).ToList();
            var groups = string.Join(", ", sources.Select(s => s.Collation is null ? s.Column : $"{s.Column} COLLATE {D.Quote(s.Collation)}"));
            var sql = $"SELECT {string.Join(", ", sources.Select(s => $"min({s.Column})"))}, {string.Join(", ", sources.Select(s => $"max({s.Column})"))}, count(*) AS n " +
                $"FROM {D.Quote(original.Name)} GROUP BY {groups} HAVING count(*) > 1 LIMIT 1";
            var row = (await connection.QueryAsync(sql, null, transaction, cancellationToken)).FirstOrDefault();
            if (row is null)
                continue;
            var first = Enumerable.Range(0, columns.Count).Select(i => row[i]).ToList();
            var second = Enumerable.Range(columns.Count, columns.Count).Select(i => row[i]).ToList();
            refusals.Add(
                $"Column '{changed}' of '{original.Name}' would compare with the collation {moved[changed].Collation}, under which the {what} holds {KeyValues.Show(first)} and {KeyValues.Show(second)} as one value ({row.Int64("n")} rows): " +
                $"the copy would keep only one of those rows. Nothing was changed. Make the values distinct under {moved[changed].Collation} first (an UPDATE in an earlier migration), or keep the column's collation.");
        }
        return refusals;
    }

    /// <summary>Step 11 of the procedure: the new table's own foreign keys, and those of the tables that reference it.</summary>
    private async Task CheckForeignKeysAsync(DbConnection connection, DbTransaction tx, SwapSpec spec, CancellationToken cancellationToken)
    {
        var children = await connection.QueryAsync(
            "SELECT DISTINCT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND f.\"table\" = @table COLLATE NOCASE",
            new { table = spec.Original.Name },
            tx,
            cancellationToken);
        var tables = children.Select(c => c.String("name")!).Where(n => !SwapNames.IsSwapName(n)).ToList();
        if (spec.TargetForeignKeys.Count > 0 || spec.Copy.ForeignKeys.Count > 0)
            tables.Insert(0, spec.Original.Name);
        foreach (var table in tables.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var violations = await connection.QueryAsync($"PRAGMA foreign_key_check({D.Quote(table)})", null, tx, cancellationToken);
            if (violations.Count > 0)
            {
                throw new SwapException(
                    SwapErrorKind.VerificationFailed,
                    $"At the cut-over of '{spec.Original.Name}', {violations.Count} row(s) of '{table}' break a foreign key (first: rowid {violations[0]["rowid"]} references {violations[0]["parent"]}). " +
                    "Nothing was swapped: the original is in place and capture keeps the copy current. Fix those rows, then run 'swap up' again.");
            }
        }
    }

    public override IReadOnlyList<string> CutOverPlan(IReadOnlyList<SwapSpec> specs, OnlineSwapOptions options)
    {
        if (specs.Count == 0 || !specs[0].Captured)
            return RebuildStatements(specs, options.KeepOldTables);
        var sql = new List<string>
        {
            "PRAGMA foreign_keys = OFF",
            $"PRAGMA busy_timeout = {(long)options.CutOverLockTimeout.TotalMilliseconds}",
            "BEGIN IMMEDIATE",
            "-- apply the rest of the change log (batches of: read log, delete keys from the copy, insert current rows, delete the log rows)",
            "PRAGMA legacy_alter_table = ON",
        };
        foreach (var spec in specs)
        {
            sql.AddRange(spec.Original.Triggers.Where(t => !SwapNames.IsSwapName(t.Name)).Select(t => $"DROP TRIGGER {D.Quote(t.Name)}"));
            sql.AddRange(Renames(spec));
        }
        sql.Add("PRAGMA writable_schema = ON");
        foreach (var spec in specs)
        {
            sql.AddRange(spec.Original.Indexes.Where(i => !i.IsConstraint && i.Definition is not null).Select(i => $"UPDATE sqlite_master SET name = {D.Literal(OldIndexName(i.Name))}, sql = <its definition on {spec.Names.Old}> WHERE type = 'index' AND name = {D.Literal(i.Name)}"));
            sql.AddRange(Internal.SqliteCopyBuilder.IndexDefinitions(D, spec).Select(i => $"UPDATE sqlite_master SET name = {D.Literal(i.Index.Name)}, sql = {D.Literal(i.Definition)} WHERE type = 'index' AND name = {D.Literal(CopyIndexName(i.Index.Name))}"));
        }
        sql.Add("PRAGMA schema_version = <current + 1>");
        sql.Add("PRAGMA writable_schema = OFF");
        foreach (var spec in specs)
            sql.AddRange(spec.Original.Triggers.Where(t => !SwapNames.IsSwapName(t.Name)).Select(t => t.Definition));
        sql.Add("PRAGMA legacy_alter_table = OFF");
        sql.Add("-- check that the views on the tables still compile; PRAGMA foreign_key_check on each table and the tables that reference it");
        sql.Add("COMMIT");
        sql.Add("PRAGMA foreign_keys = ON -- if it was on");
        return sql;
    }

    /// <summary>The one-transaction rebuild's swap: drop (or keep) the original, rename the copy, create indexes and triggers.</summary>
    private List<string> RebuildStatements(IReadOnlyList<SwapSpec> specs, bool keepOld)
    {
        var sql = new List<string> { "PRAGMA legacy_alter_table = ON" };
        foreach (var spec in specs)
        {
            var table = D.Quote(spec.Original.Name);
            if (keepOld)
            {
                sql.Add($"ALTER TABLE {table} RENAME TO {D.Quote(spec.Names.Old)}");
                sql.AddRange(spec.Original.Triggers.Select(t => $"DROP TRIGGER IF EXISTS {D.Quote(t.Name)}"));
                sql.AddRange(spec.Original.Indexes.Where(i => !i.IsConstraint && i.Definition is not null).Select(i => $"DROP INDEX IF EXISTS {D.Quote(i.Name)}"));
            }
            else
            {
                sql.Add($"DROP TABLE {table}");
            }
            sql.Add($"ALTER TABLE {D.Quote(spec.Names.Copy)} RENAME TO {table}");
            sql.AddRange(Internal.SqliteCopyBuilder.Indexes(D, spec));
            sql.AddRange(spec.Original.Triggers.Select(t => t.Definition));
        }
        sql.Add("PRAGMA legacy_alter_table = OFF");
        return sql;
    }

    /// <summary>
    /// The cut-over and its journal row commit in one transaction, so a resumed run never finds a
    /// swap that the journal does not know of.
    /// </summary>
    public override Task<bool> IsSwappedAsync(DbConnection connection, DbTransaction? transaction, SwapSpec spec, CancellationToken cancellationToken) => Task.FromResult(false);

    /// <summary>The online cut-over renames the original away; the one-transaction rebuild has dropped it already.</summary>
    public override IReadOnlyList<string> DropOld(SwapSpec spec) => [$"DROP TABLE IF EXISTS {D.Quote(spec.Names.Old)}"];

    private static long Number(object? value) => System.Convert.ToInt64(value, CultureInfo.InvariantCulture);
}
