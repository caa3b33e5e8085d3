using Swap.Data;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// SQLite tables that foreign keys point at, as users run the command (foreign keys on, the
/// default size rule): a small table would be rebuilt in the script's transaction, where foreign
/// keys cannot be turned off, so dropping it would run the children's ON DELETE actions. Such a
/// table swaps online whatever its size; forcing one transaction is refused with nothing changed.
/// And AUTOINCREMENT keeps its promise: no key is handed out twice after a swap.
/// </summary>
public class SqliteForeignKeyRebuildTests
{
    private const string Tables = """
        CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE cascade_child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE);
        CREATE TABLE setnull_child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE SET NULL);
        CREATE TABLE plain_child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id));
        CREATE TABLE tree (id INTEGER PRIMARY KEY, up INTEGER REFERENCES tree (id), name TEXT);
        WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 50) INSERT INTO parent (id, name) SELECT i, 'p' || i FROM s;
        INSERT INTO cascade_child (parent_id) SELECT id FROM parent;
        INSERT INTO setnull_child (parent_id) SELECT id FROM parent;
        INSERT INTO plain_child (parent_id) SELECT id FROM parent;
        INSERT INTO tree (id, up, name) VALUES (1, NULL, 'root'), (2, 1, 'a'), (3, 2, 'b');
        """;

    private static string Script(string table) => $$"""
        using Swap.Engine;

        public sealed class Migrate{{table}} : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var t = await db.UseTableForAlterAsync("{{table}}");
                t.AddColumn(DbColumn.String("note", 10).FillWith("'x'"));
                await db.DoneUsingTablesAsync("{{table}}");
            }
        }
        """;

    private static async Task<string> ChildrenAsync(TestTarget target) => string.Join(" ", await target.ColumnAsync(
        "SELECT 'c' || count(*) FROM cascade_child UNION ALL SELECT 's' || count(parent_id) FROM setnull_child UNION ALL SELECT 'p' || count(parent_id) FROM plain_child UNION ALL SELECT 't' || count(up) FROM tree"));

    [Theory]
    [InlineData("parent")]
    [InlineData("tree")]
    public async Task A_small_table_foreign_keys_point_at_swaps_online_and_its_children_keep_their_rows(string table)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await target.ExecuteAsync(Tables);
        var before = await ChildrenAsync(target);
        EngineKit.WriteSwapScript(target, Script(table), $"20260101000000_Migrate{table}.cs");

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("c50 s50 p50 t2", before);
        Assert.Equal(before, await ChildrenAsync(target));
        Assert.Equal(table == "parent" ? 50L : 3L, await target.ScalarAsync($"SELECT count(*) FROM {table} WHERE note = 'x'"));
        // The children's keys bind to the new table: a delete cascades, a missing parent is refused.
        await using var app = await target.OpenAsync();
        await app.ExecuteAsync("PRAGMA foreign_keys = ON", default);
        if (table == "parent")
        {
            await app.ExecuteAsync("DELETE FROM cascade_child WHERE parent_id = 7; DELETE FROM plain_child WHERE parent_id = 7; DELETE FROM parent WHERE id = 7", default);
            Assert.Equal("c49 s49 p49 t2", await ChildrenAsync(target));
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => app.ExecuteAsync("INSERT INTO plain_child (parent_id) VALUES (999)", default));
        }
        Assert.Empty(await target.QueryAsync("PRAGMA foreign_key_check"));
        Assert.Contains($"swap {table}: installed capture in", run.Err, StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task Forcing_one_transaction_on_a_table_foreign_keys_point_at_is_refused_and_changes_nothing()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await target.ExecuteAsync(Tables);
        EngineKit.WriteSwapScript(target, Script("parent"), "20260101000000_Migrateparent.cs");

        var run = await SwapCli.RunAsync(target, "up", "--sqlite-online", "never");

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("'parent' is named by foreign keys (cascade_child, setnull_child, plain_child)", run.Err, StringComparison.Ordinal);
        // Refused on the empty copy, not after copying every row under the one transaction's write lock.
        Assert.DoesNotContain("swap parent: copied", run.Err, StringComparison.Ordinal);
        Assert.Equal("c50 s50 p50 t2", await ChildrenAsync(target));
        Assert.DoesNotContain("note", await target.ColumnAsync("SELECT name FROM pragma_table_info('parent')"));
        Assert.Empty(await target.HistoryIdsAsync());
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("always")]
    public async Task An_autoincrement_table_hands_out_no_key_twice_after_a_swap(string online)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await target.ExecuteAsync("""
            CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT);
            INSERT INTO events (what) VALUES ('a'), ('b'), ('c'), ('d'), ('e');
            DELETE FROM events WHERE id >= 4;
            """);
        EngineKit.WriteSwapScript(target, Script("events"), "20260101000000_Migrateevents.cs");

        var run = await SwapCli.RunAsync(target, "up", "--sqlite-online", online);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(5L, await target.ScalarAsync("SELECT seq FROM sqlite_sequence WHERE name = 'events'"));
        await target.ExecuteAsync("INSERT INTO events (what) VALUES ('f')");
        Assert.Equal([1L, 2L, 3L, 6L], (await target.QueryAsync("SELECT id FROM events ORDER BY id")).Select(r => r.Int64("id")!.Value));
        Assert.Equal(1L, await target.ScalarAsync("SELECT count(*) FROM sqlite_sequence WHERE name = 'events'"));
    }
    [Theory]
    [InlineData("parent")]       // a child of 'parent' holds the orphan
    [InlineData("plain_child")]  // the swapped table holds it
    public async Task Rows_that_already_break_a_foreign_key_are_refused_before_the_copy_not_after_it(string table)
    {
        // An application writing with foreign keys off leaves such rows; the cut-over checks the
        // foreign keys (SQLite's step 11) and would stop only after the whole copy.
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await target.ExecuteAsync(Tables);
        await target.ExecuteAsync("PRAGMA foreign_keys = OFF; INSERT INTO plain_child (id, parent_id) VALUES (999, 4242)");
        EngineKit.WriteSwapScript(target, Script(table), $"20260101000000_Migrate{table}.cs");

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 7, run.ToString());
        Assert.Contains("1 row(s) of 'plain_child' already break a foreign key (first: rowid 999 references parent)", run.Err, StringComparison.Ordinal);
        Assert.Contains("fix those rows", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("copied", run.Out, StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Equal(0L, await target.ScalarAsync($"SELECT count(*) FROM pragma_table_info('{table}') WHERE name = 'note'"));
        Assert.Equal("c50 s50 p51 t2", await ChildrenAsync(target));
    }
}
