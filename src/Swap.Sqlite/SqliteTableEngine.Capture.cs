using System.Data.Common;
using System.Globalization;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;
using Swap.Sqlite.Internal;

namespace Swap.Sqlite;

internal sealed partial class SqliteTableEngine
{
    /// <summary>
    /// Online below nothing, one transaction below <see cref="OnlineSwapOptions.OneTransactionBelowRows"/>:
    /// a small table is rebuilt faster in one transaction than copied in chunks, and its write lock
    /// lasts about as long as one chunk would. Before the table is read (null) the answer is "not
    /// necessarily online". A table that foreign keys point at (another table's, or its own) swaps
    /// online whatever its size, unless one transaction is forced (<c>--sqlite-online never</c>):
    /// SQLite's rebuild procedure turns foreign keys off first, which cannot be done inside the
    /// script's transaction, and with them on, dropping the original would run the children's
    /// ON DELETE actions (or fail on their keys).
    /// </summary>
    public override bool SwapsOnline(TableSchema? original, OnlineSwapOptions options) =>
        original is not null
        && (original.EstimatedRows >= options.OneTransactionBelowRows
            || (IsReferenced(original) && options.OneTransactionBelowRows != long.MaxValue));

    /// <summary>True when foreign keys of other tables, or of the table itself, name it.</summary>
    internal static bool IsReferenced(TableSchema table) =>
        table.ReferencedBy.Count > 0 || table.ForeignKeys.Any(f => string.Equals(f.ReferencedTable, table.Name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A chunk holds the database's only write lock: the application's writers wait for it.</summary>
    internal static readonly TimeSpan ChunkTime = TimeSpan.FromMilliseconds(50);

    public override TimeSpan DefaultChunkTime => ChunkTime;

    public override bool OneWriterAtATime => true;

    /// <summary>In WAL mode: a reader keeps its snapshot while a writer commits. In rollback-journal mode a reader's shared lock keeps the writer from committing.</summary>
    public override async Task<bool> ReadsBesideWritesAsync(DbConnection connection, CancellationToken cancellationToken) =>
        string.Equals(await connection.ScalarAsync("PRAGMA journal_mode", cancellationToken) as string, "wal", StringComparison.OrdinalIgnoreCase);

    /// <summary>Only when asked (<see cref="OnlineSwapOptions.SqliteIndexesAfterCopy"/>), and not the index of a UNIQUE or PRIMARY KEY constraint, which is part of the table.</summary>
    public override bool CanDeferIndex(IndexSchema index, bool afterCopyAsked) => afterCopyAsked && !index.IsConstraint;

    /// <summary>
    /// One <c>CREATE INDEX</c> per deferred index on the filled copy, each its own write
    /// transaction under the session's statement lock wait, each followed by the writers' turn
    /// (<paramref name="betweenBuilds"/>); an index an interrupted run already built (found by its
    /// temporary name) is kept.
    /// </summary>
    public override async Task BuildIndexesAsync(DbConnection connection, SwapSpec spec, Func<Task> betweenBuilds, CancellationToken cancellationToken)
    {
        // The build's sort may use helper threads of Swap's own process (SQLite's PRAGMA threads,
        // 0 by default): the writers wait for every build, so a shorter build is a shorter wait.
        await connection.ExecuteAsync($"PRAGMA threads = {SortThreads.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
        foreach (var (name, sql) in DeferredBuilds(spec))
        {
            var exists = await connection.ScalarAsync("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = @name", new { name }, null, cancellationToken);
            if (exists is not null)
                continue;
            await connection.ExecuteAsync(sql, cancellationToken);
            await betweenBuilds();
        }
    }

    /// <summary>Helper threads for an index build's sort: the machine's cores, at most 4 (a bound; measured on 2 cores only).</summary>
    private static int SortThreads => Math.Clamp(Environment.ProcessorCount, 1, 4);

    public override IReadOnlyList<string> BuildIndexesPlan(SwapSpec spec) => DeferredBuilds(spec).Select(b => b.Sql).ToList();

    private IEnumerable<(string Name, string Sql)> DeferredBuilds(SwapSpec spec) =>
        SqliteCopyBuilder.IndexDefinitions(D, spec)
            .Where(i => IsDeferred(spec, i.Index))
            .Select(i => (CopyIndexName(i.Index.Name), CreateCopyIndex(spec, i.Definition, D.Quote(CopyIndexName(i.Index.Name)))));

    private static bool IsDeferred(SwapSpec spec, IndexSchema index) =>
        spec.DeferredIndexes.Any(d => string.Equals(d.Name, index.Name, StringComparison.OrdinalIgnoreCase));

    private string CreateCopyIndex(SwapSpec spec, string definition, string quotedName) =>
        SqliteIndexSql.Retarget(definition, quotedName, D.Quote(spec.Names.Copy));

    /// <summary>
    /// Half the time the lock was held, between 10 and 100 ms: a writer that waited (SQLite's busy
    /// handler sleeps 1, 2, 5, 10, 15, 20, 25... ms between tries, at most 100) tries again inside
    /// that window and gets the lock before the next chunk.
    /// </summary>
    public override TimeSpan WritersTurn(TimeSpan held) =>
        TimeSpan.FromTicks(Math.Clamp(held.Ticks / 2, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromMilliseconds(100).Ticks));

    /// <summary>
    /// The copy's secondary indexes under temporary names (index names are per database; the
    /// cut-over gives them the original names), made on the empty copy so that every chunk keeps
    /// them current: a build on the filled copy would hold the write lock for the whole build.
    /// Those the swap builds after the copy (<see cref="OnlineSwapOptions.SqliteIndexesAfterCopy"/>)
    /// are left out. Then the change log and the triggers that append each written key to it, in
    /// the writer's own transaction.
    /// </summary>
    public override IReadOnlyList<string> InstallCapture(SwapSpec spec)
    {
        var n = spec.Names;
        var log = D.Quote(n.Log);
        var original = D.Quote(spec.Original.Name);
        var logColumns = string.Join(", ", spec.Key.Select((_, i) => D.Quote(SwapQueries.LogKey(i))));
        string Append(string op, string row) => $"INSERT INTO {log} (\"op\", {logColumns}) VALUES ('{op}', {string.Join(", ", spec.Key.Select(k => $"{row}.{D.Quote(k)}"))})";
        var keyChanged = string.Join(" OR ", spec.Key.Select(k => $"NOT (OLD.{D.Quote(k)} IS NEW.{D.Quote(k)})"));
        var newKey = $"INSERT INTO {log} (\"op\", {logColumns}) SELECT 'u', {string.Join(", ", spec.Key.Select(k => $"NEW.{D.Quote(k)}"))} WHERE {keyChanged}";
        // The log's key columns take the key's declared type and collation, so they compare with the
        // key by the same affinity, and a lookup in the original's collation uses the log's index.
        var keyDefs = spec.Key.Select((k, i) =>
        {
            var column = spec.Original.Column(k)!;
            var collation = SqliteCollation.Of(column);
            return $"{D.Quote(SwapQueries.LogKey(i))} {column.NativeType}".TrimEnd() + (SqliteCollation.Same(collation, SqliteCollation.Binary) ? "" : $" COLLATE {D.Quote(collation)}");
        });
        var sql = new List<string>();
        foreach (var (index, definition) in SqliteCopyBuilder.IndexDefinitions(D, spec).Where(i => !IsDeferred(spec, i.Index)))
        {
            var temp = D.Quote(CopyIndexName(index.Name));
            sql.Add($"DROP INDEX IF EXISTS {temp}");
            sql.Add(CreateCopyIndex(spec, definition, temp));
        }
        sql.AddRange(
        [
            $"DROP TABLE IF EXISTS {log}",
            $"CREATE TABLE {log} (\"id\" INTEGER PRIMARY KEY, \"op\" TEXT NOT NULL, {string.Join(", ", keyDefs)})",
            $"CREATE INDEX {D.Quote(n.Log + "_k")} ON {log} ({logColumns})",
            $"CREATE TRIGGER {D.Quote(n.InsertTrigger)} AFTER INSERT ON {original} BEGIN {Append("i", "NEW")}; END",
            $"CREATE TRIGGER {D.Quote(n.UpdateTrigger)} AFTER UPDATE ON {original} BEGIN {Append("u", "OLD")}; {newKey}; END",
            $"CREATE TRIGGER {D.Quote(n.DeleteTrigger)} AFTER DELETE ON {original} BEGIN {Append("d", "OLD")}; END",
        ]);
        return sql;
    }

    /// <summary>Drops the capture triggers, the change log and the copy's temporarily named indexes (none are left after the cut-over).</summary>
    public override IReadOnlyList<string> RemoveCapture(SwapSpec spec) =>
    [
        .. new[] { spec.Names.InsertTrigger, spec.Names.UpdateTrigger, spec.Names.DeleteTrigger }.Select(t => $"DROP TRIGGER IF EXISTS {D.Quote(t)}"),
        $"DROP TABLE IF EXISTS {D.Quote(spec.Names.Log)}",
        .. SqliteCopyBuilder.IndexDefinitions(D, spec).Select(i => $"DROP INDEX IF EXISTS {D.Quote(CopyIndexName(i.Index.Name))}"),
    ];

    public override async Task<bool> CaptureInstalledAsync(DbConnection connection, DbTransaction? transaction, SwapSpec spec, CancellationToken cancellationToken)
    {
        var count = await connection.ScalarAsync(
            """
            SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = @table COLLATE NOCASE AND name IN (@ins, @upd, @del))
                 + (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @log COLLATE NOCASE)
            """,
            new { table = spec.Original.Name, ins = spec.Names.InsertTrigger, upd = spec.Names.UpdateTrigger, del = spec.Names.DeleteTrigger, log = spec.Names.Log },
            transaction,
            cancellationToken);
        return System.Convert.ToInt64(count, CultureInfo.InvariantCulture) == 4;
    }

    /// <summary>The name of an index on the copy until the cut-over renames it.</summary>
    internal string CopyIndexName(string index) => SwapNames.For(index, D.MaxIdentifierLength).Copy;

    /// <summary>The name an original's index takes when the original is renamed away.</summary>
    internal string OldIndexName(string index) => SwapNames.For(index, D.MaxIdentifierLength).Old;
}
