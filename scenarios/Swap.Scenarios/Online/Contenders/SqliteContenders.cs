using Swap.Scenarios.Online.Engines;

namespace Swap.Scenarios.Online.Contenders;

/// <summary>
/// SQLite's own ALTER where it can: ADD COLUMN with a constant default is a schema-only change, and
/// CREATE INDEX builds the index. SQLite cannot change a column's type in place; INTEGER already
/// stores 64-bit values, so the widening has nothing to do.
/// </summary>
internal sealed class SqliteNativeAlter : Contender
{
    public override string Id => "native";

    public override string Title => "ALTER TABLE ADD COLUMN + CREATE INDEX";

    public override async Task<ContenderOutcome> RunAsync(RunContext context, CancellationToken ct)
    {
        var e = context.Engine;
        var t = context.Table;
        var ch = t.Change;
        await using var c = await e.OpenAsync(context.Workspace, ct);
        context.Mark("alter");
        await c.ExecAsync($"ALTER TABLE {e.Quote(t.Name)} ADD COLUMN {e.ColumnSql(ch.Added, false, ch.DefaultValue)}", ct);
        context.Report(1);
        if (ch.AddOnly)
            return new ContenderOutcome();
        context.Mark("index");
        await c.ExecAsync(e.IndexSql(ch.Index, e.Quote(t.Name)), ct);
        return new ContenderOutcome();
    }
}

/// <summary>
/// The table rebuild by hand, as SQLite documents it, in one transaction: create the new table,
/// copy the rows, drop the old, rename the new, create the indexes. On SQLite this is also the floor.
/// </summary>
internal sealed class SqliteRebuild : Contender
{
    public override string Id => "rebuild";

    public override string Title => "rebuild by hand (12-step, one transaction)";

    public override async Task<ContenderOutcome> RunAsync(RunContext context, CancellationToken ct)
    {
        var e = context.Engine;
        var t = context.Table;
        var name = e.Quote(t.Name);
        var copy = e.Quote(t.Name + "_new");
        await using var c = await e.OpenAsync(context.Workspace, ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        context.Mark("copy");
        await Exec(e.CreateTableSql(t, copy, changed: true));
        var columns = string.Join(", ", t.Columns.Select(col => e.Quote(col.Name)));
        await Exec($"INSERT INTO {copy} ({columns}) SELECT {columns} FROM {name}");
        context.Report(1);
        context.Mark("swap");
        await Exec($"DROP TABLE {name}");
        await Exec($"ALTER TABLE {copy} RENAME TO {name}");
        context.Mark("indexes");
        foreach (var index in t.Change.AddOnly ? t.Indexes : t.Indexes.Append(t.Change.Index))
            await Exec(e.IndexSql(index, name));
        await tx.CommitAsync(ct);
        return new ContenderOutcome();

        async Task Exec(string sql)
        {
            await using var command = Sql.Command(c, sql);
            command.Transaction = tx;
            await command.ExecuteNonQueryAsync(ct);
        }
    }
}
