using Swap.Data;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// PostgreSQL objects bound to a swapped table, as a user's database has them: views keep their
/// options (WITH CHECK OPTION, security_barrier) when they are replaced at the cut-over, column
/// grants move with the table, and rules and functions bound to its row type, which a swap cannot
/// carry, are refused before anything is written (exit 7), naming the object.
/// </summary>
public class PostgresBoundObjectTests
{
    private const string AddNote = """
        using Swap.Engine;

        public sealed class MigrateItems : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var items = await db.UseTableForAlterAsync("items");
                items.AddColumn(DbColumn.String("note", 10).FillWith("'x'"));
                items.RenameColumn("v", "label");
                await db.DoneUsingTablesAsync("items");
            }
        }
        """;

    [Fact]
    public async Task Views_keep_their_options_and_column_grants_move_with_the_table()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await using var reader = await LeastPrivilegedUser.CreateAsync(target);
        await EngineKit.CreateItemsAsync(target, 200);
        var role = $"\"{reader.Name}\"";
        await target.ExecuteAsync($"""
            CREATE VIEW low_items AS SELECT id, k, n FROM items WHERE k < 500 WITH LOCAL CHECK OPTION;
            CREATE VIEW barrier_items WITH (security_barrier = true) AS SELECT id, k FROM items WHERE n = 0;
            GRANT SELECT (id, v) ON items TO {role};
            GRANT UPDATE (n) ON items TO {role};
            """);
        EngineKit.WriteSwapScript(target, AddNote);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(200L, await target.ScalarAsync("SELECT count(*) FROM items WHERE note = 'x'"));
        Assert.Equal(
            ["barrier_items security_barrier=true", "low_items check_option=local"],
            await target.ColumnAsync("SELECT relname || ' ' || array_to_string(reloptions, ',') FROM pg_class WHERE relname IN ('low_items', 'barrier_items') ORDER BY relname"));
        // The check option still holds on the new table.
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync("INSERT INTO low_items (id, k, n) VALUES (-1, 900, 0)"));
        Assert.Equal(
            ["id SELECT", "label SELECT", "n UPDATE"],
            await target.ColumnAsync($"SELECT column_name || ' ' || privilege_type FROM information_schema.column_privileges WHERE table_name = 'items' AND grantee = '{reader.Name}' ORDER BY 1"));
        await using (var c = await target.OpenAsync())
        {
            await c.ExecuteAsync($"SET ROLE {role}", default);
            Assert.Equal(200L, Convert.ToInt64(await c.ScalarAsync("SELECT count(label) FROM items", default)));
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => c.ScalarAsync("SELECT count(k) FROM items", default));
            await c.ExecuteAsync("RESET ROLE", default);
        }
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [InlineData("CREATE RULE items_soft_delete AS ON DELETE TO items DO INSTEAD UPDATE items SET n = 1 WHERE id = OLD.id", "The rule 'items_soft_delete' is defined on it")]
    [InlineData("CREATE FUNCTION item_total(i items) RETURNS bigint LANGUAGE sql AS 'SELECT i.k * 2'", "The function item_total(items) is bound to it")]
    [InlineData("CREATE FUNCTION item_count() RETURNS bigint LANGUAGE sql RETURN (SELECT count(*) FROM items)", "The function item_count() is bound to it")]
    public async Task A_rule_or_a_function_bound_to_the_table_is_refused_before_anything_is_written(string create, string message)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 200);
        await target.ExecuteAsync(create);
        EngineKit.WriteSwapScript(target, AddNote);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.Equal(7, run.ExitCode);
        Assert.Contains(message, run.Err, StringComparison.Ordinal);
        Assert.Contains("Drop ", run.Err, StringComparison.Ordinal);
        Assert.Equal(["id", "k", "n", "v"], await target.ColumnAsync("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'items' ORDER BY 1"));
        Assert.Equal(200L, await target.ScalarAsync("SELECT count(*) FROM items"));
        Assert.Empty(await target.HistoryIdsAsync());
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [InlineData("CREATE RULE items_soft_delete AS ON DELETE TO items DO INSTEAD UPDATE items SET n = 1 WHERE id = OLD.id", "DELETE FROM items WHERE id = 1", "SELECT n FROM items WHERE id = 1", 1L)]
    [InlineData("CREATE FUNCTION item_total(i items) RETURNS bigint LANGUAGE sql AS 'SELECT i.k * 2'", "SELECT 1", "SELECT item_total(i) FROM items i WHERE id = 1", 14L)]
    [InlineData("CREATE FUNCTION item_count() RETURNS bigint LANGUAGE sql RETURN (SELECT count(*) FROM items)", "SELECT 1", "SELECT item_count()", 200L)]
    public async Task A_rule_or_a_function_bound_to_the_table_stays_bound_through_an_instant_change(string create, string act, string read, long expected)
    {
        // An instant change keeps the table, so PostgreSQL keeps the rule or function on it (and follows the rename).
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 200);
        await target.ExecuteAsync(create);
        EngineKit.WriteSwapScript(target, AddNote.Replace(".FillWith(\"'x'\")", "", StringComparison.Ordinal));

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("items: instant: ", run.Err, StringComparison.Ordinal);
        Assert.Equal(["id", "k", "label", "n", "note"], await target.ColumnAsync("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'items' ORDER BY 1"));
        await target.ExecuteAsync(act);
        Assert.Equal(expected, Convert.ToInt64(await target.ScalarAsync(read)));
    }

    [Fact]
    public async Task Dropping_a_column_of_a_table_with_a_rule_goes_to_the_copy_whose_preflight_refuses_it()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 200);
        await target.ExecuteAsync("CREATE RULE items_soft_delete AS ON DELETE TO items DO INSTEAD UPDATE items SET n = 1 WHERE id = OLD.id");
        EngineKit.WriteSwapScript(target, AddNote.Replace("items.AddColumn(DbColumn.String(\"note\", 10).FillWith(\"'x'\"));", "items.DropColumn(\"n\");", StringComparison.Ordinal));

        var run = await SwapCli.RunAsync(target, "up");

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("The rule 'items_soft_delete' is defined on it", run.Err, StringComparison.Ordinal);
        Assert.Equal(["id", "k", "n", "v"], await target.ColumnAsync("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'items' ORDER BY 1"));
        Assert.Empty(await target.HistoryIdsAsync());
    }

    [Fact]
    public async Task A_table_with_a_foreign_key_to_itself_swaps_and_the_key_points_at_the_new_table()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await target.ExecuteAsync("""
            CREATE TABLE tree (id int NOT NULL PRIMARY KEY, parent_id int NULL, name text, CONSTRAINT fk_tree_parent FOREIGN KEY (parent_id) REFERENCES tree (id) ON DELETE CASCADE);
            INSERT INTO tree VALUES (1, NULL, 'root'), (2, 1, 'a'), (3, 2, 'b'), (4, 1, 'c');
            """);
        EngineKit.WriteSwapScript(target, """
            using Swap.Engine;

            public sealed class MigrateTree : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var t = await db.UseTableForAlterAsync("tree");
                    t.AddColumn(DbColumn.String("w", 10).FillWith("'x'"));
                    await db.DoneUsingTablesAsync("tree");
                }
            }
            """, "20260101000000_MigrateTree.cs");

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["1  root x", "2 1 a x", "3 2 b x", "4 1 c x"], await target.ColumnAsync("SELECT concat_ws(' ', id, coalesce(parent_id::text, ''), name, w) FROM tree ORDER BY id"));
        Assert.Equal(["fk_tree_parent tree"], await target.ColumnAsync("SELECT conname || ' ' || confrelid::regclass::text FROM pg_constraint WHERE conrelid = 'tree'::regclass AND contype = 'f'"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync("INSERT INTO tree (id, parent_id) VALUES (9, 99)"));
        await target.ExecuteAsync("DELETE FROM tree WHERE id = 2");
        Assert.Equal([1L, 4L], (await target.QueryAsync("SELECT id FROM tree ORDER BY id")).Select(r => Convert.ToInt64(r["id"])));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }
}

/// <summary>
/// A SQL-standard function body (<c>BEGIN ATOMIC ... END</c>, PostgreSQL 14+) holds semicolons of
/// its own: Swap's splitter keeps it one statement, and it reaches the server whole, from a SQL
/// file and from <c>db.ExecuteAsync</c> (with a parameter too), while a C# script's text with two
/// statements still runs both.
/// </summary>
public class PostgresAtomicBodyTests
{
    [Fact]
    public async Task Begin_atomic_bodies_reach_the_server_whole_from_sql_files_and_csharp_scripts()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        target.Sql("20260101000000_create", """
            CREATE TABLE stock (id INT PRIMARY KEY, qty INT NOT NULL);
            CREATE FUNCTION total_qty() RETURNS bigint LANGUAGE sql
            BEGIN ATOMIC
              SELECT sum(qty) FROM stock;
            END;
            INSERT INTO stock VALUES (1, 5), (2, 7);
            """);
        target.CSharp("20260102000000_MoreFunctions", """
            public sealed class MoreFunctions : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    await db.ExecuteAsync("CREATE FUNCTION qty_of(i int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT qty FROM stock WHERE id = i; END");
                    await db.ExecuteAsync("INSERT INTO stock VALUES (@id, @qty)", new { id = 3, qty = 30 });
                    await db.ExecuteAsync("UPDATE stock SET qty = qty + 1 WHERE id = 1; UPDATE stock SET qty = qty + 1 WHERE id = 2");
                }
            }
            """);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(44L, Convert.ToInt64(await target.ScalarAsync("SELECT total_qty()")));
        Assert.Equal(30, Convert.ToInt32(await target.ScalarAsync("SELECT qty_of(3)")));
    }
}
