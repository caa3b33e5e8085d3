using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Swap.Scenarios.Online.Contenders;
using Swap.Scenarios.Online.Data;

namespace Swap.Scenarios.Online.Engines;

/// <summary>
/// PostgreSQL: a database of the run's own (<c>{prefix}</c>, with the pg_repack extension), one
/// schema per workspace, the template in schema <c>{prefix}_tpl</c>, loaded with binary COPY and
/// indexed after the load; clones are vacuumed and analyzed so every contender starts alike.
/// </summary>
internal sealed class PostgresEngine(DatabaseUrl server, string prefix, bool traceAutovacuum = false) : BenchEngine
{
    private string Template => prefix + "_tpl";

    public string DatabaseName => prefix;

    public DatabaseUrl Server => server;

    public override string Name => "postgres";

    public override IReadOnlyList<Contender> Contenders { get; } =
        [new PostgresNativeAlter(), new PgRepack(), new SwapContender(), new SwapCliContender(), new SwapRevertWindowContender(), new SwapAlwaysCopyContender(), new SwapSqlContender(), new PostgresLimit()];

    public override string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public override string UrlText(string workspace) =>
        $"postgres://{Uri.EscapeDataString(server.User ?? "")}:{Uri.EscapeDataString(server.Password ?? "")}@{server.Host}:{server.Port ?? 5432}/{DatabaseName}?schema={workspace}";

    private string ConnectionString(string database, string? schema) => new NpgsqlConnectionStringBuilder
    {
        Host = server.Host,
        Port = server.Port ?? 5432,
        Username = server.User,
        Password = server.Password,
        Database = database,
        SearchPath = schema,
        Pooling = false,
        CommandTimeout = 0,
        ApplicationName = "swap-bench",
    }.ConnectionString;

    public override async Task<DbConnection> OpenAsync(string? workspace, CancellationToken ct)
    {
        var c = new NpgsqlConnection(ConnectionString(DatabaseName, workspace));
        await c.OpenAsync(ct);
        return c;
    }

    /// <summary>Creates the run's database and the pg_repack extension in it.</summary>
    public async Task InitializeAsync(CancellationToken ct)
    {
        await using (var admin = new NpgsqlConnection(ConnectionString(server.Database, null)))
        {
            await admin.OpenAsync(ct);
            if (await admin.ScalarAsync("SELECT 1 FROM pg_database WHERE datname = @n", ct, ("@n", DatabaseName)) is null)
                await admin.ExecAsync($"CREATE DATABASE {Quote(DatabaseName)}", ct);
        }
        await using var c = await OpenAsync(null, ct);
        await c.ExecAsync("CREATE EXTENSION IF NOT EXISTS pg_repack", ct);
    }

    /// <summary>Drops the run's database (smoke runs make a fresh one each time).</summary>
    public async Task DropDatabaseAsync(CancellationToken ct)
    {
        await using var admin = new NpgsqlConnection(ConnectionString(server.Database, null));
        await admin.OpenAsync(ct);
        await admin.ExecAsync($"DROP DATABASE IF EXISTS {Quote(DatabaseName)} WITH (FORCE)", ct);
    }

    public override async Task<string> ServerVersionAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(null, ct);
        var version = await c.ScalarAsync("SHOW server_version", ct);
        var buffers = await c.ScalarAsync("SHOW shared_buffers", ct);
        var sync = await c.ScalarAsync("SHOW synchronous_commit", ct);
        var work = await c.ScalarAsync("SHOW maintenance_work_mem", ct);
        return $"PostgreSQL {version} (shared_buffers {buffers}, maintenance_work_mem {work}, synchronous_commit {sync})";
    }

    public override string TypeSql(BenchColumn column, bool widened) => column.Type switch
    {
        BenchType.Key => "bigint NOT NULL",
        BenchType.Int => widened ? "bigint" : "integer",
        BenchType.BigInt => "bigint",
        BenchType.String => $"varchar({column.Length})",
        BenchType.Text => "text",
        _ => "timestamp(0) without time zone",
    };

    public override bool IsTransient(Exception error) => error switch
    {
        PostgresException { SqlState: "40P01" or "40001" or "55P03" } => true,
        NpgsqlException n => n.IsTransient,
        _ => false,
    };

    private string TemplateTable(TableModel table, long rows) => $"{Quote(Template)}.{Quote($"{table.Name}_{rows}")}";

    protected override string? ClaimSql => "SELECT pg_try_advisory_lock(hashtext('swap_bench_run'))";

    public override async Task<double> EnsureTemplateAsync(TableModel table, long rows, CancellationToken ct)
    {
        await using var c = (NpgsqlConnection)await OpenAsync(null, ct);
        await c.ExecAsync($"CREATE SCHEMA IF NOT EXISTS {Quote(Template)}", ct);
        await c.ExecAsync($"CREATE TABLE IF NOT EXISTS {Quote(Template)}.bench_meta (name text PRIMARY KEY, version int NOT NULL)", ct);
        var key = $"{table.Name}_{rows}";
        var version = await c.ScalarAsync($"SELECT version FROM {Quote(Template)}.bench_meta WHERE name = @n", ct, ("@n", key));
        if (version is int v && v == DataVersion)
            return 0;

        var clock = Stopwatch.StartNew();
        var target = TemplateTable(table, rows);
        await c.ExecAsync($"DROP TABLE IF EXISTS {target}", ct);
        await c.ExecAsync(CreateTableSql(table, target, changed: false, primaryKey: false), ct);
        var types = table.Columns.Select(col => col.Type switch
        {
            BenchType.Key or BenchType.BigInt => NpgsqlDbType.Bigint,
            BenchType.Int => NpgsqlDbType.Integer,
            BenchType.String => NpgsqlDbType.Varchar,
            BenchType.Text => NpgsqlDbType.Text,
            _ => NpgsqlDbType.Timestamp,
        }).ToArray();
        var values = new object?[table.Columns.Count];
        await using (var copy = await c.BeginBinaryImportAsync($"COPY {target} ({string.Join(", ", table.Columns.Select(col => Quote(col.Name)))}) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (long id = 1; id <= rows; id++)
            {
                table.Row(id, values);
                await copy.StartRowAsync(ct);
                for (var i = 0; i < values.Length; i++)
                {
                    if (values[i] is null)
                        await copy.WriteNullAsync(ct);
                    else
                        await copy.WriteAsync(values[i], types[i], ct);
                }
            }
            await copy.CompleteAsync(ct);
        }
        // The key only: clones build their own indexes, and index names are per schema, so the
        // templates of several sizes in the one template schema could not all have them.
        await c.ExecAsync($"ALTER TABLE {target} ADD PRIMARY KEY (id)", ct);
        await c.ExecAsync($"VACUUM (ANALYZE) {target}", ct);
        await c.ExecAsync($"INSERT INTO {Quote(Template)}.bench_meta (name, version) VALUES (@n, @v) ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version", ct, ("@n", key), ("@v", DataVersion));
        return clock.Elapsed.TotalSeconds;
    }

    private async Task AddKeyAndIndexesAsync(DbConnection c, TableModel table, string target, CancellationToken ct)
    {
        await c.ExecAsync($"ALTER TABLE {target} ADD PRIMARY KEY (id)", ct);
        foreach (var index in table.Indexes)
            await c.ExecAsync(IndexSql(index, target), ct);
    }

    public override async Task<double> SettleAsync(CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var c = await OpenAsync(null, ct);
        await c.ExecAsync("CHECKPOINT", ct);
        return clock.Elapsed.TotalSeconds;
    }

    public override async Task CloneAsync(TableModel table, long rows, string workspace, CancellationToken ct)
    {
        await using var c = await OpenAsync(null, ct);
        await c.ExecAsync($"DROP SCHEMA IF EXISTS {Quote(workspace)} CASCADE", ct);
        await c.ExecAsync($"CREATE SCHEMA {Quote(workspace)}", ct);
        var target = $"{Quote(workspace)}.{Quote(table.Name)}";
        await c.ExecAsync(CreateTableSql(table, target, changed: false, primaryKey: false), ct);
        await c.ExecAsync($"INSERT INTO {target} SELECT * FROM {TemplateTable(table, rows)} ORDER BY id", ct);
        await AddKeyAndIndexesAsync(c, table, target, ct);
        await c.ExecAsync($"VACUUM (ANALYZE) {target}", ct);
        if (traceAutovacuum)
            await c.ExecAsync($"ALTER TABLE {target} SET (log_autovacuum_min_duration = 0)", ct);
    }

    public override async Task DropWorkspaceAsync(string workspace, CancellationToken ct)
    {
        await using var c = await OpenAsync(null, ct);
        await c.ExecAsync($"DROP SCHEMA IF EXISTS {Quote(workspace)} CASCADE", ct);
    }

    public override async Task<TableShape> DescribeAsync(string workspace, TableModel table, CancellationToken ct)
    {
        await using var c = await OpenAsync(workspace, ct);
        var columns = await c.ColumnAsync("SELECT column_name FROM information_schema.columns WHERE table_schema = @s AND table_name = @t ORDER BY ordinal_position", ct, ("@s", workspace), ("@t", table.Name));
        var indexes = await c.ColumnAsync("SELECT indexname FROM pg_indexes WHERE schemaname = @s AND tablename = @t ORDER BY indexname", ct, ("@s", workspace), ("@t", table.Name));
        return new TableShape(columns, indexes);
    }

    /// <summary>Size of the table's heap in bytes.</summary>
    public static async Task<long> RelationSizeAsync(DbConnection c, string workspace, string table, CancellationToken ct) =>
        Convert.ToInt64(await c.ScalarAsync("SELECT pg_relation_size(format('%I.%I', @s::text, @t::text)::regclass)", ct, ("@s", workspace), ("@t", table)), CultureInfo.InvariantCulture);
}
