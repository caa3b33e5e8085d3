using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Swap.Scenarios.Online.Contenders;
using Swap.Scenarios.Online.Data;
using Swap.Scenarios.Online.Load;

namespace Swap.Scenarios.Online.Engines;

/// <summary>
/// SQLite: a file per workspace under the work folder, in WAL mode; the template is loaded in one
/// transaction through a prepared INSERT, indexed after the load, and cloned by copying the file.
/// </summary>
internal sealed class SqliteEngine : BenchEngine
{
    private readonly string folder;
    private readonly string prefix;

    public SqliteEngine(string folder, string prefix)
    {
        this.folder = folder;
        this.prefix = prefix;
        Directory.CreateDirectory(folder);
    }

    public override string Name => "sqlite";

    public override IReadOnlyList<Contender> Contenders { get; } = [new SqliteNativeAlter(), new SqliteRebuild(), new SwapContender(), new SwapAlwaysCopyContender(), new SwapIndexesAfterCopyContender(), new SwapCliContender { OnRequestOnly = true }, new SwapSqlContender()];

    public override string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public string PathOf(string workspace) => Path.Combine(folder, workspace + ".db");

    public override string UrlText(string workspace) => "sqlite:" + PathOf(workspace);

    public override Task<DbConnection> OpenAsync(string? workspace, CancellationToken ct) => OpenFileAsync(PathOf(workspace ?? prefix + "_admin"), ct);

    private static async Task<DbConnection> OpenFileAsync(string path, CancellationToken ct)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 0 }.ToString());
        await c.OpenAsync(ct);
        // Does not sync every commit in WAL mode, as applications on WAL usually do.
        await c.ExecAsync("PRAGMA synchronous = NORMAL", ct);
        return c;
    }

    /// <summary>
    /// The writer steps its statements itself and retries SQLITE_BUSY every millisecond: the bundled
    /// SQLite's busy handler sleeps in whole seconds (no usleep in that build) and Microsoft.Data.Sqlite
    /// retries every 150 ms, so either would measure its own granularity instead of the lock.
    /// </summary>
    public override IWriteApplier WriterApplier(TableModel table, DbConnection connection) => new SqliteRawApplier(this, table, (SqliteConnection)connection);

    public override async Task<string> ServerVersionAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(null, ct);
        return $"SQLite {await c.ScalarAsync("SELECT sqlite_version()", ct)} (WAL, synchronous NORMAL for the writer)";
    }

    public override string TypeSql(BenchColumn column, bool widened) => column.Type switch
    {
        BenchType.Key => "INTEGER NOT NULL",
        BenchType.Int => widened ? "BIGINT" : "INTEGER",
        BenchType.BigInt => "BIGINT",
        BenchType.String => $"VARCHAR({column.Length})",
        BenchType.Text => "TEXT",
        _ => "DATETIME",
    };

    public override bool IsTransient(Exception error) => error is SqliteException { SqliteErrorCode: 5 or 6 };

    private string TemplatePath(TableModel table, long rows) => Path.Combine(folder, $"{prefix}_tpl_{table.Name}_{rows}.db");

    public override async Task<double> EnsureTemplateAsync(TableModel table, long rows, CancellationToken ct)
    {
        var path = TemplatePath(table, rows);
        var marker = path + ".ok";
        if (File.Exists(path) && File.Exists(marker) && (await File.ReadAllTextAsync(marker, ct)).Trim() == DataVersion.ToString(CultureInfo.InvariantCulture))
            return 0;
        var clock = Stopwatch.StartNew();
        foreach (var f in new[] { path, path + "-wal", path + "-shm", marker })
            File.Delete(f);
        await using (var c = await OpenFileAsync(path, ct))
        {
            await c.ScalarAsync("PRAGMA journal_mode = WAL", ct);
            await c.ExecAsync(CreateTableSql(table, Quote(table.Name), changed: false), ct);
            await using (var tx = await c.BeginTransactionAsync(ct))
            {
                await using var insert = Sql.Command(c, InsertSql(table));
                insert.Transaction = tx;
                for (var i = 0; i < table.Columns.Count; i++)
                    Sql.Add(insert, "@c" + i, null);
                await insert.PrepareAsync(ct);
                var values = new object?[table.Columns.Count];
                for (long id = 1; id <= rows; id++)
                {
                    table.Row(id, values);
                    for (var i = 0; i < values.Length; i++)
                        insert.Parameters[i].Value = values[i] ?? DBNull.Value;
                    await insert.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
            }
            foreach (var index in table.Indexes)
                await c.ExecAsync(IndexSql(index, Quote(table.Name)), ct);
            await c.ExecAsync("ANALYZE", ct);
            await c.ScalarAsync("PRAGMA wal_checkpoint(TRUNCATE)", ct);
        }
        await File.WriteAllTextAsync(marker, DataVersion.ToString(CultureInfo.InvariantCulture), ct);
        return clock.Elapsed.TotalSeconds;
    }

    public override async Task CloneAsync(TableModel table, long rows, string workspace, CancellationToken ct)
    {
        await DropWorkspaceAsync(workspace, ct);
        File.Copy(TemplatePath(table, rows), PathOf(workspace));
    }

    public override Task DropWorkspaceAsync(string workspace, CancellationToken ct)
    {
        var path = PathOf(workspace);
        foreach (var f in new[] { path, path + "-wal", path + "-shm", path + "-journal", path + ".swap-lock" })
            File.Delete(f);
        return Task.CompletedTask;
    }

    /// <summary>Deletes this run's templates (smoke runs).</summary>
    public void DropTemplates()
    {
        foreach (var f in Directory.GetFiles(folder, prefix + "_tpl_*"))
            File.Delete(f);
        var admin = PathOf(prefix + "_admin");
        foreach (var f in new[] { admin, admin + "-wal", admin + "-shm" })
            File.Delete(f);
    }

    public override async Task<TableShape> DescribeAsync(string workspace, TableModel table, CancellationToken ct)
    {
        await using var c = await OpenAsync(workspace, ct);
        var columns = await c.ColumnAsync("SELECT name FROM pragma_table_info(@t) ORDER BY cid", ct, ("@t", table.Name));
        var indexes = await c.ColumnAsync("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = @t ORDER BY name", ct, ("@t", table.Name));
        return new TableShape(columns, indexes);
    }
}
