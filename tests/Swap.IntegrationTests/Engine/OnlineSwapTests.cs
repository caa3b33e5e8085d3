using Swap.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>Invariants 1, 3, 4 and 5 of the design: nothing lost, atomic swap, bounded locks, verify before destroy.</summary>
public class OnlineSwapTests
{
    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task Swap_under_concurrent_inserts_updates_key_updates_and_deletes_matches_the_oracle(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        const int rows = 20_000;
        await EngineKit.CreateItemsAsync(target, rows);
        EngineKit.WriteSwapScript(target);
        var phase = SwapPhase.Preflight;
        var migrator = EngineKit.Migrator(target, o => o.Swap.Progress = new Progress<SwapProgress>(p => phase = p.Phase));
        var writer = new OracleWriter(target, EngineKit.InitialItems(rows), seed: 7) { Watching = () => phase == SwapPhase.Copying };

        using var stop = new CancellationTokenSource();
        var writing = Task.Run(() => writer.RunAsync(stop.Token));
        while (writer.Acknowledged < 50)
            await Task.Delay(10);
        var result = await migrator.UpAsync();
        await Task.Delay(200);
        stop.Cancel();
        await writing;

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        Assert.Empty(writer.Errors);
        if (engine != DatabaseEngine.Sqlite)
            Assert.True(writer.DuringWatch > 0, "the writer must have written while rows were being copied, or this test proves nothing");
        OracleWriter.AssertMatches(writer.Oracle, writer.Inserted, await EngineKit.ReadItemsAsync(target));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task Several_tables_swap_together_and_readers_never_see_one_swapped_without_the_other(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 5000, "a_items");
        await EngineKit.CreateItemsAsync(target, 5000, "b_items");
        EngineKit.WriteSwapScript(target, """
            using Swap.Engine;
            public sealed class MigrateBoth : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    foreach (var name in new[] { "a_items", "b_items" })
                    {
                        var t = await db.UseTableForAlterAsync(name);
                        t.AddColumn(DbColumn.String("flag", 10).FillWith("CASE WHEN k % 2 = 0 THEN 'even' ELSE 'odd' END"));
                    }
                    await db.DoneUsingTablesAsync("a_items", "b_items");
                }
            }
            """);
        var columnCount = engine switch
        {
            DatabaseEngine.PostgreSql => $"SELECT count(*) FROM information_schema.columns WHERE table_schema = '{target.Name}' AND table_name IN ('a_items', 'b_items') AND column_name = 'flag'",
            DatabaseEngine.MySql => "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('a_items', 'b_items') AND COLUMN_NAME = 'flag'",
            _ => "SELECT (SELECT count(*) FROM pragma_table_info('a_items') WHERE name = 'flag') + (SELECT count(*) FROM pragma_table_info('b_items') WHERE name = 'flag')",
        };
        var seen = new HashSet<long>();
        var errors = new List<string>();
        using var stop = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            await using var c = await target.OpenAsync();
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    seen.Add(Convert.ToInt64(await Swap.Data.DbCommands.ScalarAsync(c, columnCount, default), System.Globalization.CultureInfo.InvariantCulture));
                    await Swap.Data.DbCommands.ScalarAsync(c, "SELECT (SELECT COUNT(*) FROM a_items) + (SELECT COUNT(*) FROM b_items)", default);
                }
                catch (System.Data.Common.DbException e)
                {
                    errors.Add(e.Message);
                }
            }
        });
        await EngineKit.Migrator(target).UpAsync();
        stop.Cancel();
        await reading;

        Assert.Empty(errors);
        Assert.True(seen.IsSubsetOf([0L, 2L]), $"a reader saw the flag column on one table only: counts seen {string.Join(", ", seen)}");
        Assert.Equal(10_000, (await EngineKit.ReadItemsAsync(target, "a_items")).Count + (await EngineKit.ReadItemsAsync(target, "b_items")).Count);
        Assert.All(await EngineKit.ReadItemsAsync(target, "b_items"), r => Assert.Equal(EngineKit.Flag(r.K), r.Flag));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task A_cut_over_blocked_by_a_long_transaction_gives_up_with_the_original_intact_then_finishes_later(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 3000);
        EngineKit.WriteSwapScript(target);
        await using var blocker = await target.OpenAsync();
        System.Data.Common.DbTransaction? tx = null;

        // Once the rows are copied, an application transaction reads the table and stays open: it
        // holds a lock the cut-over needs (PostgreSQL ACCESS SHARE, MySQL a metadata lock).
        var migrator = EngineKit.Migrator(target, o =>
        {
            o.Swap.CutOverLockTimeout = TimeSpan.FromMilliseconds(300);
            o.Swap.CutOverRetries = 1;
            o.Swap.CutOverRetryDelay = TimeSpan.FromMilliseconds(50);
            o.Swap.Progress = new SyncProgress(p =>
            {
                if (p.Phase == SwapPhase.Verifying && tx is null)
                {
                    tx = blocker.BeginTransaction();
                    Swap.Data.DbCommands.QueryAsync(blocker, "SELECT id FROM items WHERE id = 1", null, tx, default).GetAwaiter().GetResult();
                }
            });
        });
        var failure = await Assert.ThrowsAsync<SwapException>(() => migrator.UpAsync());
        Assert.Equal(SwapErrorKind.CutOverTimedOut, failure.Kind);
        Assert.Contains("could not take its locks in 2 attempt(s)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("The original is in place", failure.Message, StringComparison.Ordinal);

        // The application's table is untouched and still the original (no flag column), and writes still flow through capture.
        Assert.NotNull(tx);
        await tx.RollbackAsync();
        Assert.Equal(3000, (await EngineKit.ReadItemsAsync(target, withFlag: false)).Count);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.QueryAsync("SELECT flag FROM items"));
        await target.ExecuteAsync("UPDATE items SET v = 'after-timeout' WHERE id = 2");
        Assert.Equal("failed", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));

        var result = await EngineKit.Migrator(target).UpAsync();
        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        var rows = await EngineKit.ReadItemsAsync(target);
        Assert.Equal(3000, rows.Count);
        Assert.Equal("after-timeout", rows.Single(r => r.Id == 2).V);
        Assert.All(rows, r => Assert.Equal(EngineKit.Flag(r.K), r.Flag));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_copy_that_differs_from_the_original_is_never_swapped_in(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 500);
        var random = engine switch { DatabaseEngine.PostgreSql => "random()::text", DatabaseEngine.MySql => "RAND()", _ => "random()" };
        EngineKit.WriteSwapScript(target, EngineKit.SwapScript.Replace("CASE WHEN k % 2 = 0 THEN 'even' ELSE 'odd' END", random, StringComparison.Ordinal).Replace("String(\"flag\", 10)", "String(\"flag\", 40)", StringComparison.Ordinal));

        var failure = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());

        Assert.Equal(SwapErrorKind.VerificationFailed, failure.Kind);
        Assert.Contains("does not match the original", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was swapped; the original is intact", failure.Message, StringComparison.Ordinal);
        Assert.Equal(500, (await EngineKit.ReadItemsAsync(target, withFlag: false)).Count);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.QueryAsync("SELECT flag FROM items"));
        var leftovers = await EngineKit.LeftoversAsync(target);
        if (engine == DatabaseEngine.Sqlite)
        {
            Assert.Empty(leftovers);
        }
        else
        {
            Assert.DoesNotContain(leftovers, l => l.StartsWith("trigger", StringComparison.Ordinal) || l.StartsWith("function", StringComparison.Ordinal));
            Assert.Contains("table _items_swap_new", leftovers);
            var again = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());
            Assert.Equal(SwapErrorKind.VerificationFailed, again.Kind);
            Assert.Contains("swap cleanup --script MigrateItems", again.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task Plan_shows_the_copy_capture_chunk_and_cut_over_sql_and_changes_nothing(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 100);
        EngineKit.WriteSwapScript(target);

        var plan = await EngineKit.Migrator(target).PlanAsync();

        var sql = string.Join("\n", plan.Scripts.Single().Steps.SelectMany(s => s.Sql));
        var steps = string.Join("\n", plan.Scripts.Single().Steps.Select(s => s.Description));
        Assert.Contains("_items_swap_new", sql, StringComparison.Ordinal);
        Assert.Contains("flag", sql, StringComparison.Ordinal);
        Assert.Contains("cut-over of items", steps, StringComparison.Ordinal);
        Assert.Contains("copy rows in key-range chunks", steps, StringComparison.Ordinal);
        if (engine != DatabaseEngine.Sqlite)
            Assert.Contains("TRIGGER", sql, StringComparison.Ordinal);
        Assert.Contains(engine == DatabaseEngine.MySql ? "RENAME TABLE" : engine == DatabaseEngine.PostgreSql ? "RENAME TO" : "RENAME TO", sql, StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.False(await target.Database().TableExistsAsync(await target.OpenAsync(), "swap_history", default), "plan must not even create the history table");
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.QueryAsync("SELECT flag FROM items"));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task Keep_old_keeps_the_original_for_a_rollback_window_until_cleanup_drops_it(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 300);
        EngineKit.WriteSwapScript(target);

        await EngineKit.Migrator(target, o => o.Swap.KeepOldTables = true).UpAsync();

        Assert.Equal(300, (await EngineKit.ReadItemsAsync(target, "_items_swap_old", withFlag: false)).Count);
        Assert.Equal(300, (await EngineKit.ReadItemsAsync(target)).Count);
        var status = await EngineKit.Migrator(target).StatusAsync();
        Assert.Contains(status.Leftovers, l => l.Name == "_items_swap_old" && l.Detail.Contains("rollback", StringComparison.Ordinal));

        var kept = await EngineKit.Migrator(target).CleanupAsync();
        Assert.Contains(kept.Kept, k => k.Leftover.Name == "_items_swap_old");
        Assert.Equal(300, (await EngineKit.ReadItemsAsync(target, "_items_swap_old", withFlag: false)).Count);

        var dropped = await EngineKit.Migrator(target).CleanupAsync(new CleanupOptions { DropOldTables = true });
        Assert.Contains(dropped.Removed, r => r.Name == "_items_swap_old");
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Equal(300, (await EngineKit.ReadItemsAsync(target)).Count);
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task A_time_budget_spent_inside_a_csharp_scripts_swap_stops_cleanly_and_up_resumes(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 3000);
        EngineKit.WriteSwapScript(target);

        var run = await SwapCli.RunAsync(target, "up", "--json", "--time-budget", "1ms", "--chunk-size", "100", "--max-chunk-size", "100", "--chunk-time", "10ms");

        Assert.True(run.ExitCode == 0, run.ToString());
        using (var doc = System.Text.Json.JsonDocument.Parse(run.Out))
            Assert.Equal("budget-spent", doc.RootElement.GetProperty("stopped").GetString());
        Assert.NotEqual("failed", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        Assert.Contains("interrupted; 'swap up' resumes it at step 1 (swap of items)", (await SwapCli.RunAsync(target, "status")).Out, StringComparison.Ordinal);

        var rest = await SwapCli.RunAsync(target, "up");

        Assert.True(rest.ExitCode == 0, rest.ToString());
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        Assert.All(await EngineKit.ReadItemsAsync(target), r => Assert.Equal(EngineKit.Flag(r.K), r.Flag));
        Assert.Equal(3000, (await EngineKit.ReadItemsAsync(target)).Count);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task A_time_budget_spent_inside_the_first_swap_does_not_say_the_database_is_up_to_date(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 3000);
        EngineKit.WriteSwapScript(target);

        var run = await SwapCli.RunAsync(target, "up", "--time-budget", "1ms", "--chunk-size", "100", "--max-chunk-size", "100", "--chunk-time", "10ms");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["Stopped: the time budget is spent; 1 script(s) still pending. Run 'swap up' again to continue."], run.OutLines);
        Assert.NotEqual("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        Assert.Contains("table _items_swap_new", await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task Zero_cut_over_retries_means_one_attempt_and_the_swap_completes(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 300);
        EngineKit.WriteSwapScript(target);

        var run = await SwapCli.RunAsync(target, "up", "--cut-over-retries", "0", "--sqlite-online", "always");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.All(await EngineKit.ReadItemsAsync(target), r => Assert.Equal(EngineKit.Flag(r.K), r.Flag));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_table_kept_by_keep_old_is_named_before_a_later_swap_of_the_same_table_writes_anything(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 300);
        EngineKit.WriteSwapScript(target);
        var phases = new List<SwapPhase>();
        await EngineKit.Migrator(target, o =>
        {
            o.Swap.KeepOldTables = true;
            o.Swap.Progress = new SyncProgress(p => phases.Add(p.Phase));
        }).UpAsync();
        // The old table is kept, so no drop is reported (the command printed "dropped the old table").
        // (On SQLite these 300 rows swap in one transaction, with no capture to report removed.)
        Assert.Contains(SwapPhase.CuttingOver, phases);
        Assert.Equal(engine != DatabaseEngine.Sqlite, phases.Contains(SwapPhase.RemovingCapture));
        Assert.DoesNotContain(SwapPhase.DroppingOld, phases);
        EngineKit.WriteSwapScript(target, """
            public sealed class WidenItems : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var items = await db.UseTableForAlterAsync("items");
                    items.AddColumn(DbColumn.String("note", 20).SetDefault("n"));
                    await db.DoneUsingTablesAsync("items");
                }
            }
            """, "20260102000000_WidenItems.cs");

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o => o.AlwaysCopy = true).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains("'_items_swap_old' is in the way of swapping 'items'", e.Message, StringComparison.Ordinal);
        Assert.Contains("swap cleanup --drop-old", e.Message, StringComparison.Ordinal);
        // Refused before anything was written: no history row.
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "WidenItems"));
        Assert.Equal(["_items_swap_old"], (await EngineKit.LeftoversAsync(target)).Select(l => l.Split(' ')[^1]).Distinct());
        Assert.Equal(300, (await EngineKit.ReadItemsAsync(target, "_items_swap_old", withFlag: false)).Count);

        await EngineKit.Migrator(target).CleanupAsync(new CleanupOptions { DropOldTables = true });
        var result = await EngineKit.Migrator(target, o => o.AlwaysCopy = true).UpAsync();

        Assert.Equal(["WidenItems"], result.Applied.Select(a => a.Id));
        Assert.Equal(300, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM items WHERE note = 'n'"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_script_that_swaps_a_table_twice_is_told_to_move_the_later_change_and_goes_on_once_it_has(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 300);
        const string first = """
                    var items = await db.UseTableForAlterAsync("items");
                    items.AddColumn(DbColumn.String("a", 10).SetDefault("x"));
                    await db.DoneUsingTablesAsync("items");
            """;
        EngineKit.WriteSwapScript(target, "public sealed class Twice : Migration { public override async Task UpAsync(MigrationContext db) {\n" + first + """
                    var again = await db.UseTableForAlterAsync("items");
                    again.AddColumn(DbColumn.String("b", 10).SetDefault("y"));
                    await db.DoneUsingTablesAsync("items");
                }
            }
            """, "20260101000000_Twice.cs");

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o => o.AlwaysCopy = true).UpAsync());

        Assert.Equal(SwapErrorKind.InvalidMigration, e.Kind);
        Assert.Equal("Twice: 'items' was already swapped in by this script, and a script swaps a table once. Move this later change of 'items' into a new migration script; 'swap up' then goes on after the steps this script has finished.", e.Message);

        EngineKit.WriteSwapScript(target, "public sealed class Twice : Migration { public override async Task UpAsync(MigrationContext db) {\n" + first + "\n} }", "20260101000000_Twice.cs");
        EngineKit.WriteSwapScript(target, """
            public sealed class Then : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var items = await db.UseTableForAlterAsync("items");
                    items.AddColumn(DbColumn.String("b", 10).SetDefault("y"));
                    await db.DoneUsingTablesAsync("items");
                }
            }
            """, "20260102000000_Then.cs");
        var result = await EngineKit.Migrator(target, o => o.AlwaysCopy = true).UpAsync();

        Assert.Equal(["Twice", "Then"], result.Applied.Select(a => a.Id));
        Assert.Equal(300, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM items WHERE a = 'x' AND b = 'y'"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }
}

/// <summary>Reports on the engine's own thread, so a test can act at an exact phase.</summary>
internal sealed class SyncProgress(Action<SwapProgress> action) : IProgress<SwapProgress>
{
    public void Report(SwapProgress value) => action(value);
}
