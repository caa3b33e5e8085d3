using System.Globalization;
using Swap.Scenarios.Online.Engines;

namespace Swap.Scenarios.Online.Contenders;

/// <summary>
/// PostgreSQL's own ALTER: the type change rewrites the table and its indexes under ACCESS
/// EXCLUSIVE, then a plain CREATE INDEX (which blocks writes too).
/// </summary>
internal sealed class PostgresNativeAlter : Contender
{
    public override string Id => "native";

    public override string Title => "ALTER TABLE (rewrite) + CREATE INDEX (--change add-column: ADD COLUMN, a catalog change)";

    public override async Task<ContenderOutcome> RunAsync(RunContext context, CancellationToken ct)
    {
        var e = context.Engine;
        var t = context.Table;
        var ch = t.Change;
        await using var c = await e.OpenAsync(context.Workspace, ct);
        context.Mark("alter");
        if (ch.AddOnly)
        {
            await c.ExecAsync($"ALTER TABLE {e.Quote(t.Name)} ADD COLUMN {e.ColumnSql(ch.Added, false, null)}", ct);
            context.Report(1);
            return new ContenderOutcome();
        }
        await c.ExecAsync($"ALTER TABLE {e.Quote(t.Name)} ADD COLUMN {e.ColumnSql(ch.Added, false, ch.Default)}, ALTER COLUMN {e.Quote(ch.Widened)} TYPE bigint", ct);
        context.Report(1);
        context.Mark("index");
        await c.ExecAsync(e.IndexSql(ch.Index, e.Quote(t.Name)), ct);
        return new ContenderOutcome();
    }
}

/// <summary>
/// pg_repack (Debian <c>postgresql-15-repack</c>). It rebuilds a table online but cannot change its
/// schema, so the run adds the column with a constant default first (a catalog-only change since
/// PostgreSQL 11), repacks (which writes the default into every row and rebuilds every index), then
/// adds the new index CONCURRENTLY. It cannot widen the INT column: the values compared are the
/// same, the column type stays integer.
/// </summary>
internal sealed class PgRepack : Contender
{
    public override string Id => "repack";

    public override string Title => "pg_repack (+ ADD COLUMN, CREATE INDEX CONCURRENTLY)";

    public override async Task<ContenderOutcome> RunAsync(RunContext context, CancellationToken ct)
    {
        var e = (PostgresEngine)context.Engine;
        var t = context.Table;
        var ch = t.Change;
        var server = e.Server;
        await using var c = await e.OpenAsync(context.Workspace, ct);
        var oid = Convert.ToInt64(await c.ScalarAsync("SELECT format('%I.%I', @s::text, @t::text)::regclass::oid::bigint", ct, ("@s", context.Workspace), ("@t", t.Name)), CultureInfo.InvariantCulture);
        var size = Math.Max(1, await PostgresEngine.RelationSizeAsync(c, context.Workspace, t.Name, ct));
        context.Mark("add-column");
        await c.ExecAsync($"ALTER TABLE {e.Quote(t.Name)} ADD COLUMN {e.ColumnSql(ch.Added, false, ch.DefaultValue)}", ct);

        context.Mark("repack");
        await using var probe = await e.OpenAsync(context.Workspace, ct);
        ToolExit exit;
        await using (new Poller(
            async token =>
            {
                // pg_repack fills repack.table_<oid> with one INSERT ... SELECT; its size against the original's is the progress.
                var bytes = await probe.ScalarAsync("SELECT pg_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'repack' AND c.relname = @r", token, ("@r", "table_" + oid.ToString(CultureInfo.InvariantCulture)));
                if (bytes is not null)
                    context.Report(Math.Min(0.99, Convert.ToDouble(bytes, CultureInfo.InvariantCulture) / size));
            },
            TimeSpan.FromMilliseconds(250),
            ct))
        {
            string[] args = ["-h", server.Host ?? "127.0.0.1", "-p", (server.Port ?? 5432).ToString(CultureInfo.InvariantCulture), "-U", server.User ?? "", "-d", e.DatabaseName, "-t", $"{context.Workspace}.{t.Name}", "--no-order"];
            exit = await ToolProcess.RunAsync("pg_repack", args, new Dictionary<string, string> { ["PGPASSWORD"] = server.Password ?? "" }, _ => { }, ct);
        }
        if (exit.Code != 0)
            throw new InvalidOperationException($"pg_repack exited with {exit.Code}:\n{string.Join('\n', exit.Tail)}");
        context.Report(1);
        context.Mark("index");
        if (!ch.AddOnly)
            await c.ExecAsync($"CREATE INDEX CONCURRENTLY {e.Quote(ch.Index.Name)} ON {e.Quote(t.Name)} ({string.Join(", ", ch.Index.Columns.Select(e.Quote))})", ct);
        return new ContenderOutcome
        {
            PeakRssMb = exit.PeakRssMb,
            CpuSeconds = exit.CpuSeconds,
            MemorySource = "GNU time maxrss of the pg_repack process",
            Version = ToolProcess.FirstLine("pg_repack", "--version"),
        };
    }
}

/// <summary>
/// The floor: <c>INSERT ... SELECT</c> into a copy without any index, then the primary key and the
/// indexes, then a drop-and-rename in one transaction. Not online; runs idle only.
/// </summary>
internal sealed class PostgresLimit : Contender
{
    public override string Id => "limit";

    public override string Title => "limit: INSERT ... SELECT + index builds";

    public override bool KeepsWrites => false;

    public override async Task<ContenderOutcome> RunAsync(RunContext context, CancellationToken ct)
    {
        var e = context.Engine;
        var t = context.Table;
        var name = e.Quote(t.Name);
        var copy = e.Quote(t.Name + "_limit");
        await using var c = await e.OpenAsync(context.Workspace, ct);
        context.Mark("create");
        await c.ExecAsync($"DROP TABLE IF EXISTS {copy}", ct);
        await c.ExecAsync(e.CreateTableSql(t, copy, changed: true, primaryKey: false), ct);
        context.Mark("copy");
        var columns = string.Join(", ", t.Columns.Select(col => e.Quote(col.Name)));
        await c.ExecAsync($"INSERT INTO {copy} ({columns}) SELECT {columns} FROM {name}", ct);
        context.Report(1);
        context.Mark("indexes");
        await c.ExecAsync($"ALTER TABLE {copy} ADD CONSTRAINT {e.Quote(t.Name + "_limit_pkey")} PRIMARY KEY (id)", ct);
        var indexes = (t.Change.AddOnly ? t.Indexes : t.Indexes.Append(t.Change.Index)).ToList();
        foreach (var index in indexes)
            await c.ExecAsync(e.IndexSql(index, copy, index.Name + "_l"), ct);
        context.Mark("cutover");
        await using (var tx = await c.BeginTransactionAsync(ct))
        {
            await c.ExecAsync($"DROP TABLE {name}", ct);
            await c.ExecAsync($"ALTER TABLE {copy} RENAME TO {name}", ct);
            await c.ExecAsync($"ALTER TABLE {name} RENAME CONSTRAINT {e.Quote(t.Name + "_limit_pkey")} TO {e.Quote(t.Name + "_pkey")}", ct);
            foreach (var index in indexes)
                await c.ExecAsync($"ALTER INDEX {e.Quote(index.Name + "_l")} RENAME TO {e.Quote(index.Name)}", ct);
            await tx.CommitAsync(ct);
        }
        return new ContenderOutcome();
    }
}
