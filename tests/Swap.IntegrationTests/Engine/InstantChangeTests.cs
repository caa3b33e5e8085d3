using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// The cheapest safe path: changes the engine makes in its catalog run instantly (no copy: the
/// table's storage stays the same), index-only changes run in place, a script can insist on a
/// copy, and an instant change waits for its lock only a bounded time.
/// </summary>
public class InstantChangeTests
{
    private static string Script(string body) => $$"""
        using Swap.Engine;

        public sealed class MigrateItems : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var items = await db.UseTableForAlterAsync("items");
                {{body}}
                await db.DoneUsingTablesAsync("items");
            }
        }
        """;

    /// <summary>What identifies the table's storage: a copy-and-swap changes it, an instant change does not.</summary>
    private static async Task<string> StorageAsync(TestTarget target) => Convert.ToString(await target.ScalarAsync(target.Engine switch
    {
        DatabaseEngine.PostgreSql => "SELECT relfilenode FROM pg_class WHERE oid = 'items'::regclass",
        DatabaseEngine.MySql => "SELECT TABLE_ID FROM information_schema.INNODB_SYS_TABLES WHERE NAME = CONCAT(DATABASE(), '/items')",
        _ => "SELECT rootpage FROM sqlite_master WHERE name = 'items'",
    }), System.Globalization.CultureInfo.InvariantCulture)!;

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task Adding_a_nullable_column_and_renaming_one_is_instant_and_copies_nothing(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 500);
        var before = await EngineKit.ReadItemsAsync(target, withFlag: false);
        var storage = await StorageAsync(target);
        target.CSharp("20261201000000_MigrateItems", Script("items.AddColumn(DbColumn.String(\"note\", 20)); items.RenameColumn(\"v\", \"label\");"));

        var plan = await SwapCli.RunAsync(target, "plan");
        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("-- items: instant: ", plan.Out, StringComparison.Ordinal);
        Assert.Contains("items: instant: ", run.Err, StringComparison.Ordinal);
        Assert.Equal(storage, await StorageAsync(target));
        var after = await target.QueryAsync("SELECT id, k, label, n, note FROM items ORDER BY id");
        Assert.Equal(before.Select(r => (r.Id, r.V, (string?)null)), after.Select(r => (r.Int64("id")!.Value, r.String("label"), r.String("note"))));
        Assert.Equal(["MigrateItems"], await target.HistoryIdsAsync());
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_statement_that_meets_its_result_already_there_on_a_first_run_fails_and_is_not_counted_as_done(DatabaseEngine engine)
    {
        // Only a resumed run may take "duplicate column" for its own earlier work: here the column was
        // added by someone else (with another type) after the script read the table.
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 50);
        target.CSharp("20261201000000_MigrateItems", Script("""
            await db.ExecuteAsync("ALTER TABLE items ADD COLUMN note INT");
            items.AddColumn(DbColumn.String("note", 20));
            """));

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.Contains("note", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("counting it as done", run.Err, StringComparison.Ordinal);
        Assert.Empty(await target.HistoryIdsAsync());
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_script_that_asks_for_a_copy_gets_one(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 500);
        var storage = await StorageAsync(target);
        target.CSharp("20261201000000_MigrateItems", Script("items.AddColumn(DbColumn.String(\"note\", 20)); items.ForceCopy();"));

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("copy-and-swap, because items: the script asks for a copy (ForceCopy)", run.Err, StringComparison.Ordinal);
        Assert.Contains("\tmethod: copy-and-swap of items: items: the script asks for a copy (ForceCopy)", (await SwapCli.RunAsync(target, "status")).Out, StringComparison.Ordinal);
        Assert.NotEqual(storage, await StorageAsync(target));
        Assert.Equal(500, await target.CountAsync("items", "note IS NULL"));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task An_index_alone_is_built_in_place_without_a_copy(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 500);
        var storage = await StorageAsync(target);
        target.CSharp("20261201000000_MigrateItems", Script("items.AddIndex(DbIndex.Create(\"k\").Named(\"idx_items_k\"));"));

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("items: in place: ", run.Err, StringComparison.Ordinal);
        Assert.Equal(storage, await StorageAsync(target));
        var indexes = engine == DatabaseEngine.PostgreSql
            ? await target.ColumnAsync("SELECT indexname FROM pg_indexes WHERE tablename = 'items' AND indexname = 'idx_items_k'")
            : await target.ColumnAsync("SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND INDEX_NAME = 'idx_items_k'");
        Assert.Equal(["idx_items_k"], indexes);
    }

    [Fact]
    public async Task An_instant_change_waits_for_a_long_transaction_only_a_bounded_time_then_finishes_later()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 100);
        target.CSharp("20261201000000_MigrateItems", Script("items.AddColumn(DbColumn.String(\"note\", 20));"));
        var database = target.Database();
        var application = await database.OpenConnectionAsync(default);
        await using (application)
        {
            var tx = await application.BeginTransactionAsync();
            await Swap.Data.DbCommands.ScalarAsync(application, "SELECT count(*) FROM items", null, tx, default);
            var pid = await Swap.Data.DbCommands.ScalarAsync(application, "SELECT pg_backend_pid()", null, tx, default);

            var blocked = await SwapCli.RunAsync(target, "up", "--cut-over-lock-wait", "200ms", "--cut-over-retries", "2");

            Assert.Equal(9, blocked.ExitCode);
            Assert.Contains("the instant change of items could not get its lock within 200 ms in 3 attempt(s)", blocked.Err, StringComparison.Ordinal);
            // The session in the way is named, with what ends it.
            Assert.Contains($"Holding it: pid {pid} (", blocked.Err, StringComparison.Ordinal);
            Assert.Contains($"last statement: SELECT pg_backend_pid() (end it with SELECT pg_terminate_backend({pid}))", blocked.Err, StringComparison.Ordinal);
            await tx.RollbackAsync();
        }
        Assert.DoesNotContain("note", await target.ColumnAsync("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'items'"));

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(100, await target.CountAsync("items", "note IS NULL"));
        Assert.Equal(["MigrateItems"], await target.HistoryIdsAsync());
    }

    [Fact]
    public async Task An_index_build_that_gives_up_on_its_lock_is_retried_from_a_clean_slate_and_ends_valid()
    {
        // CREATE INDEX CONCURRENTLY that gives up waiting leaves an invalid index of its name behind:
        // the next attempt drops it first (it failed with 'already exists' before).
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 100);
        target.CSharp("20261201000000_MigrateItems", Script("items.AddIndex(DbIndex.Create(\"k\").Named(\"ix_items_k\"));"));
        var application = await target.Database().OpenConnectionAsync(default);
        await using (application)
        {
            var tx = await application.BeginTransactionAsync();
            await Swap.Data.DbCommands.ScalarAsync(application, "SELECT count(*) FROM items", null, tx, default);
            var ends = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1.5));
                await tx.RollbackAsync();
            });

            var run = await SwapCli.RunAsync(target, "up", "--cut-over-lock-wait", "200ms", "--cut-over-retries", "10");
            await ends;

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("waited too long for its lock; retry 1", run.Err, StringComparison.Ordinal);
        }
        Assert.Equal(true, await target.ScalarAsync("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_items_k'::regclass"));
        Assert.Equal(["MigrateItems"], await target.HistoryIdsAsync());
    }
}

/// <summary>
/// The server refuses an instant change after another table of the same script has already been

/// changed instantly (MySQL/MariaDB commit each ALTER on its own): MariaDB adds no column
/// instantly to a ROW_FORMAT=COMPRESSED table.
/// </summary>
public class InstantRefusedAfterCommitTests
{
    private const string TwoTables = """
        using Swap.Engine;

        public sealed class MigrateItems : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var items = await db.UseTableForAlterAsync("items");
                var packed = await db.UseTableForAlterAsync("packed");
                items.AddColumn(DbColumn.String("note", 20));
                packed.AddColumn(DbColumn.String("note", 20));
                await db.DoneUsingTablesAsync("items", "packed");
            }
        }
        """;

    private static async Task<object?> StorageAsync(TestTarget target, string table) =>
        await target.ScalarAsync($"SELECT TABLE_ID FROM information_schema.INNODB_SYS_TABLES WHERE NAME = CONCAT(DATABASE(), '/{table}')");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_table_the_server_refuses_after_another_was_changed_is_copied_alone_and_both_end_as_asked(bool killedBetween)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, 300);
        await EngineKit.CreateItemsAsync(target, 200, "packed");
        await target.ExecuteAsync("ALTER TABLE packed ROW_FORMAT=COMPRESSED");
        var items = await EngineKit.ReadItemsAsync(target, withFlag: false);
        var packed = await EngineKit.ReadItemsAsync(target, "packed", withFlag: false);
        var itemsStorage = await StorageAsync(target, "items");
        var packedStorage = await StorageAsync(target, "packed");
        target.CSharp("20261201000000_MigrateItems", TwoTables);

        if (killedBetween)
        {
            // Killed after items changed, before packed was tried: the resumed run finds items' change in effect.
            var (exit, output) = await CliProcess.RunAsync(target.Folder, new Dictionary<string, string> { ["SWAP_FAULT_KILL_AT"] = "instant-statement:1" }, TimeSpan.FromMinutes(2), "up", "--db", target.UrlText);
            Assert.True(exit == 137, $"the process should have been killed after the first statement (exit 137), but exited {exit}: {output}");
            Assert.Equal(300, await target.CountAsync("items", "note IS NULL"));
        }

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("packed: the server cannot make this change in place", run.Err, StringComparison.Ordinal);
        Assert.Equal(itemsStorage, await StorageAsync(target, "items"));
        Assert.NotEqual(packedStorage, await StorageAsync(target, "packed"));
        Assert.Contains("\tmethod: items: instant: ", (await SwapCli.RunAsync(target, "status")).Out, StringComparison.Ordinal);
        Assert.Contains("; copy-and-swap of packed: the server refused the instant change of packed", (await SwapCli.RunAsync(target, "status")).Out, StringComparison.Ordinal);
        foreach (var (table, rows) in new[] { ("items", items), ("packed", packed) })
        {
            var after = await target.QueryAsync($"SELECT id, k, v, n, note FROM {table} ORDER BY id");
            Assert.Equal(rows.Select(r => (r.Id, r.K, r.V, r.N, (string?)null)), after.Select(r => (r.Int64("id")!.Value, r.Int64("k")!.Value, r.String("v"), r.Int64("n")!.Value, r.String("note"))));
        }
        Assert.Equal(["MigrateItems"], await target.HistoryIdsAsync());
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>Killed in the refused table's copy, after the instant change of the other was recorded as done: the resumed run rebuilds the same model from the recorded schemas and finishes.</summary>
    [Fact]
    public async Task A_refused_table_copied_alone_resumes_after_a_kill_in_its_copy()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, 300);
        await EngineKit.CreateItemsAsync(target, 200, "packed");
        await target.ExecuteAsync("ALTER TABLE packed ROW_FORMAT=COMPRESSED");
        var packed = await EngineKit.ReadItemsAsync(target, "packed", withFlag: false);
        target.CSharp("20261201000000_MigrateItems", TwoTables);

        var (exit, output) = await CliProcess.RunAsync(target.Folder, new Dictionary<string, string> { ["SWAP_FAULT_KILL_AT"] = "phase:capture-installed" }, TimeSpan.FromMinutes(2), "up", "--db", target.UrlText);
        Assert.True(exit == 137, $"expected the kill in packed's copy (137), got {exit}: {output}");

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        var after = await target.QueryAsync("SELECT id, k, v, n, note FROM packed ORDER BY id");
        Assert.Equal(packed.Select(r => (r.Id, r.K, r.V, r.N, (string?)null)), after.Select(r => (r.Int64("id")!.Value, r.Int64("k")!.Value, r.String("v"), r.Int64("n")!.Value, r.String("note"))));
        Assert.Equal(300, await target.CountAsync("items", "note IS NULL"));
        Assert.Equal(["MigrateItems"], await target.HistoryIdsAsync());
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }
}

/// <summary>
/// A script whose first change was instant and whose second is a copy, killed in the copy: the
/// resumed run replays the instant step from the journal (the table already changed, so the
/// script must see the schema recorded before it) and finishes the copy.
/// </summary>
public class InstantThenCopyResumeTests
{
    private const string InstantThenCopy = """
        using Swap.Engine;

        public sealed class MigrateItems : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var items = await db.UseTableForAlterAsync("items");
                items.AddColumn(DbColumn.String("note", 20));
                await db.DoneUsingTablesAsync("items");
                var other = await db.UseTableForAlterAsync("other");
                other.ForceCopy();
                other.AddColumn(DbColumn.String("note", 20));
                await db.DoneUsingTablesAsync("other");
            }
        }
        """;

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task An_instant_step_done_then_a_copy_killed_resumes_and_finishes(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 300);
        await EngineKit.CreateItemsAsync(target, 12_000, "other");
        var other = await EngineKit.ReadItemsAsync(target, "other", withFlag: false);
        target.CSharp("20261201000000_MigrateItems", InstantThenCopy);

        var (exit, output) = await CliProcess.RunAsync(target.Folder, new Dictionary<string, string> { ["SWAP_FAULT_KILL_AT"] = "phase:capture-installed" }, TimeSpan.FromMinutes(2), "up", "--db", target.UrlText);
        Assert.True(exit == 137, $"expected the kill in other's copy (137), got {exit}: {output}");

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(300, await target.CountAsync("items", "note IS NULL"));
        var after = await target.QueryAsync("SELECT id, k, v, n, note FROM other ORDER BY id");
        Assert.Equal(other.Select(r => (r.Id, r.K, r.V, r.N, (string?)null)), after.Select(r => (r.Int64("id")!.Value, r.Int64("k")!.Value, r.String("v"), r.Int64("n")!.Value, r.String("note"))));
        Assert.Equal(["MigrateItems"], await target.HistoryIdsAsync());
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }
}
