using System.Data.Common;
using System.Globalization;
using Swap.Data;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// Foreign keys on MariaDB: the table's own key is carried to the copy and keeps its name; a child
/// table's key follows the swapped table at the cut-over (re-pointed under the cut-over's lock),
/// while an application writes to both tables. A child write checked against the old table, or a
/// moment without the table, would fail the child writer.
/// </summary>
public class MySqlForeignKeyTests
{
    [Fact]
    public async Task Own_and_child_foreign_keys_follow_the_swapped_table_under_concurrent_writes_to_parent_and_child()
    {
        const int rows = 3000;
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE owners (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(20) NOT NULL) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO owners (id, name) SELECT seq, CONCAT('o', seq) FROM seq_1_to_50");
        await EngineKit.CreateItemsAsync(target, rows);
        await target.ExecuteAsync("ALTER TABLE items ADD COLUMN owner_id BIGINT NULL, ADD CONSTRAINT fk_items_owner FOREIGN KEY (owner_id) REFERENCES owners (id)");
        await target.ExecuteAsync("UPDATE items SET owner_id = id % 50 + 1");
        await target.ExecuteAsync("""
            CREATE TABLE notes (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, item_id BIGINT NOT NULL,
              CONSTRAINT fk_notes_item FOREIGN KEY (item_id) REFERENCES items (id) ON DELETE CASCADE ON UPDATE CASCADE) ENGINE=InnoDB
            """);
        await target.ExecuteAsync("INSERT INTO notes (item_id) SELECT id FROM items WHERE id % 3 = 0");
        EngineKit.WriteSwapScript(target);

        // The child's application: notes for the newest item the parent's writer inserted, which
        // the copy may not have yet; every insert must pass the key check.
        var childErrors = new List<string>();
        var childWrites = 0;
        using var stop = new CancellationTokenSource();
        var child = Task.Run(async () =>
        {
            await using var c = await target.OpenAsync();
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    childWrites += await c.ExecuteAsync("INSERT INTO notes (item_id) SELECT id FROM items WHERE id >= 50000000 AND id < 100000000 ORDER BY id DESC LIMIT 1", null, null, default);
                }
                catch (DbException e)
                {
                    childErrors.Add(e.Message);
                    if (childErrors.Count > 20)
                        return;
                }
            }
        });
        (UpResult Result, OracleWriter Writer) run;
        try
        {
            run = await WritesDuringSwap.RunAsync(target, rows, c => EngineKit.Migrator(target, c));
            // Writes after the swap: a child key still checked against the old table would refuse these.
            var before = childWrites;
            while (childWrites < before + 20 && !child.IsCompleted)
                await Task.Delay(10);
        }
        finally
        {
            stop.Cancel();
            await child;
        }

        Assert.Equal(["MigrateItems"], run.Result.Applied.Select(a => a.Id));
        Assert.Empty(childErrors);
        Assert.True(childWrites > 20, $"the child writer wrote {childWrites} notes");
        OracleWriter.AssertMatches(run.Writer.Oracle, run.Writer.Inserted, await EngineKit.ReadItemsAsync(target));

        // Both keys have their names, point at the right tables, and act.
        var keys = (await target.QueryAsync("SELECT TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME"))
            .Select(r => $"{r.String("TABLE_NAME")}.{r.String("CONSTRAINT_NAME")} -> {r.String("REFERENCED_TABLE_NAME")}").ToList();
        Assert.Equal(["items.fk_items_owner -> owners", "notes.fk_notes_item -> items"], keys);
        Assert.Equal(0L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM notes n LEFT JOIN items i ON i.id = n.item_id WHERE i.id IS NULL")));
        await Assert.ThrowsAnyAsync<DbException>(() => target.ExecuteAsync("INSERT INTO notes (item_id) VALUES (999999999)"));
        await Assert.ThrowsAnyAsync<DbException>(() => target.ExecuteAsync("UPDATE items SET owner_id = 999999 WHERE id = 3"));
        var noted = Convert.ToInt64(await target.ScalarAsync("SELECT item_id FROM notes ORDER BY id LIMIT 1"));
        await target.ExecuteAsync("DELETE FROM items WHERE id = @id", new { id = noted });
        Assert.Equal(0L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM notes WHERE item_id = @id", new { id = noted })));
        await Assert.ThrowsAnyAsync<DbException>(() => target.ExecuteAsync("DELETE FROM owners WHERE id = 7"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>
    /// MariaDB keeps RESTRICT (written or implied; SHOW CREATE TABLE prints no clause) apart from
    /// NO ACTION (printed): the same rule in InnoDB, but a schema diff flags the change. The keys
    /// the swap drops and adds again, its own and its children's, keep the wording they had.
    /// </summary>
    [Fact]
    public async Task Foreign_keys_the_swap_adds_again_keep_restrict_and_no_action_as_written()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE owners (id BIGINT NOT NULL PRIMARY KEY) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO owners (id) SELECT seq FROM seq_1_to_10");
        await EngineKit.CreateItemsAsync(target, 1000);
        await target.ExecuteAsync(
            "ALTER TABLE items ADD COLUMN owner_id BIGINT NULL, ADD COLUMN second_owner_id BIGINT NULL, ADD COLUMN third_owner_id BIGINT NULL, " +
            "ADD CONSTRAINT fk_items_restrict FOREIGN KEY (owner_id) REFERENCES owners (id) ON DELETE RESTRICT ON UPDATE RESTRICT, " +
            "ADD CONSTRAINT fk_items_no_action FOREIGN KEY (second_owner_id) REFERENCES owners (id) ON DELETE NO ACTION ON UPDATE NO ACTION, " +
            "ADD CONSTRAINT fk_items_mixed FOREIGN KEY (third_owner_id) REFERENCES owners (id) ON DELETE NO ACTION");
        await target.ExecuteAsync("UPDATE items SET owner_id = id % 10 + 1, second_owner_id = id % 7 + 1, third_owner_id = id % 5 + 1");
        await target.ExecuteAsync("CREATE TABLE notes (id BIGINT NOT NULL PRIMARY KEY, item_id BIGINT NOT NULL, CONSTRAINT fk_notes_restrict FOREIGN KEY (item_id) REFERENCES items (id) ON DELETE RESTRICT) ENGINE=InnoDB");
        await target.ExecuteAsync("CREATE TABLE tags (id BIGINT NOT NULL PRIMARY KEY, item_id BIGINT NOT NULL, CONSTRAINT fk_tags_no_action FOREIGN KEY (item_id) REFERENCES items (id) ON UPDATE NO ACTION) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO notes SELECT seq, seq FROM seq_1_to_20");
        await target.ExecuteAsync("INSERT INTO tags SELECT seq, seq FROM seq_1_to_20");
        var before = await ForeignKeyWordingAsync(target);
        Assert.Contains("CONSTRAINT `fk_items_no_action` FOREIGN KEY (`second_owner_id`) REFERENCES `owners` (`id`) ON DELETE NO ACTION ON UPDATE NO ACTION", before);
        Assert.Contains("CONSTRAINT `fk_items_restrict` FOREIGN KEY (`owner_id`) REFERENCES `owners` (`id`)", before);
        EngineKit.WriteSwapScript(target);

        var result = await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync();

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        Assert.Equal(1000L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM items WHERE flag IS NOT NULL")));
        Assert.Equal(string.Join("\n", before), string.Join("\n", await ForeignKeyWordingAsync(target)));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>The foreign key lines of SHOW CREATE TABLE of the tables above, and each key's rules as information_schema gives them.</summary>
    private static async Task<List<string>> ForeignKeyWordingAsync(TestTarget target)
    {
        var lines = new List<string>();
        foreach (var table in new[] { "items", "notes", "tags" })
        {
            var create = Convert.ToString((await target.QueryAsync($"SHOW CREATE TABLE `{table}`"))[0][1], CultureInfo.InvariantCulture)!;
            lines.AddRange(create.Split('\n').Where(l => l.Contains(" FOREIGN KEY ", StringComparison.Ordinal)).Select(l => l.Trim().TrimEnd(',')).Order(StringComparer.Ordinal));
        }
        lines.AddRange((await target.QueryAsync("SELECT CONSTRAINT_NAME, DELETE_RULE, UPDATE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY CONSTRAINT_NAME"))
            .Select(r => $"{r.String("CONSTRAINT_NAME")}: {r.String("DELETE_RULE")} {r.String("UPDATE_RULE")}"));
        return lines;
    }

    /// <summary>
    /// InnoDB runs a foreign key's CASCADE / SET NULL / SET DEFAULT actions without firing triggers:
    /// rows of the swapped table that a change of the parent deletes or updates during the swap
    /// would never reach the change log, and the copy would swap them in as they were. Refused
    /// before anything is written, naming the key, the parent and what to do.
    /// </summary>
    [Theory]
    [InlineData("ON DELETE CASCADE", "ON DELETE CASCADE")]
    [InlineData("ON DELETE SET NULL", "ON DELETE SET NULL")]
    [InlineData("ON UPDATE CASCADE", "ON UPDATE CASCADE")]
    [InlineData("ON DELETE RESTRICT ON UPDATE SET NULL", "ON UPDATE SET NULL")]
    public async Task A_table_whose_own_foreign_key_acts_on_its_rows_is_refused_before_anything_is_written(string actions, string named)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await CreateCustomersAndOrdersAsync(target, actions);
        target.Sql("20261201000000_orders_n", "-- swap:online\nALTER TABLE orders MODIFY COLUMN n BIGINT NOT NULL;\n");
        var before = await SnapshotAsync(target, "orders", "customers");

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 7, run.ToString());
        Assert.Contains($"Its foreign key fk_orders_customer to 'customers' is {named}", run.Err, StringComparison.Ordinal);
        Assert.Contains("without firing triggers", run.Err, StringComparison.Ordinal);
        Assert.Contains("change the key to RESTRICT or NO ACTION and put its actions back after", run.Err, StringComparison.Ordinal);
        Assert.Contains("plain ALTER TABLE while nothing deletes or updates rows of 'customers'", run.Err, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(target, "orders", "customers"));
        Assert.Empty(await target.HistoryIdsAsync());
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>An instant change copies no row, so the same table's instant column add is not refused.</summary>
    [Fact]
    public async Task An_instant_change_of_a_table_whose_foreign_key_cascades_runs()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await CreateCustomersAndOrdersAsync(target, "ON DELETE CASCADE");
        target.Sql("20261201000000_orders_note", "-- swap:online\nALTER TABLE orders ADD COLUMN note VARCHAR(10) NULL;\n");

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["20261201000000_orders_note"], await target.HistoryIdsAsync());
        Assert.Equal(500, await target.CountAsync("orders", "note IS NULL"));
        await target.ExecuteAsync("DELETE FROM customers WHERE id = 3");
        Assert.Equal(0, await target.CountAsync("orders", "customer_id = 3"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>
    /// A parent and its child in one swap: the child's copy would keep its key on the old parent
    /// (InnoDB follows the parent's RENAME to its old name), and the cut-over could not give the
    /// key its name back. Refused before anything is written; two swaps do it.
    /// </summary>
    [Theory]
    [InlineData("sql")]
    [InlineData("csharp")]
    public async Task A_parent_and_its_child_in_one_swap_are_refused_and_two_swaps_change_them(string form)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE parent (id BIGINT NOT NULL PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB");
        await target.ExecuteAsync("CREATE TABLE child (id BIGINT NOT NULL PRIMARY KEY, parent_id BIGINT NOT NULL, n INT NOT NULL, CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO parent (id, n) SELECT seq, seq FROM seq_1_to_100");
        await target.ExecuteAsync("INSERT INTO child (id, parent_id, n) SELECT seq, seq % 100 + 1, seq FROM seq_1_to_300");
        if (form == "sql")
            target.Sql("20261201000000_widen", "-- swap:online\nALTER TABLE parent MODIFY COLUMN n BIGINT NOT NULL;\nALTER TABLE child MODIFY COLUMN n BIGINT NOT NULL;\n");
        else
            target.CSharp("20261201000000_Widen", WidenScript("await db.DoneUsingTablesAsync(\"parent\", \"child\");"));
        var before = await SnapshotAsync(target, "parent", "child");

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 7, run.ToString());
        Assert.Contains("Swap cannot change 'parent' and 'child' together on MySQL/MariaDB: the foreign key child.fk_child_parent points at 'parent'", run.Err, StringComparison.Ordinal);
        Assert.Contains("swap 'parent' and 'child' in separate swaps (two DoneUsingTablesAsync calls or two scripts)", run.Err, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(target, "parent", "child"));
        Assert.Empty(await target.HistoryIdsAsync());
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        await target.ExecuteAsync("INSERT INTO child (id, parent_id, n) VALUES (1000, 5, 0)");
        await Assert.ThrowsAnyAsync<DbException>(() => target.ExecuteAsync("INSERT INTO child (id, parent_id, n) VALUES (1001, 999, 0)"));

        // What the message says to do: the same change in two swaps.
        if (form == "sql")
            target.Sql("20261201000000_widen", "-- swap:online\nALTER TABLE parent MODIFY COLUMN n BIGINT NOT NULL;\nSELECT 1;\nALTER TABLE child MODIFY COLUMN n BIGINT NOT NULL;\n");
        else
            target.CSharp("20261201000000_Widen", WidenScript("await db.DoneUsingTablesAsync(\"parent\");\n        await db.DoneUsingTablesAsync(\"child\");"));
        var again = await SwapCli.RunAsync(target, "up");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(["bigint", "bigint"], await target.ColumnAsync("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = 'n' ORDER BY TABLE_NAME"));
        Assert.Equal(["child.fk_child_parent -> parent"], (await target.QueryAsync("SELECT TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()"))
            .Select(r => $"{r.String("TABLE_NAME")}.{r.String("CONSTRAINT_NAME")} -> {r.String("REFERENCED_TABLE_NAME")}"));
        Assert.Equal(301, await target.CountAsync("child"));
        await target.ExecuteAsync("INSERT INTO child (id, parent_id, n) VALUES (1002, 7, 0)");
        await Assert.ThrowsAnyAsync<DbException>(() => target.ExecuteAsync("INSERT INTO child (id, parent_id, n) VALUES (1003, 999, 0)"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    private static string WidenScript(string done) => $$"""
        using Swap.Engine;
        public sealed class Widen : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var parent = await db.UseTableForAlterAsync("parent");
                var child = await db.UseTableForAlterAsync("child");
                parent.GetColumn("n").SetType(ColumnType.BigInt);
                child.GetColumn("n").SetType(ColumnType.BigInt);
                {{done}}
            }
        }
        """;

    private static async Task CreateCustomersAndOrdersAsync(TestTarget target, string actions)
    {
        await target.ExecuteAsync("CREATE TABLE customers (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(20) NOT NULL) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO customers (id, name) SELECT seq, CONCAT('c', seq) FROM seq_1_to_10");
        await target.ExecuteAsync($"CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, customer_id BIGINT NULL, n INT NOT NULL, CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) {actions}) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO orders (id, customer_id, n) SELECT seq, seq % 10 + 1, seq FROM seq_1_to_500");
    }

    /// <summary>Each table's definition, row count and content checksum.</summary>
    internal static async Task<List<string>> SnapshotAsync(TestTarget target, params string[] tables)
    {
        var parts = new List<string>();
        foreach (var table in tables)
        {
            parts.Add(Convert.ToString((await target.QueryAsync($"SHOW CREATE TABLE `{table}`"))[0][1], CultureInfo.InvariantCulture)!);
            parts.Add(Convert.ToString((await target.QueryAsync($"CHECKSUM TABLE `{table}` EXTENDED"))[0][1], CultureInfo.InvariantCulture)!);
            parts.Add((await target.CountAsync($"`{table}`")).ToString(CultureInfo.InvariantCulture));
        }
        parts.AddRange((await target.QueryAsync("SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY TRIGGER_NAME"))
            .Select(r => $"{r.String("TRIGGER_NAME")} ON {r.String("EVENT_OBJECT_TABLE")}: {r.String("ACTION_STATEMENT")}"));
        return parts;
    }
}
