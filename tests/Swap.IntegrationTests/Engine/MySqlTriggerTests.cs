using Swap.Data;
using Swap.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// A MySQL/MariaDB table with its own triggers is swapped: capture coexists with them, they never
/// fire for Swap's own writes to the copy, and the swapped table has them under their own names,
/// in their order, firing exactly once per application write before, during and after the swap.
/// </summary>
public class MySqlTriggerTests
{
    [Fact]
    public async Task The_tables_own_triggers_move_to_the_swapped_table_and_fire_once_per_write()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, 2000);
        await target.ExecuteAsync("CREATE TABLE items_audit (id INT AUTO_INCREMENT PRIMARY KEY, op CHAR(1) NOT NULL, item_id BIGINT NOT NULL) ENGINE=InnoDB");
        await target.ExecuteAsync("CREATE TRIGGER items_bi BEFORE INSERT ON items FOR EACH ROW SET NEW.v = CONCAT('ins:', NEW.v)");
        await target.ExecuteAsync("CREATE TRIGGER items_au AFTER UPDATE ON items FOR EACH ROW INSERT INTO items_audit (op, item_id) VALUES ('u', NEW.id)");
        await target.ExecuteAsync("CREATE TRIGGER items_au2 AFTER UPDATE ON items FOR EACH ROW FOLLOWS items_au INSERT INTO items_audit (op, item_id) VALUES ('U', NEW.id)");
        await target.ExecuteAsync("CREATE TRIGGER items_ad AFTER DELETE ON items FOR EACH ROW BEGIN INSERT INTO items_audit (op, item_id) VALUES ('d', OLD.id); END");
        EngineKit.WriteSwapScript(target);

        await using var app = await target.OpenAsync();
        void Write(string sql) => app.ExecuteAsync(sql, default).GetAwaiter().GetResult();
        var duringCopy = false;
        var duringVerify = false;
        var migrator = EngineKit.Migrator(target, o => o.Swap.Progress = new SyncProgress(p =>
        {
            // The application writes while rows are copied and again once they are verified; every
            // one of these keys goes through the applier into the copy.
            if (p.Phase == SwapPhase.Copying && p.RowsCopied > 0 && !duringCopy)
            {
                duringCopy = true;
                for (var id = 10; id <= 14; id++)
                    Write($"UPDATE items SET n = n + 1 WHERE id = {id}");
                Write("INSERT INTO items (id, k, v, n) VALUES (5001, 1, 'a', 0), (5002, 2, 'b', 0)");
                Write("DELETE FROM items WHERE id = 20");
            }
            if (p.Phase == SwapPhase.Verifying && !duringVerify)
            {
                duringVerify = true;
                for (var id = 30; id <= 34; id++)
                    Write($"UPDATE items SET n = n + 1 WHERE id = {id}");
            }
        }));

        var result = await migrator.UpAsync();
        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        Assert.True(duringCopy && duringVerify, "the writes during the swap must have happened, or this test proves nothing");

        // After the swap, on the new table.
        for (var id = 40; id <= 42; id++)
            Write($"UPDATE items SET n = n + 1 WHERE id = {id}");
        Write("INSERT INTO items (id, k, v, n) VALUES (5003, 3, 'c', 0)");

        var triggers = await target.QueryAsync(
            "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY TRIGGER_NAME");
        Assert.Equal(
            ["items_ad items AFTER DELETE 1", "items_au items AFTER UPDATE 1", "items_au2 items AFTER UPDATE 2", "items_bi items BEFORE INSERT 1"],
            triggers.Select(t => $"{t.String("TRIGGER_NAME")} {t.String("EVENT_OBJECT_TABLE")} {t.String("ACTION_TIMING")} {t.String("EVENT_MANIPULATION")} {t.Int64("ACTION_ORDER")}"));

        // Each update fired both update triggers once, in order; the delete once; Swap's writes to the copy never.
        var audit = await target.QueryAsync("SELECT op, item_id FROM items_audit ORDER BY id");
        var expected = new List<string>();
        foreach (var id in Enumerable.Range(10, 5).Concat(Enumerable.Range(30, 5)).Concat(Enumerable.Range(40, 3)))
        {
            expected.Add($"u{id}");
            expected.Add($"U{id}");
            if (id == 14)
                expected.Add("d20");
        }
        Assert.Equal(expected, audit.Select(a => a.String("op") + a.Int64("item_id")));

        var rows = (await EngineKit.ReadItemsAsync(target)).ToDictionary(r => r.Id);
        Assert.Equal("ins:a", rows[5001].V);
        Assert.Equal("ins:b", rows[5002].V);
        Assert.Equal("ins:c", rows[5003].V);
        Assert.False(rows.ContainsKey(20));
        Assert.Equal("v10", rows[10].V);
        Assert.Equal(1, rows[10].N);
        Assert.Equal(2002, rows.Count);
        // The fill applies to rows the swap carried over; the row written afterwards has none.
        Assert.All(rows.Values.Where(r => r.Id != 5003), r => Assert.Equal(EngineKit.Flag(r.K), r.Flag));
        Assert.Null(rows[5003].Flag);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>
    /// MySQL/MariaDB do not rewrite a trigger's body when a column is renamed or dropped in place:
    /// an instant change of a column a trigger names would leave every insert (or delete) failing
    /// with 1054 Unknown column. The change goes to the copy's check instead, which refuses it
    /// before anything is changed, as it does for the copy (naming the first trigger it checks:
    /// both use the column, and the delete trigger comes first).
    /// </summary>
    [Theory]
    [InlineData("sql-rename", "t2_bd")]
    [InlineData("csharp-rename", "t2_bd")]
    [InlineData("csharp-drop", "t2_bd")]
    public async Task An_instant_rename_or_drop_of_a_column_a_trigger_uses_is_refused_before_anything_is_written(string form, string trigger)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await CreateT2Async(target);
        if (form == "sql-rename")
            target.Sql("20261201000000_t2", "-- swap:online\nALTER TABLE t2 RENAME COLUMN qty TO quantity;\n");
        else
            target.CSharp("20261201000000_T2", T2Script(form == "csharp-rename" ? "t2.RenameColumn(\"qty\", \"quantity\");" : "t2.DropColumn(\"qty\");"));
        var before = await MySqlForeignKeyTests.SnapshotAsync(target, "t2", "items_log");

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 7, run.ToString());
        Assert.True(run.Err.Contains($"its trigger '{trigger}' cannot be recreated on the new table", StringComparison.Ordinal), run.ToString());
        Assert.Contains("Unknown column 'qty'", run.Err, StringComparison.Ordinal);
        Assert.Contains("Change or drop the trigger first", run.Err, StringComparison.Ordinal);
        Assert.Equal(before, await MySqlForeignKeyTests.SnapshotAsync(target, "t2", "items_log"));
        Assert.Empty(await target.HistoryIdsAsync());
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        // The application's writes still work, and the triggers still fire.
        await target.ExecuteAsync("INSERT INTO t2 (id, qty) VALUES (100, 7)");
        await target.ExecuteAsync("DELETE FROM t2 WHERE id = 1");
        Assert.Equal(["100:7", "1:1"], await target.ColumnAsync("SELECT CONCAT(item, ':', q) FROM items_log ORDER BY id"));
    }

    /// <summary>A column no trigger names is still renamed instantly, and the triggers keep working.</summary>
    [Fact]
    public async Task An_instant_rename_of_a_column_no_trigger_uses_stays_instant()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await CreateT2Async(target);
        target.Sql("20261201000000_t2", "-- swap:online\nALTER TABLE t2 RENAME COLUMN note TO remark;\n");

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        var options = new MigratorOptions();
        options.Sources.Add(MigrationSource.Folder(Path.Combine(target.Folder, "migrations")));
        Assert.StartsWith("t2: instant: ", (await new Migrator(target.Database(), options).StatusAsync()).Scripts.Single().Methods.Single(), StringComparison.Ordinal);
        await target.ExecuteAsync("INSERT INTO t2 (id, qty, remark) VALUES (100, 7, 'x')");
        Assert.Equal(["100:7"], await target.ColumnAsync("SELECT CONCAT(item, ':', q) FROM items_log ORDER BY id"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    private static async Task CreateT2Async(TestTarget target)
    {
        await target.ExecuteAsync("CREATE TABLE t2 (id BIGINT NOT NULL PRIMARY KEY, qty INT NOT NULL, note VARCHAR(10) NULL) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO t2 (id, qty) SELECT seq, seq FROM seq_1_to_50");
        await target.ExecuteAsync("CREATE TABLE items_log (id INT AUTO_INCREMENT PRIMARY KEY, item BIGINT NOT NULL, q INT NOT NULL) ENGINE=InnoDB");
        await target.ExecuteAsync("CREATE TRIGGER t2_bi BEFORE INSERT ON t2 FOR EACH ROW INSERT INTO items_log (item, q) VALUES (NEW.id, NEW.qty)");
        await target.ExecuteAsync("CREATE TRIGGER t2_bd BEFORE DELETE ON t2 FOR EACH ROW INSERT INTO items_log (item, q) VALUES (OLD.id, OLD.qty)");
    }

    private static string T2Script(string change) => $$"""
        public sealed class T2 : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var t2 = await db.UseTableForAlterAsync("t2");
                {{change}}
                await db.DoneUsingTablesAsync("t2");
            }
        }
        """;
}

