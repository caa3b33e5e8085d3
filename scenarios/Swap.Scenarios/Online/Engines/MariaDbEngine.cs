using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Swap.MySql;
using MySqlConnector;
using Swap.Scenarios.Online.Contenders;
using Swap.Scenarios.Online.Data;

namespace Swap.Scenarios.Online.Engines;

/// <summary>
/// MariaDB: one database per workspace (<c>{prefix}_{contender}</c>), the template in
/// <c>{prefix}_tpl</c>, loaded with multi-row INSERTs of 1,000 rows (LOAD DATA LOCAL is off in
/// the client library) and indexed after the load.
/// </summary>
internal sealed class MariaDbEngine(DatabaseUrl server, string prefix, bool autoIncrement = true) : BenchEngine
{
    private string Template => prefix + "_tpl";

    public override string Name => "mariadb";

    public override IReadOnlyList<Contender> Contenders { get; } =
        [new MariaDbNativeAlter(), new PtOnlineSchemaChange(), new SwapContender(), new SwapCliContender(), new SwapRevertWindowContender(), new SwapAlwaysCopyContender(), new SwapSqlContender(), new MariaDbLimit(), new MariaDbChunkedFloor()];

    public DatabaseUrl Server => server;

    public override string Quote(string name) => "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";

    public override string UrlText(string workspace) =>
        $"mysql://{Uri.EscapeDataString(server.User ?? "")}:{Uri.EscapeDataString(server.Password ?? "")}@{server.Host}:{server.Port ?? 3306}/{workspace}";

    public override async Task<DbConnection> OpenAsync(string? workspace, CancellationToken ct)
    {
        var connection = await new MySqlDatabase(DatabaseUrl.Parse(UrlText(workspace ?? server.Database))).OpenConnectionAsync(ct);
        // An application waits for metadata locks as long as MySQL's default (a year), not the test server's 60 s.
        await connection.ExecAsync("SET SESSION lock_wait_timeout = 31536000", ct);
        return connection;
    }

    public override async Task<string> ServerVersionAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(null, ct);
        var version = await c.ScalarAsync("SELECT VERSION()", ct);
        var pool = await c.ScalarAsync("SELECT @@innodb_buffer_pool_size", ct);
        var flush = await c.ScalarAsync("SELECT @@innodb_flush_log_at_trx_commit", ct);
        // The redo log's size sets how soon a bulk copy drives InnoDB into flushing that stalls writers.
        var redo = await c.ScalarAsync("SELECT @@innodb_log_file_size", ct);
        var autoinc = await c.ScalarAsync("SELECT @@innodb_autoinc_lock_mode", ct);
        // Read, not assumed: the build's servers run with the binary log on (row format, sync_binlog=0), as replicas need.
        var binlog = Convert.ToInt64(await c.ScalarAsync("SELECT @@log_bin", ct), CultureInfo.InvariantCulture) == 1
            ? $"binlog {await c.ScalarAsync("SELECT @@binlog_format", ct)}, sync_binlog {await c.ScalarAsync("SELECT @@sync_binlog", ct)}"
            : "binlog off";
        return string.Create(CultureInfo.InvariantCulture, $"MariaDB {version} (innodb_buffer_pool_size {Convert.ToInt64(pool, CultureInfo.InvariantCulture) >> 20} MB, innodb_log_file_size {Convert.ToInt64(redo, CultureInfo.InvariantCulture) >> 20} MB, innodb_flush_log_at_trx_commit {flush}, innodb_autoinc_lock_mode {autoinc}, {binlog})");
    }

    public override string TypeSql(BenchColumn column, bool widened) => column.Type switch
    {
        BenchType.Key => autoIncrement ? "BIGINT NOT NULL AUTO_INCREMENT" : "BIGINT NOT NULL",
        BenchType.Int => widened ? "BIGINT" : "INT",
        BenchType.BigInt => "BIGINT",
        BenchType.String => $"VARCHAR({column.Length})",
        BenchType.Text => "TEXT",
        _ => "DATETIME",
    };

    protected override string TableOptions => " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

    public override bool IsTransient(Exception error) => error is MySqlException { IsTransient: true };

    private string TemplateTable(TableModel table, long rows) => $"{Quote(Template)}.{Quote(TemplateName(table, rows))}";

    private string TemplateName(TableModel table, long rows) => $"{table.Name}_{rows}{(autoIncrement ? "" : "_noai")}";

    protected override string? ClaimSql => "SELECT GET_LOCK('swap_bench_run', 0)";

    public override async Task<double> EnsureTemplateAsync(TableModel table, long rows, CancellationToken ct)
    {
        await using var c = await OpenAsync(null, ct);
        await c.ExecAsync($"CREATE DATABASE IF NOT EXISTS {Quote(Template)} CHARACTER SET utf8mb4", ct);
        await c.ExecAsync($"CREATE TABLE IF NOT EXISTS {Quote(Template)}.bench_meta (name VARCHAR(100) PRIMARY KEY, version INT NOT NULL)", ct);
        var key = TemplateName(table, rows);
        var version = await c.ScalarAsync($"SELECT version FROM {Quote(Template)}.bench_meta WHERE name = @n", ct, ("@n", key));
        if (version is not null && Convert.ToInt32(version, CultureInfo.InvariantCulture) == DataVersion)
            return 0;

        var clock = Stopwatch.StartNew();
        var target = TemplateTable(table, rows);
        await c.ExecAsync($"DROP TABLE IF EXISTS {target}", ct);
        await c.ExecAsync(CreateTableSql(table, target, changed: false), ct);
        var columns = string.Join(", ", table.Columns.Select(col => Quote(col.Name)));
        var values = new object?[table.Columns.Count];
        var batchNo = 0;
        DbTransaction? tx = null;
        foreach (var (first, count) in Batches(rows, 1000))
        {
            tx ??= await c.BeginTransactionAsync(ct);
            var sql = new StringBuilder($"INSERT INTO {target} ({columns}) VALUES ");
            await using var insert = c.CreateCommand();
            insert.Transaction = tx;
            for (var r = 0; r < count; r++)
            {
                table.Row(first + r, values);
                sql.Append(r == 0 ? "(" : ",(");
                for (var v = 0; v < values.Length; v++)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"@p{r}_{v}");
                    sql.Append(v == 0 ? name : "," + name);
                    Sql.Add(insert, name, values[v]);
                }
                sql.Append(')');
            }
            insert.CommandText = sql.ToString();
            await insert.ExecuteNonQueryAsync(ct);
            if (++batchNo % 50 == 0)
            {
                await tx.CommitAsync(ct);
                await tx.DisposeAsync();
                tx = null;
            }
        }
        if (tx is not null)
        {
            await tx.CommitAsync(ct);
            await tx.DisposeAsync();
        }
        await c.ExecAsync($"ALTER TABLE {target} {string.Join(", ", table.Indexes.Select(AddIndex))}", ct);
        await c.ExecAsync($"REPLACE INTO {Quote(Template)}.bench_meta (name, version) VALUES (@n, @v)", ct, ("@n", key), ("@v", DataVersion));
        return clock.Elapsed.TotalSeconds;
    }

    public string AddIndex(BenchIndex index) =>
        $"ADD {(index.Unique ? "UNIQUE " : "")}INDEX {Quote(index.Name)} ({string.Join(", ", index.Columns.Select(Quote))})";

    public override async Task CloneAsync(TableModel table, long rows, string workspace, CancellationToken ct)
    {
        await using var c = await OpenAsync(null, ct);
        await c.ExecAsync($"DROP DATABASE IF EXISTS {Quote(workspace)}", ct);
        await c.ExecAsync($"CREATE DATABASE {Quote(workspace)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", ct);
        var target = $"{Quote(workspace)}.{Quote(table.Name)}";
        await c.ExecAsync(CreateTableSql(table, target, changed: false), ct);
        await c.ExecAsync($"INSERT INTO {target} SELECT * FROM {TemplateTable(table, rows)} ORDER BY id", ct);
        await c.ExecAsync($"ALTER TABLE {target} {string.Join(", ", table.Indexes.Select(AddIndex))}", ct);
        await c.ColumnAsync($"ANALYZE TABLE {target}", ct);
    }

    /// <summary>
    /// Lets InnoDB flush the clone's dirty pages and advance its checkpoint (max dirty pages 0, I/O
    /// capacity raised for the while), then puts the settings back. With the server's own I/O
    /// capacity (200 pages/s) a 1M-row clone left about 300 MB of redo to checkpoint after 60 s,
    /// which the next contender then paid for as stalls: a state a production server is not in
    /// because a bench made a clone of its table a moment before.
    /// </summary>
    public override async Task<double> SettleAsync(CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var c = await OpenAsync(null, ct);
        var pct = Text(await c.ScalarAsync("SELECT @@innodb_max_dirty_pages_pct", ct));
        var capacity = Text(await c.ScalarAsync("SELECT @@innodb_io_capacity", ct));
        var capacityMax = Text(await c.ScalarAsync("SELECT @@innodb_io_capacity_max", ct));
        await c.ExecAsync("SET GLOBAL innodb_io_capacity_max = 20000", ct);
        await c.ExecAsync("SET GLOBAL innodb_io_capacity = 20000", ct);
        await c.ExecAsync("SET GLOBAL innodb_max_dirty_pages_pct = 0", ct);
        try
        {
            // Until the clone's pages are out and the checkpoint has caught up (fewer than 1,000
            // dirty pages, checkpoint age under 5% of its maximum), or no progress for 3 s
            // (background work keeps a few pages dirty), at most 60 s.
            var lowest = long.MaxValue;
            var lastProgress = clock.Elapsed;
            while (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                async Task<long> Status(string name) => Convert.ToInt64(
                    await c.ScalarAsync($"SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = '{name}'", ct), CultureInfo.InvariantCulture);
                var dirty = await Status("INNODB_BUFFER_POOL_PAGES_DIRTY");
                var age = await Status("INNODB_CHECKPOINT_AGE");
                var maxAge = Math.Max(1, await Status("INNODB_CHECKPOINT_MAX_AGE"));
                if (dirty < 1000 && age < maxAge / 20)
                    break;
                if (dirty < lowest - 100)
                {
                    lowest = dirty;
                    lastProgress = clock.Elapsed;
                }
                else if (clock.Elapsed - lastProgress > TimeSpan.FromSeconds(3))
                {
                    break;
                }
                await Task.Delay(250, ct);
            }
        }
        finally
        {
            await c.ExecAsync($"SET GLOBAL innodb_max_dirty_pages_pct = {pct}", CancellationToken.None);
            await c.ExecAsync($"SET GLOBAL innodb_io_capacity = {capacity}", CancellationToken.None);
            await c.ExecAsync($"SET GLOBAL innodb_io_capacity_max = {capacityMax}", CancellationToken.None);
        }
        return clock.Elapsed.TotalSeconds;
    }

    private static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture)!;

    public override async Task DropWorkspaceAsync(string workspace, CancellationToken ct)
    {
        await using var c = await OpenAsync(null, ct);
        await c.ExecAsync($"DROP DATABASE IF EXISTS {Quote(workspace)}", ct);
    }

    public override async Task<TableShape> DescribeAsync(string workspace, TableModel table, CancellationToken ct)
    {
        await using var c = await OpenAsync(workspace, ct);
        var columns = await c.ColumnAsync("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t ORDER BY ORDINAL_POSITION", ct, ("@t", table.Name));
        var indexes = await c.ColumnAsync("SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t ORDER BY INDEX_NAME", ct, ("@t", table.Name));
        return new TableShape(columns, indexes);
    }
}
