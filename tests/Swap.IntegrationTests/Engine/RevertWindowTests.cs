using System.Globalization;
using Swap.Cli;
using Swap.Data;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// Revert windows (issue 17): after a swap with <c>--revert-window</c> the old table is kept in sync
/// with every write, <c>swap revert</c> swaps it back (all tables of a swap together, resumable after
/// a kill), <c>swap finish</c> and the window's end drop it, and a change that cannot be taken back
/// exactly is refused before anything is written.
/// </summary>
public class RevertWindowTests
{
    private const int Rows = 2000;

    private static Task WritesAsync(OracleWriter writer, int more) => RevertKit.WritesAsync(writer, more);

    private static void AssertSameRows(IReadOnlyDictionary<long, ItemRow> oracle, IReadOnlyList<ItemRow> actual) => RevertKit.AssertSameRows(oracle, actual);

    private static Task<bool> HasColumnAsync(TestTarget target, string column, string table = "items") => RevertKit.HasColumnAsync(target, column, table);

    /// <summary>Drops a column (existing rows keep its values in the old table; rows inserted during the window get 'new'), adds one, indexes it.</summary>
    private const string ReshapeScript = """
        using Swap.Engine;

        public sealed class ReshapeItems : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var items = await db.UseTableForAlterAsync("items");
                items.DropColumn("extra");
                items.SetRevertValue("extra", "'new'");
                items.AddColumn(DbColumn.String("flag", 10).FillWith("CASE WHEN k % 2 = 0 THEN 'even' ELSE 'odd' END"), after: "k");
                items.AddIndex(DbIndex.Create("flag"));
                await db.DoneUsingTablesAsync("items");
            }
        }
        """;

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task Swap_keep_writing_revert_and_the_old_table_holds_every_write_with_the_dropped_column_kept(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, Rows);
        await target.ExecuteAsync("ALTER TABLE items ADD COLUMN extra VARCHAR(10) NOT NULL DEFAULT 'x'");
        EngineKit.WriteSwapScript(target, ReshapeScript, "20260101000000_ReshapeItems.cs");
        var migrator = EngineKit.Migrator(target, o => o.Swap.RevertWindow = TimeSpan.FromHours(24));
        var writer = new OracleWriter(target, EngineKit.InitialItems(Rows), seed: 17);

        using var stop = new CancellationTokenSource();
        var writing = Task.Run(() => writer.RunAsync(stop.Token));
        await WritesAsync(writer, 50);
        await migrator.UpAsync();
        Assert.False(await HasColumnAsync(target, "extra"));
        await WritesAsync(writer, 300);

        var status = await migrator.StatusAsync();
        var window = Assert.Single(status.RevertWindows);
        Assert.Equal(["items"], window.Tables);
        Assert.Contains("swap revert ReshapeItems", window.Command, StringComparison.Ordinal);
        Assert.True(window.Backlog > 0, "the writes made since the cut-over wait in the reverse log");

        var reverted = await migrator.RevertAsync("ReshapeItems");
        Assert.Equal(["items"], reverted.Tables);
        await WritesAsync(writer, 50);
        stop.Cancel();
        await writing;

        Assert.Empty(writer.Errors);
        AssertSameRows(writer.Oracle, await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.False(await HasColumnAsync(target, "flag"));
        var extras = (await target.QueryAsync("SELECT id, extra FROM items")).ToDictionary(r => r.Int64("id")!.Value, r => r.String("extra"));
        foreach (var (id, extra) in extras)
        {
            // A row inserted, or moved to a new key (ids from 100,000,000), after the cut-over comes
            // back as a new row with the script's value; before it, it has the column's default.
            if (writer.Inserted.Contains(id) || id >= 100_000_000)
                Assert.Contains(extra, new[] { "x", "new" });
            else
                Assert.True(extra == "x", $"row {id} existed before the swap and must keep its dropped-column value 'x', not '{extra}'");
        }
        Assert.Contains("new", extras.Values);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "ReshapeItems"));
        Assert.Empty((await migrator.StatusAsync()).RevertWindows);
    }

    [Theory]
    [InlineData(DatabaseEngine.PostgreSql, "from integer to bigint")]
    [InlineData(DatabaseEngine.MySql, "from int(11) to bigint")]
    [InlineData(DatabaseEngine.Sqlite, "not available on SQLite")]
    public async Task A_change_that_cannot_be_taken_back_refuses_the_window_with_its_reason_and_changes_nothing(DatabaseEngine engine, string reason)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 200);
        var folder = EngineKit.WriteSwapScript(target, """
            using Swap.Engine;
            public sealed class WidenK : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var items = await db.UseTableForAlterAsync("items");
                    items.GetColumn("k").SetType(ColumnType.BigInt);
                    items.AddIndex(DbIndex.Create("k"));
                    await db.DoneUsingTablesAsync("items");
                }
            }
            """, "20260101000000_WidenK.cs");

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["up", "--revert-window", "24h", "--db", target.UrlText, "--migrations", folder], stdout, stderr, _ => null, target.Folder, TimeProvider.System, default);

        Assert.Equal(ExitCodes.Refused, code);
        var message = stderr.ToString();
        Assert.Contains("revert window", message, StringComparison.Ordinal);
        Assert.Contains(reason, message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Run without --revert-window", message, StringComparison.Ordinal);
        // Said once: the SQLite message used to say it twice.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(message, "Run without --revert-window"));
        Assert.Equal(EngineKit.InitialItems(200).Values, await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.DoesNotContain(await EngineKit.LeftoversAsync(target), l => !l.Contains("journal", StringComparison.Ordinal));
        Assert.NotEqual("applied", await EngineKit.HistoryStatusAsync(target, "WidenK"));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task A_window_longer_than_the_calendar_opens_until_its_last_day_instead_of_failing_after_the_cut_over(DatabaseEngine engine)
    {
        // 80,000,000 hours is a TimeSpan but ends after the year 9999: the expiry used to throw after
        // the cut-over, leaving the script failed with the table swapped and the window unrecorded.
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 300);
        var folder = EngineKit.WriteSwapScript(target);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["up", "--revert-window", "80000000h", "--db", target.UrlText, "--migrations", folder], stdout, stderr, _ => null, target.Folder, TimeProvider.System, default);
        Assert.True(code == 0, $"up failed ({code}): {stdout}{stderr}");

        var migrator = EngineKit.Migrator(target);
        var window = Assert.Single((await migrator.StatusAsync()).RevertWindows);
        Assert.Equal(DateTime.MaxValue.Date, window.ExpiresAtUtc.Date);
        Assert.False(window.Expired);
        await target.ExecuteAsync("INSERT INTO items (id, k, v, n, flag) VALUES (9001, 2, 'after', 0, 'even')");
        await migrator.RevertAsync("MigrateItems");
        var rows = await EngineKit.ReadItemsAsync(target, withFlag: false);
        Assert.Equal(301, rows.Count);
        Assert.Equal("after", rows.Single(r => r.Id == 9001).V);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task Finish_keeps_the_change_and_leaves_nothing_behind(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 500);
        var folder = EngineKit.WriteSwapScript(target);
        var migrator = EngineKit.Migrator(target, o => o.Swap.RevertWindow = TimeSpan.FromHours(24));
        await migrator.UpAsync();
        for (var id = 9001; id <= 9003; id++)
            await target.ExecuteAsync($"INSERT INTO items (id, k, v, n) VALUES ({id}, 2, 'after', 0)");

        var window = Assert.Single((await migrator.StatusAsync()).RevertWindows);
        Assert.Equal(3L, window.Backlog);
        Assert.False(window.Expired);
        var status = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["status", "--db", target.UrlText, "--migrations", folder], status, new StringWriter(), _ => null, target.Folder, TimeProvider.System, default));
        Assert.Contains("revert window\tMigrateItems\titems\topen ", status.ToString(), StringComparison.Ordinal);
        Assert.Contains("3 write(s) to apply\tswap finish MigrateItems", status.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("leftover", status.ToString(), StringComparison.Ordinal);

        var stdout = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["finish", "MigrateItems", "--db", target.UrlText, "--migrations", folder], stdout, new StringWriter(), _ => null, target.Folder, TimeProvider.System, default));
        Assert.Contains("closed\tMigrateItems\titems\tfinished", stdout.ToString(), StringComparison.Ordinal);

        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        await target.ExecuteAsync("INSERT INTO items (id, k, v, n, flag) VALUES (9004, 3, 'later', 0, 'odd')");
        var rows = await EngineKit.ReadItemsAsync(target);
        Assert.Equal(504, rows.Count);
        Assert.All(rows.Where(r => r.Id <= 500), r => Assert.Equal(EngineKit.Flag(r.K), r.Flag));

        var again = new StringWriter();
        Assert.Equal(ExitCodes.Usage, await CliApp.RunAsync(["revert", "MigrateItems", "--db", target.UrlText, "--migrations", folder], new StringWriter(), again, _ => null, target.Folder, TimeProvider.System, default));
        Assert.Contains("MigrateItems has no open revert window", again.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task A_revert_that_would_lose_a_column_a_later_migration_added_is_refused_and_changes_nothing(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 500);
        EngineKit.WriteSwapScript(target);
        var migrator = EngineKit.Migrator(target, o => o.Swap.RevertWindow = TimeSpan.FromHours(24));
        await migrator.UpAsync();
        target.WriteFile("migrations/20260201000000_add_z.sql", "ALTER TABLE items ADD z INT NULL;\n");
        await EngineKit.Migrator(target).UpAsync();
        await target.ExecuteAsync("UPDATE items SET z = 7 WHERE id = 1");

        var e = await Assert.ThrowsAsync<SwapException>(() => migrator.RevertAsync("MigrateItems"));

        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains("The revert of 'items' would lose its column(s) 'z' and their values: a later change added them after the swap", e.Message, StringComparison.Ordinal);
        Assert.Equal(7L, Convert.ToInt64(await target.ScalarAsync("SELECT z FROM items WHERE id = 1"), CultureInfo.InvariantCulture));
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "20260201000000_add_z"));
        Assert.Single((await migrator.StatusAsync()).RevertWindows);
        Assert.All(await EngineKit.ReadItemsAsync(target), r => Assert.Equal(EngineKit.Flag(r.K), r.Flag));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task A_revert_that_would_lose_an_index_a_later_migration_added_is_refused_and_changes_nothing(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 500);
        EngineKit.WriteSwapScript(target);
        var migrator = EngineKit.Migrator(target, o => o.Swap.RevertWindow = TimeSpan.FromHours(24));
        await migrator.UpAsync();
        target.WriteFile("migrations/20260201000000_index_v.sql", "CREATE INDEX ix_v ON items (v);\n");
        await EngineKit.Migrator(target).UpAsync();

        var e = await Assert.ThrowsAsync<SwapException>(() => migrator.RevertAsync("MigrateItems"));

        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains("The revert of 'items' would lose its index(es) 'ix_v': a later change added them after the swap", e.Message, StringComparison.Ordinal);
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "20260201000000_index_v"));
        Assert.Single((await migrator.StatusAsync()).RevertWindows);
        Assert.All(await EngineKit.ReadItemsAsync(target), r => Assert.Equal(EngineKit.Flag(r.K), r.Flag));
        // The window still reverts once the later change is taken back.
        await target.ExecuteAsync(engine == DatabaseEngine.MySql ? "DROP INDEX ix_v ON items" : "DROP INDEX ix_v");
        await migrator.RevertAsync("MigrateItems");
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task A_row_deleted_and_inserted_again_during_the_window_comes_back_as_a_new_row_not_with_the_deleted_rows_dropped_value(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 500);
        await target.ExecuteAsync("ALTER TABLE items ADD COLUMN extra VARCHAR(10) NOT NULL DEFAULT 'x'");
        await target.ExecuteAsync($"UPDATE items SET extra = {(engine == DatabaseEngine.MySql ? "CONCAT('old', id)" : "'old' || id")} WHERE id IN (5, 6, 7)");
        EngineKit.WriteSwapScript(target, ReshapeScript, "20260101000000_ReshapeItems.cs");
        var migrator = EngineKit.Migrator(target, o => o.Swap.RevertWindow = TimeSpan.FromHours(24));
        await migrator.UpAsync();
        await target.ExecuteAsync("DELETE FROM items WHERE id = 5");
        await target.ExecuteAsync("INSERT INTO items (id, k, v, n, flag) VALUES (5, 5, 'again', 0, 'odd')");
        await target.ExecuteAsync("UPDATE items SET v = 'updated' WHERE id = 7");

        await migrator.RevertAsync("ReshapeItems");

        var rows = (await target.QueryAsync("SELECT id, v, extra FROM items WHERE id IN (5, 6, 7) ORDER BY id")).Select(r => (r.Int64("id"), r.String("v"), r.String("extra")));
        Assert.Equal([(5L, "again", "new"), (6L, "v6", "old6"), (7L, "updated", "old7")], rows.Select(r => (r.Item1!.Value, r.Item2, r.Item3)));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task A_window_past_its_end_is_closed_by_the_next_command_that_takes_the_run_lock()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 300);
        EngineKit.WriteSwapScript(target);
        await EngineKit.Migrator(target, o => o.Swap.RevertWindow = TimeSpan.FromHours(1)).UpAsync();
        Assert.Contains("table _items_swap_old", await EngineKit.LeftoversAsync(target));

        var later = EngineKit.Migrator(target, o => o.TimeProvider = new ShiftedTime(TimeSpan.FromHours(2)));
        var window = Assert.Single((await later.StatusAsync()).RevertWindows);
        Assert.True(window.Expired);
        Assert.Contains("expired", window.Command, StringComparison.Ordinal);

        var result = await later.UpAsync();
        Assert.Empty(result.Applied);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Empty((await later.StatusAsync()).RevertWindows);
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task The_down_of_a_script_with_its_own_revert_window_opens_none_and_the_script_applies_again(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 300);
        target.Sql("20261201000000_add_flag", """
            -- swap:online
            -- swap:revert-window 24h
            ALTER TABLE items ADD COLUMN flag VARCHAR(10) NOT NULL DEFAULT 'none';
            -- swap:down
            ALTER TABLE items DROP COLUMN flag;
            """);
        var up = await SwapCli.RunAsync(target, "up");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal(0, (await SwapCli.RunAsync(target, "finish", "20261201000000_add_flag")).ExitCode);

        var down = await SwapCli.RunAsync(target, "down");

        // The window is the up's: a down that opened one would leave _items_swap_old behind and refuse the next up.
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.False(await HasColumnAsync(target, "flag"));
        var status = await SwapCli.RunAsync(target, "status");
        Assert.DoesNotContain("revert window", status.Out, StringComparison.Ordinal);
        var again = await SwapCli.RunAsync(target, "up");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.True(await HasColumnAsync(target, "flag"));
        Assert.Equal(300L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM items WHERE flag = 'none'"), CultureInfo.InvariantCulture));
        Assert.Contains("revert window\t20261201000000_add_flag\titems\topen ", (await SwapCli.RunAsync(target, "status")).Out, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task Cleanup_says_it_closes_an_expired_window_and_its_dry_run_says_it_would(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 300);
        var folder = EngineKit.WriteSwapScript(target);
        await EngineKit.Migrator(target, o => o.Swap.RevertWindow = TimeSpan.FromHours(1)).UpAsync();
        var leftovers = await EngineKit.LeftoversAsync(target);
        Assert.Contains("table _items_swap_old", leftovers);
        var later = new ShiftedTime(TimeSpan.FromHours(2));

        var dryOut = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["cleanup", "--dry-run", "--db", target.UrlText, "--migrations", folder], dryOut, new StringWriter(), _ => null, target.Folder, later, default));
        // Not 'kept ... by the open revert window' and 'Nothing to clean up.': the real run drops them.
        var dry = dryOut.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(2, dry.Length);
        Assert.StartsWith("would close\tMigrateItems\titems\tits window ended at ", dry[0], StringComparison.Ordinal);
        Assert.Equal("Would close 1 expired revert window(s), dropping their old tables and reverse capture.", dry[1]);
        Assert.Equal(leftovers, await EngineKit.LeftoversAsync(target));

        var runOut = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["cleanup", "--db", target.UrlText, "--migrations", folder], runOut, new StringWriter(), _ => null, target.Folder, later, default));
        var run = runOut.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(2, run.Length);
        Assert.StartsWith("closed\tMigrateItems\titems\tits window ended at ", run[0], StringComparison.Ordinal);
        Assert.Equal("Closed 1 expired revert window(s); the old tables and the reverse capture are dropped.", run[1]);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        Assert.Equal(300L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM items"), CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task Down_on_a_script_with_an_open_window_reverts_both_tables_of_its_swap_together(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 500, "a_items");
        await EngineKit.CreateItemsAsync(target, 500, "b_items");
        // No DownAsync: without the window, down would refuse.
        EngineKit.WriteSwapScript(target, """
            using Swap.Engine;
            public sealed class MigrateBoth : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    db.KeepRevertWindow(TimeSpan.FromHours(24));
                    foreach (var name in new[] { "a_items", "b_items" })
                    {
                        var t = await db.UseTableForAlterAsync(name);
                        t.AddColumn(DbColumn.String("flag", 10).FillWith("CASE WHEN k % 2 = 0 THEN 'even' ELSE 'odd' END"));
                    }
                    await db.DoneUsingTablesAsync("a_items", "b_items");
                }
            }
            """, "20260101000000_MigrateBoth.cs");
        var migrator = EngineKit.Migrator(target);
        await migrator.UpAsync();
        await target.ExecuteAsync("INSERT INTO a_items (id, k, v, n, flag) VALUES (9001, 1, 'a', 0, 'odd')");
        await target.ExecuteAsync("DELETE FROM b_items WHERE id = 7");
        await target.ExecuteAsync("UPDATE b_items SET v = 'b' WHERE id = 8");

        var down = await migrator.DownAsync();

        Assert.Equal(["MigrateBoth"], down.Reverted.Select(r => r.Id));
        Assert.False(await HasColumnAsync(target, "flag", "a_items"));
        Assert.False(await HasColumnAsync(target, "flag", "b_items"));
        var a = await EngineKit.ReadItemsAsync(target, "a_items", withFlag: false);
        var b = await EngineKit.ReadItemsAsync(target, "b_items", withFlag: false);
        Assert.Equal(501, a.Count);
        Assert.Contains(new ItemRow(9001, 1, "a", 0), a);
        Assert.DoesNotContain(b, r => r.Id == 7);
        Assert.Equal("b", b.Single(r => r.Id == 8).V);
        Assert.Equal(499, b.Count);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "MigrateBoth"));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task The_tables_own_trigger_fires_once_per_write_through_the_window_and_comes_back_with_the_revert(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 300);
        await target.ExecuteAsync("CREATE TABLE audit (id BIGINT NOT NULL)");
        if (engine == DatabaseEngine.MySql)
        {
            await target.ExecuteAsync("CREATE TRIGGER items_audit AFTER INSERT ON items FOR EACH ROW INSERT INTO audit (id) VALUES (NEW.id)");
        }
        else
        {
            await target.ExecuteAsync("CREATE FUNCTION items_audit_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit (id) VALUES (NEW.id); RETURN NULL; END $$");
            await target.ExecuteAsync("CREATE TRIGGER items_audit AFTER INSERT ON items FOR EACH ROW EXECUTE FUNCTION items_audit_fn()");
        }
        EngineKit.WriteSwapScript(target);
        var migrator = EngineKit.Migrator(target, o => o.Swap.RevertWindow = TimeSpan.FromHours(24));
        await migrator.UpAsync();
        await target.ExecuteAsync("INSERT INTO items (id, k, v, n) VALUES (9001, 1, 'window', 0)");

        // The revert replays 9001 into the old table: a trigger left there would fire a second time.
        await migrator.RevertAsync("MigrateItems");
        await target.ExecuteAsync("INSERT INTO items (id, k, v, n) VALUES (9002, 1, 'after', 0)");

        var audit = (await target.QueryAsync("SELECT id FROM audit ORDER BY id")).Select(r => r.Int64("id")!.Value).ToList();
        Assert.Equal([9001L, 9002L], audit);
        var database = target.Database();
        await using var c = await database.OpenConnectionAsync(default);
        var items = await database.TableEngine.LoadTableAsync(c, null, "items", default);
        Assert.Equal(["items_audit"], items!.Triggers.Select(t => t.Name));
        Assert.Contains(new ItemRow(9001, 1, "window", 0), await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task Swap_revert_prints_a_line_for_each_stage_as_up_does_for_a_swap(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 500);
        var folder = EngineKit.WriteSwapScript(target);
        await EngineKit.Migrator(target, o => o.Swap.RevertWindow = TimeSpan.FromHours(24)).UpAsync();
        await target.ExecuteAsync("UPDATE items SET v = 'after' WHERE id <= 3");

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["revert", "MigrateItems", "--db", target.UrlText, "--migrations", folder], stdout, stderr, _ => null, target.Folder, TimeProvider.System, default));

        var lines = stderr.ToString().Split('\n').Where(l => l.StartsWith("swap items: ", StringComparison.Ordinal)).Select(l => System.Text.RegularExpressions.Regex.Replace(l.TrimEnd(), @" in [\d.,]+ (ms|s)$", "")).ToList();
        Assert.Equal(
            ["swap items: applied 3 write(s) made since the cut-over to the old table", "swap items: verified", "swap items: cut over", "swap items: removed capture", "swap items: dropped the old table", "swap items: done"],
            lines);
        Assert.StartsWith("reverted\tMigrateItems\titems\t", stdout.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task An_old_table_changed_behind_swaps_back_fails_verification_and_nothing_is_swapped_back(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 300);
        var folder = EngineKit.WriteSwapScript(target);
        await EngineKit.Migrator(target, o => o.Swap.RevertWindow = TimeSpan.FromHours(24)).UpAsync();
        await target.ExecuteAsync("UPDATE _items_swap_old SET v = 'tampered' WHERE id = 5");

        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["revert", "MigrateItems", "--db", target.UrlText, "--migrations", folder], new StringWriter(), stderr, _ => null, target.Folder, TimeProvider.System, default);

        Assert.Equal(ExitCodes.VerificationFailed, code);
        Assert.Contains("does not match 'items' through the reverse mapping at key (5)", stderr.ToString(), StringComparison.Ordinal);
        Assert.True(await HasColumnAsync(target, "flag"), "nothing may be swapped back");
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        Assert.Single((await EngineKit.Migrator(target).StatusAsync()).RevertWindows);
    }

    /// <summary>The clock of a later moment: what the next command sees once a window has run out.</summary>
    private sealed class ShiftedTime(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + by;
    }
}
