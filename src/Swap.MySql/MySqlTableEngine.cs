using System.Data.Common;
using System.Globalization;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.MySql;

/// <summary>
/// The online copy-and-swap on MySQL/MariaDB: the copy is <c>CREATE TABLE ... LIKE</c> plus
/// ALTERs on the empty copy; AFTER triggers append changed keys to a change log; chunks are
/// copied with READ COMMITTED non-locking reads; the cut-over is gh-ost's sentry scheme (see
/// MySqlTableEngine.CutOver.cs): one session write-locks the tables and applies the rest of the
/// log while a second session's multi-table <c>RENAME TABLE</c> waits for those locks.
/// </summary>
internal sealed partial class MySqlTableEngine(MySqlDatabase database) : TableEngine(database)
{
    private MySqlDialect D => MySqlDialect.Instance;

    private readonly MySqlTriggerMover triggers = new(database);
    private readonly MySqlViewCheck views = new(database);

    public override bool Online => true;

    /// <summary>
    /// 100 ms: a chunk's rows reach the binary log at its commit, and every commit of the application
    /// waits behind that write. A 500 ms chunk (80,000-100,000 rows of a 300-byte table, 30 MB of
    /// binary log) held the application's commits for 20-90 ms each (docs/benchmarks.md). The
    /// applier sizes its batches to half a second all the same (<see cref="CatchUp.MinBatchTargetTime"/>).
    /// </summary>
    internal static readonly TimeSpan ChunkTime = TimeSpan.FromMilliseconds(100);

    public override TimeSpan DefaultChunkTime => ChunkTime;

    /// <summary>
    /// The modes the session copies rows under, as the copy's SQL needs them: NO_AUTO_VALUE_ON_ZERO so
    /// that a row whose AUTO_INCREMENT column holds 0 is copied with 0 (without it the server hands the
    /// row a new id, and verification finds the original row missing), and without NO_ZERO_DATE and
    /// NO_ZERO_IN_DATE (MySQL 8's default) so that stored zero dates copy (strict mode refuses them
    /// with 1292 otherwise). Only for Swap's own statements: the session's mode is given back after.
    /// </summary>
    internal static string ExactCopyMode(string mode)
    {
        var modes = mode.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(m => !m.Equals("NO_ZERO_DATE", StringComparison.OrdinalIgnoreCase) && !m.Equals("NO_ZERO_IN_DATE", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (!modes.Contains("NO_AUTO_VALUE_ON_ZERO", StringComparer.OrdinalIgnoreCase))
            modes.Add("NO_AUTO_VALUE_ON_ZERO");
        return string.Join(',', modes);
    }

    public override async Task<IAsyncDisposable> ExactCopySessionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var saved = System.Convert.ToString(await connection.ScalarAsync("SELECT @@SESSION.sql_mode", null, transaction, cancellationToken), CultureInfo.InvariantCulture) ?? "";
        var exact = ExactCopyMode(saved);
        if (string.Equals(exact, saved, StringComparison.Ordinal))
            return new SessionMode(connection, transaction, null);
        await connection.ExecuteAsync("SET SESSION sql_mode = @mode", new { mode = exact }, transaction, cancellationToken);
        return new SessionMode(connection, transaction, saved);
    }

    /// <summary>Gives the session its sql_mode back (nothing to do when the connection is gone: so is its mode).</summary>
    private sealed class SessionMode(DbConnection connection, DbTransaction? transaction, string? saved) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (saved is null || connection.State != System.Data.ConnectionState.Open)
                return;
            try
            {
                // The migration's transaction, while it is still open, is the connection's.
                await connection.ExecuteAsync("SET SESSION sql_mode = @mode", new { mode = saved }, transaction?.Connection is null ? null : transaction, CancellationToken.None);
            }
            catch (Exception e) when (e is DbException or InvalidOperationException or ObjectDisposedException or IOException)
            {
                // The connection broke: the session and its mode are gone with it (and the error that
                // ended the swap, if any, is the one to report).
            }
        }
    }

    public override IEnumerable<string> Refusals(TableSchema original, DbTable? target)
    {
        if (original.ForeignKeys.FirstOrDefault(f => string.Equals(f.ReferencedTable, original.Name, StringComparison.Ordinal)) is { } self)
            yield return $"Its foreign key {self.Name} points at the table itself; Swap cannot re-point a key that is both the table's own and a child's. Drop it for the swap and add it back after, or use plain ALTER TABLE.";
        if (original.Extra.GetValueOrDefault("engine") is { } e && !e.Equals("InnoDB", StringComparison.OrdinalIgnoreCase))
            yield return $"It uses the {e} storage engine; Swap needs InnoDB's transactions and row locks to copy it online.";
        if (original.Extra.GetValueOrDefault("system_versioned") == "1")
            yield return "It is system-versioned (WITH SYSTEM VERSIONING): a copy would hold only the current rows, and the swap would drop the table's history with the old table. Change it with a native ALTER TABLE (with system_versioning_alter_history = KEEP), or remove the versioning first.";
        if (target is null)
            yield break;
        foreach (var reason in MySqlPartitioning.Refusals(original, target))
            yield return reason;
        // A key of another table needs the referenced columns in the swapped-in table, as they are.
        foreach (var fk in original.ReferencedBy)
        {
            foreach (var column in fk.ReferencedColumns)
            {
                var kept = target.Columns.FirstOrDefault(c => string.Equals(c.OriginalName, column, StringComparison.OrdinalIgnoreCase));
                if (kept is null || kept.TypeChanged || !string.Equals(kept.Name, column, StringComparison.Ordinal))
                    yield return $"Column '{column}' is referenced by the foreign key {fk.Table}.{fk.Name}; keep it with its name and type in this swap (change the key of {fk.Table} first).";
            }
        }
    }

    /// <summary>
    /// Why no copy of this table can stand in for it, whatever the change (an instant or in-place
    /// change keeps the table itself, so only the copy's preflight asks, through <see cref="CaptureRefusals"/>).
    /// </summary>
    private static IEnumerable<string> CopyShapeRefusals(TableSchema original)
    {
        if (original.Indexes.FirstOrDefault(i => MySqlIndexText.WithoutOverlaps(i.Definition)) is { } overlaps)
            yield return $"Its unique key {overlaps.Name} is WITHOUT OVERLAPS: MariaDB copies no rows into such a table with the statements Swap uses (INSERT ... ON DUPLICATE KEY UPDATE, error 1235), and builds none of its indexes online. Change it with a native ALTER TABLE, or drop the key for the swap and add it back after.";
        if (MySqlTableText.StoredElsewhere(original.Extra.GetValueOrDefault("ddl") ?? "") is { } directory)
            yield return $"It is stored outside the server's data directory ({directory}): the copy (CREATE TABLE ... LIKE) would be made in the data directory, and MariaDB ignores DATA DIRECTORY in an ALTER TABLE, so the swapped-in table would move there. Change it with a native ALTER TABLE (which keeps the table where it is), or move it into the data directory first.";
    }

    /// <summary>
    /// A FLOAT is read as a .NET float and bound back by its shortest text (0.1), which the server
    /// compares with the stored single-precision value in double precision (0.10000000149011612):
    /// no row matches. A DOUBLE comes back exactly.
    /// </summary>
    public override string? InexactKey(ColumnSchema column) =>
        column.NativeType.StartsWith("float", StringComparison.OrdinalIgnoreCase)
            ? "holds single-precision values, which the server compares with a bound key in double precision: a key read as 0.1 is stored as 0.10000000149011612 and matches no row when bound back, so the writes captured during the swap would never reach the copy (a DOUBLE key does not have this problem)"
            : null;

    public override IReadOnlyList<string> CreateCopy(TableSchema original, DbTable? target, SwapNames names) =>
        MySqlCopyBuilder.Build(D, original, target, names);

    /// <summary>The table's own triggers must compile on the copy (<see cref="MySqlTriggerMover"/>), and the views over it must read it (<see cref="MySqlViewCheck"/>).</summary>
    public override async Task CheckCopyAsync(DbConnection connection, DbTransaction? transaction, TableSchema original, SwapNames names, CancellationToken cancellationToken)
    {
        await triggers.CheckOnCopyAsync(connection, original, names, cancellationToken);
        await views.CheckOnCopyAsync(connection, original, names, cancellationToken);
    }

    /// <summary>An interrupted cut-over may have left the original's triggers on the copies and other tables' foreign keys pointing at them.</summary>
    public override async Task UndoCutOverAttemptAsync(DbConnection connection, IReadOnlyList<SwapSpec> specs, CancellationToken cancellationToken)
    {
        await triggers.RemoveFromCopiesAsync(connection, specs, cancellationToken);
        await RepointStrayKeysAsync(connection, specs, cancellationToken);
    }

    public override Task AfterSwapAsync(DbConnection connection, SwapSpec spec, OnlineSwapOptions options, TimeProvider time, CancellationToken cancellationToken) =>
        triggers.RestoreNamesAsync(connection, spec, options, time, cancellationToken);

    public override string CopyKeyAsOriginal(string copy, ColumnSchema original, ColumnSchema copyColumn)
    {
        // A key moved to another character set or collation (latin1 to utf8mb4): compared as they
        // are, the original's column is the one converted, so its index is not used and every check
        // of the copy's rows against the original scans the original (a 60,000-row table took 7
        // minutes). The copy's values came from the original's, so converting them back loses nothing.
        if (original.Collation is not { } collation || copyColumn.Collation is not { } copyCollation
            || string.Equals(collation, copyCollation, StringComparison.OrdinalIgnoreCase)
            || Charset(collation) is not { } charset || !collation.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            return copy;
        return $"CONVERT({copy} USING {charset}) COLLATE {collation}";
    }

    public override string SameValue(string original, string copy, ColumnMapping mapping)
    {
        // A text column moved to another character set holds other bytes for the same characters:
        // the original's value is converted to the copy's character set first, as storing it does.
        // CAST(... AS BINARY), not the BINARY operator, which MySQL 8.0.27 deprecated (a warning on every comparison).
        if (MySqlColumnText.IsText(mapping.CopyType) && Charset(mapping.CopyCollation) is { } to && Charset(mapping.OriginCollation) is { } was
            && !string.Equals(was, to, StringComparison.OrdinalIgnoreCase))
            return $"CAST(CONVERT({original} USING {to}) AS BINARY) <=> CAST({copy} AS BINARY)";
        if (MySqlColumnText.IsText(mapping.CopyType) || mapping.CopyType.StartsWith("json", StringComparison.OrdinalIgnoreCase))
            return $"CAST({original} AS BINARY) <=> CAST({copy} AS BINARY)";
        // A DECIMAL of fewer places rounds what is stored in it: the original's value is compared rounded the same way.
        if (DecimalType().Match(mapping.CopyType) is { Success: true } d)
            return $"CAST({original} AS DECIMAL({d.Groups[1].Value},{d.Groups[2].Value})) <=> {copy}";
        // An integer column stores a DECIMAL or DOUBLE rounded as ROUND does (half away from zero
        // for a DECIMAL, to even for a DOUBLE), so the original's value is compared rounded.
        if (IntegerType().IsMatch(mapping.CopyType) && mapping.OriginType is { } from && FractionalType().IsMatch(from))
            return $"ROUND({original}) <=> {copy}";
        // A FLOAT keeps the nearest single-precision value (about 7 digits), and SQL has no cast to
        // single precision to round the original's value the same way: they are equal within
        // FLOAT's precision (2^-23 of the value). NULL-safe: one NULL and one value differ.
        if (FloatType().IsMatch(mapping.CopyType) && mapping.OriginType is { } source && !FloatType().IsMatch(source))
            return $"({original} <=> {copy} OR COALESCE(ABS({original} - {copy}) <= ABS({copy}) * 1.2e-7, FALSE))";
        return $"{original} <=> {copy}";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^float\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex FloatType();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(tinyint|smallint|mediumint|int|integer|bigint)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex IntegerType();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(decimal|numeric|dec|fixed|float|double|real)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex FractionalType();

    /// <summary>The character set a collation belongs to (<c>latin1_swedish_ci</c>: <c>latin1</c>), when it is a plain name.</summary>
    private static string? Charset(string? collation)
    {
        var end = collation?.IndexOf('_', StringComparison.Ordinal) ?? -1;
        return end <= 0 || !collation![..end].All(char.IsAsciiLetterOrDigit) ? null : collation[..end];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^decimal\((\d+),(\d+)\)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex DecimalType();

    /// <summary>
    /// A plain consistent read of the original: the chunk's transaction is READ COMMITTED (set
    /// explicitly), where InnoDB reads the source of an <c>INSERT ... SELECT</c> without locks.
    /// ON DUPLICATE KEY UPDATE with a no-op skips keys already in the copy, and unlike INSERT
    /// IGNORE does not turn bad values into warnings.
    /// </summary>
    public override string CopyChunk(SwapSpec spec, string range) => CopyRows(spec, "o", range);

    /// <summary>
    /// Reads the original by its own name, without an alias: under the cut-over's LOCK TABLES an
    /// alias would need its own lock entry, and two originals cannot both be locked as <c>o</c>.
    /// </summary>
    public override string ApplyRows(SwapSpec spec, int keys) =>
        CopyRows(spec, "", KeyRange.In(D, D.Quote(spec.Original.Name), spec.Key, keys, "a"));

    /// <summary>The in-place re-sync of a revert window's old table: mapped columns updated, insert-only ones kept.</summary>
    public override string UpsertRows(SwapSpec spec, int keys)
    {
        var copy = D.Quote(spec.Names.Copy);
        var range = KeyRange.In(D, D.Quote(spec.Original.Name), spec.Key, keys, "a");
        var set = spec.Mapping
            .Where(m => !spec.InsertOnly.Contains(m.CopyColumn) && !spec.CopyKey.Contains(m.CopyColumn, StringComparer.OrdinalIgnoreCase))
            .Select(m => $"{D.Quote(m.CopyColumn)} = VALUES({D.Quote(m.CopyColumn)})")
            .ToList();
        if (set.Count == 0)
            set.Add($"{D.Quote(spec.CopyKey[0])} = {D.Quote(spec.CopyKey[0])}");
        return $"INSERT INTO {copy} ({Columns(spec)}) SELECT {Sources(spec)} FROM {D.Quote(spec.Original.Name)} WHERE {range} ON DUPLICATE KEY UPDATE {string.Join(", ", set)}";
    }

    /// <summary>
    /// <c>INSERT ... SELECT ... ON DUPLICATE KEY UPDATE</c>: a consistent read of the original under
    /// READ COMMITTED (a multi-table UPDATE or a DELETE reading it would lock its rows), and only
    /// where the copy's primary key is the chunk key, so the duplicate InnoDB finds first (the
    /// clustered index) is the row of the same key.
    /// </summary>
    public override string? ResyncInPlace(SwapSpec spec, int keys, IReadOnlySet<string> unchanged)
    {
        var primary = spec.TargetPrimaryKey.Count > 0 ? spec.TargetPrimaryKey : spec.Copy.PrimaryKey;
        if (!primary.SequenceEqual(spec.CopyKey, StringComparer.OrdinalIgnoreCase))
            return null;
        var set = spec.Mapping
            .Where(m => !unchanged.Contains(m.CopyColumn) && !spec.InsertOnly.Contains(m.CopyColumn) && !spec.CopyKey.Contains(m.CopyColumn, StringComparer.OrdinalIgnoreCase))
            .Select(m => $"{D.Quote(m.CopyColumn)} = VALUES({D.Quote(m.CopyColumn)})")
            .ToList();
        if (set.Count == 0)
            return null;
        var unchecked_ = CopyWritesUnchecked(spec) ? "SET STATEMENT foreign_key_checks = 0 FOR " : "";
        var range = KeyRange.In(D, D.Quote(spec.Original.Name), spec.Key, keys, "a");
        return $"{unchecked_}INSERT INTO {D.Quote(spec.Names.Copy)} ({Columns(spec)}) SELECT {Sources(spec)} FROM {D.Quote(spec.Original.Name)} WHERE {range} ON DUPLICATE KEY UPDATE {string.Join(", ", set)}";
    }

    private string CopyRows(SwapSpec spec, string alias, string range)
    {
        var copy = D.Quote(spec.Names.Copy);
        var key = copy + "." + D.Quote((spec.TargetPrimaryKey.Count > 0 ? spec.TargetPrimaryKey : spec.CopyKey)[0]);
        var from = D.Quote(spec.Original.Name) + (alias.Length > 0 ? " " + alias : "");
        var unchecked_ = CopyWritesUnchecked(spec) ? "SET STATEMENT foreign_key_checks = 0 FOR " : "";
        return $"{unchecked_}INSERT INTO {copy} ({Columns(spec)}) SELECT {Sources(spec)} FROM {from} WHERE {range} ON DUPLICATE KEY UPDATE {key} = {key}";
    }

    /// <summary>
    /// The change log and three AFTER triggers that append the written key to it (an UPDATE that
    /// changes the key logs both keys). They coexist with the table's own triggers.
    /// </summary>
    public override IReadOnlyList<string> InstallCapture(SwapSpec spec)
    {
        var n = spec.Names;
        var log = D.Quote(n.Log);
        var original = D.Quote(spec.Original.Name);
        var logColumns = string.Join(", ", spec.Key.Select((_, i) => D.Quote(SwapQueries.LogKey(i))));
        string Append(string op, string row) => $"INSERT INTO {log} (`op`, {logColumns}) VALUES ('{op}', {string.Join(", ", spec.Key.Select(k => $"{row}.{D.Quote(k)}"))})";
        var keyChanged = string.Join(" OR ", spec.Key.Select(k => $"NOT (OLD.{D.Quote(k)} <=> NEW.{D.Quote(k)})"));
        var keyDefs = spec.Key.Select((k, i) =>
        {
            var c = spec.Original.Column(k)!;
            return $"{D.Quote(SwapQueries.LogKey(i))} {c.NativeType}{(c.Collation is { } coll ? " COLLATE " + coll : "")} NOT NULL";
        });
        var indexable = spec.Key.All(k => spec.Original.Column(k)!.NativeType is var t && !t.Contains("blob", StringComparison.OrdinalIgnoreCase) && !t.Contains("text", StringComparison.OrdinalIgnoreCase));
        var index = indexable ? $", KEY `k` ({logColumns})" : "";
        return
        [
            $"DROP TABLE IF EXISTS {log}",
            $"CREATE TABLE {log} (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `op` CHAR(1) NOT NULL, {string.Join(", ", keyDefs)}{index}) ENGINE=InnoDB",
            $"CREATE TRIGGER {D.Quote(n.InsertTrigger)} AFTER INSERT ON {original} FOR EACH ROW {Append("i", "NEW")}",
            $"CREATE TRIGGER {D.Quote(n.UpdateTrigger)} AFTER UPDATE ON {original} FOR EACH ROW BEGIN {Append("u", "OLD")}; IF {keyChanged} THEN {Append("u", "NEW")}; END IF; END",
            $"CREATE TRIGGER {D.Quote(n.DeleteTrigger)} AFTER DELETE ON {original} FOR EACH ROW {Append("d", "OLD")}",
        ];
    }

    /// <summary>InnoDB runs these as DDL (TRUNCATE drops and recreates the table): no row trigger fires, so the change log never hears of the rows they remove.</summary>
    public override string? UncapturedRemovals =>
        "TRUNCATE TABLE (or ALTER TABLE ... TRUNCATE PARTITION or EXCHANGE PARTITION), which MySQL/MariaDB run as DDL without firing triggers";

    public override IReadOnlyList<string> RemoveCapture(SwapSpec spec) =>
        [.. CaptureTriggerDrops(spec), $"DROP TABLE IF EXISTS {D.Quote(spec.Names.Log)}"];

    private IEnumerable<string> CaptureTriggerDrops(SwapSpec spec) =>
        new[] { spec.Names.InsertTrigger, spec.Names.UpdateTrigger, spec.Names.DeleteTrigger }.Select(t => $"DROP TRIGGER IF EXISTS {D.Quote(t)}");

    public override async Task<bool> CaptureInstalledAsync(DbConnection connection, DbTransaction? transaction, SwapSpec spec, CancellationToken cancellationToken)
    {
        var count = await connection.ScalarAsync(
            """
            SELECT (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = @table AND TRIGGER_NAME IN (@ins, @upd, @del))
                 + (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @log)
            """,
            new { table = spec.Original.Name, ins = spec.Names.InsertTrigger, upd = spec.Names.UpdateTrigger, del = spec.Names.DeleteTrigger, log = spec.Names.Log },
            transaction,
            cancellationToken);
        return System.Convert.ToInt64(count, CultureInfo.InvariantCulture) == 4;
    }

    public override async Task<bool> IsSwappedAsync(DbConnection connection, DbTransaction? transaction, SwapSpec spec, CancellationToken cancellationToken) =>
        !await database.TableExistsAsync(connection, spec.Names.Copy, cancellationToken)
        && await database.TableExistsAsync(connection, spec.Names.Old, cancellationToken);

    public override IReadOnlyList<string> DropOld(SwapSpec spec) => [$"DROP TABLE IF EXISTS {D.Quote(spec.Names.Old)}"];

    public override string IndexPart(string expression, int? prefix) => prefix is { } n ? $"LEFT({expression}, {n})" : expression;

    /// <summary>ON DUPLICATE KEY UPDATE reports 2 for a row it updated and 0 for a no-op; count inserts only.</summary>
    public override long CopiedRows(int affected) => affected;

    public override async Task<IReadOnlyList<Leftover>> FindLeftoversAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync(
            """
            SELECT 'table' AS kind, TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '\_%\_swap\_%'
            UNION ALL
            SELECT 'trigger', TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME LIKE '\_%\_swap\_%'
            """,
            null,
            cancellationToken);
        return Leftovers(rows.Select(r => (r.String("kind")!, r.String("name")!)));
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
