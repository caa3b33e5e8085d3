using System.Data.Common;
using System.Globalization;
using Swap.Data;
using Swap.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// The online swap on SQLite: from <see cref="OnlineSwapOptions.OneTransactionBelowRows"/> rows
/// the application keeps writing during the copy (in WAL and in rollback-journal mode), every
/// write lands, and foreign keys (both ways), triggers, views and index names come through the
/// cut-over as SQLite's table-rebuild procedure requires.
/// </summary>
public class SqliteOnlineSwapTests
{
    [Theory]
    [InlineData("wal")]
    [InlineData("delete")]
    public async Task Writes_continue_during_the_swap_and_every_one_lands(string journalMode)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        Assert.Equal(journalMode, await target.ScalarAsync($"PRAGMA journal_mode = {journalMode}"));
        // Above the default threshold (10,000 rows): online without being asked.
        const int rows = 12_000;
        await EngineKit.CreateItemsAsync(target, rows);
        EngineKit.WriteSwapScript(target);
        var phases = new PhaseLog();
        var migrator = EngineKit.Migrator(target, o => o.Swap.Progress = phases);
        var writer = new OracleWriter(target, EngineKit.InitialItems(rows), seed: 21) { Watching = () => phases.Current == SwapPhase.Copying };

        // In WAL mode a long read transaction is in nobody's way: it keeps its snapshot (the old
        // table) through the whole swap, the cut-over included.
        await using var reader = (Microsoft.Data.Sqlite.SqliteConnection)await target.OpenAsync();
        await using var snapshot = journalMode == "wal" ? reader.BeginTransaction(deferred: true) : null;
        if (snapshot is not null)
            Assert.Equal((long)rows, await reader.ScalarAsync("SELECT count(*) FROM items", null, snapshot, default));

        using var stop = new CancellationTokenSource();
        var writing = Task.Run(() => writer.RunAsync(stop.Token));
        while (writer.Acknowledged < 30)
            await Task.Delay(10);
        var result = await migrator.UpAsync();
        if (snapshot is not null)
        {
            Assert.Equal((long)rows, await reader.ScalarAsync("SELECT count(*) FROM items", null, snapshot, default));
            Assert.Equal(0L, await reader.ScalarAsync("SELECT count(*) FROM pragma_table_info('items') WHERE name = 'flag'", null, snapshot, default));
            await snapshot.RollbackAsync();
        }
        var atSwap = writer.Acknowledged;
        while (writer.Acknowledged < atSwap + 30)
            await Task.Delay(10);
        stop.Cancel();
        await writing;

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        Assert.Empty(writer.Errors);
        Assert.Contains(SwapPhase.InstallingCapture, phases.Seen);
        Assert.True(writer.DuringWatch > 0, "the writer's writes must have committed between the chunks, or the copy held the write lock throughout");
        OracleWriter.AssertMatches(writer.Oracle, writer.Inserted, await EngineKit.ReadItemsAsync(target));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Equal(journalMode, await target.ScalarAsync("PRAGMA journal_mode"));
        Assert.Equal("ok", await target.ScalarAsync("PRAGMA integrity_check"));
        // The index built with the copy under a temporary name carries the name the script gave it.
        Assert.Equal(["ix_items_flag"], (await target.QueryAsync("SELECT name FROM pragma_index_list('items') ORDER BY name")).Select(r => r.String("name")));
        Assert.Equal(["flag"], (await target.QueryAsync("SELECT name FROM pragma_index_info('ix_items_flag')")).Select(r => r.String("name")));
    }

    [Fact]
    public async Task Indexes_after_the_copy_keep_every_write_and_a_resumed_run_builds_them_as_the_swap_started()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        Assert.Equal("wal", await target.ScalarAsync("PRAGMA journal_mode = wal"));
        const int rows = 12_000;
        await EngineKit.CreateItemsAsync(target, rows);
        var folder = EngineKit.WriteSwapScript(target);

        // Killed in the copy: the copy has its rows so far and none of its secondary indexes.
        var (exit, output) = await CliProcess.RunAsync(target.Folder, new Dictionary<string, string> { ["SWAP_FAULT_KILL_AT"] = "chunk:3" }, TimeSpan.FromMinutes(2),
            "up", "--db", target.UrlText, "--migrations", folder, "--sqlite-indexes-after-copy", "--chunk-size", "1000", "--max-chunk-size", "1000", "-q");
        Assert.True(exit == 137, output);
        var copied = Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM _items_swap_new"), CultureInfo.InvariantCulture);
        Assert.True(copied is > 0 and < rows, $"after 3 chunks the copy should be partly filled, it has {copied} rows");
        Assert.Equal(0L, await target.ScalarAsync("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = '_items_swap_new'"));

        // Resumed without the option, under writes: the swap keeps the choice it started with and builds the index after the copy.
        var phases = new PhaseLog();
        var migrator = EngineKit.Migrator(target, o => o.Swap.Progress = phases);
        var writer = new OracleWriter(target, EngineKit.InitialItems(rows), seed: 33) { Watching = () => phases.Current is SwapPhase.Copying or SwapPhase.BuildingIndexes };
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(() => writer.RunAsync(stop.Token));
        while (writer.Acknowledged < 30)
            await Task.Delay(10);
        var result = await migrator.UpAsync();
        var atSwap = writer.Acknowledged;
        while (writer.Acknowledged < atSwap + 30)
            await Task.Delay(10);
        stop.Cancel();
        await writing;

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        Assert.Empty(writer.Errors);
        Assert.True(writer.DuringWatch > 0, "the writer's writes must have committed during the copy and the build");
        Assert.Equal([SwapPhase.Copying, SwapPhase.BuildingIndexes], phases.Seen.Where(p => p is SwapPhase.Copying or SwapPhase.BuildingIndexes).Distinct());
        OracleWriter.AssertMatches(writer.Oracle, writer.Inserted, await EngineKit.ReadItemsAsync(target));
        Assert.Equal(["ix_items_flag"], (await target.QueryAsync("SELECT name FROM pragma_index_list('items') ORDER BY name")).Select(r => r.String("name")));
        Assert.Equal(["flag"], (await target.QueryAsync("SELECT name FROM pragma_index_info('ix_items_flag')")).Select(r => r.String("name")));
        Assert.Equal("ok", await target.ScalarAsync("PRAGMA integrity_check"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>
    /// By default the copy starts bare. A table nobody writes stays bare through the copy and is
    /// indexed after it; at the application's first write seen during the copy, the indexes are
    /// built on the rows copied so far and kept current from then on.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task By_default_the_copy_is_bare_until_the_application_writes(bool write)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        const int rows = 3_000;
        await EngineKit.CreateItemsAsync(target, rows);
        EngineKit.WriteSwapScript(target);
        var logs = new ListLoggerFactory();
        var copyIndexes = new List<(long Copied, long Indexes)>();
        var wrote = false;
        var migrator = EngineKit.Migrator(target, o =>
        {
            o.LoggerFactory = logs;
            o.Swap.OneTransactionBelowRows = 0;
            o.Swap.Progress = new SyncProgress(p =>
            {
                if (p.Phase != SwapPhase.Copying || p.RowsCopied == 0)
                    return;
                // On the engine's thread, between chunks: how many indexes the copy has so far.
                var n = Convert.ToInt64(target.ScalarAsync("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = '_items_swap_new'").GetAwaiter().GetResult(), CultureInfo.InvariantCulture);
                copyIndexes.Add((p.RowsCopied, n));
                if (write && !wrote && p.RowsCopied >= 1_000)
                {
                    wrote = true;
                    target.ExecuteAsync("UPDATE items SET n = 5 WHERE id IN (1, 2900)").GetAwaiter().GetResult();
                }
            });
        });

        await migrator.UpAsync();

        Assert.True(copyIndexes.Count > 4, "the copy must have taken several chunks, or this test proves nothing");
        var built = logs.Lines.Where(l => l.Contains("building the copy's indexes now, on the rows copied so far", StringComparison.Ordinal)).ToList();
        if (write)
        {
            Assert.Single(built);
            // Bare before the write; the write is applied after the chunk that reported it, and the index built then.
            Assert.All(copyIndexes.Where(c => c.Copied <= 1_000), c => Assert.Equal(0L, c.Indexes));
            Assert.Equal(1L, copyIndexes[^1].Indexes);
        }
        else
        {
            Assert.Empty(built);
            Assert.All(copyIndexes, c => Assert.Equal(0L, c.Indexes));
        }
        await AssertSwappedAsync(target, rows, write);
    }

    /// <summary>
    /// In WAL mode the indexes built after the copy are built on a second connection while the
    /// swap's connection verifies (readers keep their snapshot while a build holds the write
    /// lock); in rollback-journal mode one after the other, since a reader would keep the build
    /// from committing. A write during the copy is still in the change log while verification
    /// runs beside the build, and is applied after it. Either way the table ends equal to the oracle.
    /// </summary>
    [Theory]
    [InlineData("wal", false)]
    [InlineData("wal", true)]
    [InlineData("delete", false)]
    [InlineData("delete", true)]
    public async Task Indexes_after_the_copy_are_built_beside_verification_in_wal_mode_only(string journalMode, bool write)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        const int rows = 3_000;
        await EngineKit.CreateItemsAsync(target, rows);
        Assert.Equal(journalMode, await target.ScalarAsync($"PRAGMA journal_mode = {journalMode}"));
        EngineKit.WriteSwapScript(target);
        var logs = new ListLoggerFactory();
        var wrote = false;
        var migrator = EngineKit.Migrator(target, o =>
        {
            o.LoggerFactory = logs;
            o.Swap.OneTransactionBelowRows = 0;
            o.Swap.SqliteIndexesAfterCopy = true;
            o.Swap.Progress = new SyncProgress(p =>
            {
                if (!write || wrote || p.Phase != SwapPhase.Copying || p.RowsCopied < 1_000)
                    return;
                wrote = true;
                target.ExecuteAsync("UPDATE items SET n = 5 WHERE id IN (1, 2900)").GetAwaiter().GetResult();
            });
        });

        await migrator.UpAsync();

        Assert.Equal(write, wrote);
        var beside = logs.Lines.Count(l => l.Contains("on a second connection while this one verifies", StringComparison.Ordinal));
        Assert.Equal(journalMode == "wal" ? 1 : 0, beside);
        await AssertSwappedAsync(target, rows, write);
    }

    /// <summary>The items table swapped: every row as the oracle has it (ids 1 and 2900 with n = 5 after the test's write), the flag filled, its index under its own name, the file sound, nothing of Swap's left.</summary>
    private static async Task AssertSwappedAsync(TestTarget target, int rows, bool wrote)
    {
        var expected = EngineKit.InitialItems(rows);
        if (wrote)
        {
            expected[1] = expected[1] with { N = 5 };
            expected[2900] = expected[2900] with { N = 5 };
        }
        Assert.Equal(expected.Values.OrderBy(r => r.Id).Select(r => r with { Flag = EngineKit.Flag(r.K) }), await EngineKit.ReadItemsAsync(target));
        Assert.Equal(["ix_items_flag"], (await target.QueryAsync("SELECT name FROM pragma_index_list('items') ORDER BY name")).Select(r => r.String("name")));
        Assert.Equal("ok", await target.ScalarAsync("PRAGMA integrity_check"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>
    /// The plan shows the deferred build and no index made with the capture: by default at the
    /// application's first write or after the copy; with the option always after the copy, the
    /// application's writes waiting for each build.
    /// </summary>
    [Theory]
    [InlineData(null, "build 1 secondary index(es) at the application's first write during the copy (on the rows copied so far, then kept current), or, if nobody writes, on the filled copy")]
    [InlineData(true, "build 1 secondary index(es) on the filled copy, each in one write transaction (the application's writes wait for each)")]
    public async Task The_plan_says_when_the_indexes_are_built(bool? afterCopy, string description)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await EngineKit.CreateItemsAsync(target, 12_000);
        EngineKit.WriteSwapScript(target);
        var plan = await EngineKit.Migrator(target, o => o.Swap.SqliteIndexesAfterCopy = afterCopy).PlanAsync();
        var steps = plan.Scripts.SelectMany(s => s.Steps).ToList();
        var build = Assert.Single(steps, s => s.Description.StartsWith(description, StringComparison.Ordinal));
        Assert.Equal(["CREATE INDEX \"_ix_items_flag_swap_new\" ON \"_items_swap_new\" (\"flag\")"], build.Sql);
        // Capture creates no index on the copy: it is built later.
        Assert.DoesNotContain(steps.Single(s => s.Description.StartsWith("capture writes", StringComparison.Ordinal)).Sql, q => q.Contains("ON \"_items_swap_new\"", StringComparison.Ordinal));
    }

    private const string KindsItemsNotes = """
        CREATE TABLE kinds (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
        INSERT INTO kinds (id, name) VALUES (1, 'tool'), (2, 'part');
        CREATE TABLE items (id INTEGER PRIMARY KEY, kind_id INTEGER NOT NULL REFERENCES kinds (id), v TEXT, n INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX items_kind ON items (kind_id);
        CREATE TABLE notes (id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE, body TEXT);
        CREATE INDEX notes_item ON notes (item_id);
        CREATE TABLE audit (item_id INTEGER, what TEXT);
        CREATE TRIGGER items_audit AFTER UPDATE OF v ON items BEGIN INSERT INTO audit (item_id, what) VALUES (NEW.id, 'v:' || NEW.v); END;
        CREATE VIEW item_view AS SELECT i.id, i.v, k.name AS kind FROM items i JOIN kinds k ON k.id = i.kind_id;
        WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 3000) INSERT INTO items (id, kind_id, v) SELECT i, 1 + i % 2, 'v' || i FROM s;
        WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100) INSERT INTO notes (item_id, body) SELECT i, 'note ' || i FROM s;
        """;

    private const string AddFlagAndIndex = """
        using Swap.Engine;

        public sealed class MigrateItems : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var items = await db.UseTableForAlterAsync("items");
                items.AddColumn(DbColumn.String("flag", 10).FillWith("'k' || kind_id"));
                items.AddIndex(DbIndex.Create("v"));
                await db.DoneUsingTablesAsync("items");
            }
        }
        """;

    private static async Task<DbConnection> ApplicationAsync(TestTarget target)
    {
        var c = await target.OpenAsync();
        await c.ExecuteAsync("PRAGMA foreign_keys = ON", default);
        return c;
    }

    [Fact]
    public async Task Foreign_keys_both_ways_triggers_views_and_index_names_survive_the_online_cut_over()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await target.ExecuteAsync(KindsItemsNotes);
        EngineKit.WriteSwapScript(target, AddFlagAndIndex);
        await using var app = await ApplicationAsync(target);
        var wrote = false;
        // Between two chunks the application (foreign keys on) writes through its own connection.
        var migrator = EngineKit.Migrator(target, o =>
        {
            o.Swap.OneTransactionBelowRows = 0;
            o.Swap.Progress = new SyncProgress(p =>
            {
                if (p.Phase != SwapPhase.Copying || p.RowsCopied == 0 || wrote)
                    return;
                wrote = true;
                app.ExecuteAsync("UPDATE items SET v = 'during' WHERE id = 5", default).GetAwaiter().GetResult();
                app.ExecuteAsync("INSERT INTO notes (item_id, body) VALUES (6, 'during')", default).GetAwaiter().GetResult();
                app.ExecuteAsync("DELETE FROM items WHERE id = 7", default).GetAwaiter().GetResult();
            });
        });

        await migrator.UpAsync();

        Assert.True(wrote, "the application must have written during the copy");
        Assert.Equal("during", await target.ScalarAsync("SELECT v FROM items WHERE id = 5"));
        Assert.Null(await target.ScalarAsync("SELECT id FROM items WHERE id = 7"));
        Assert.Equal(2999L, await target.ScalarAsync("SELECT count(*) FROM items"));
        Assert.Equal(0L, await target.ScalarAsync("SELECT count(*) FROM items WHERE flag IS NOT 'k' || kind_id"));
        // The child's key binds to the new table by name: a missing parent is refused, a delete cascades.
        await Assert.ThrowsAnyAsync<DbException>(() => app.ExecuteAsync("INSERT INTO notes (item_id, body) VALUES (999999, 'orphan')", default));
        await app.ExecuteAsync("DELETE FROM items WHERE id = 8", default);
        Assert.Equal(0L, await target.ScalarAsync("SELECT count(*) FROM notes WHERE item_id = 8"));
        Assert.Equal(2L, await target.ScalarAsync("SELECT count(*) FROM notes WHERE item_id = 6"));
        // The new table's own key to its parent holds.
        await Assert.ThrowsAnyAsync<DbException>(() => app.ExecuteAsync("INSERT INTO items (id, kind_id, v) VALUES (900000, 99, 'x')", default));
        // The user's trigger is back on the new table (and fired during the copy on the original).
        await app.ExecuteAsync("UPDATE items SET v = 'after' WHERE id = 9", default);
        Assert.Equal(["5 v:during", "9 v:after"], (await target.QueryAsync("SELECT item_id || ' ' || what AS a FROM audit ORDER BY rowid")).Select(r => r.String("a")));
        Assert.Equal(["items_audit"], (await target.QueryAsync("SELECT name FROM sqlite_master WHERE type = 'trigger'")).Select(r => r.String("name")));
        // The view reads the new table.
        Assert.Equal("during", await target.ScalarAsync("SELECT v FROM item_view WHERE id = 5"));
        Assert.Equal(2998L, await target.ScalarAsync("SELECT count(*) FROM item_view"));
        Assert.Equal(["items_kind", "ix_items_v"], (await target.QueryAsync("SELECT name FROM pragma_index_list('items') ORDER BY name")).Select(r => r.String("name")));
        Assert.Empty(await target.QueryAsync("PRAGMA foreign_key_check"));
        Assert.Equal("ok", await target.ScalarAsync("PRAGMA integrity_check"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task A_view_created_during_the_swap_that_the_new_table_would_break_stops_the_cut_over_with_the_original_and_capture_in_place()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await EngineKit.CreateItemsAsync(target, 500);
        EngineKit.WriteSwapScript(target, """
            using Swap.Engine;

            public sealed class MigrateItems : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var items = await db.UseTableForAlterAsync("items");
                    items.DropColumn("n");
                    await db.DoneUsingTablesAsync("items");
                }
            }
            """);

        // Views present when the copy is made are checked then (ViewRefusalTests); this one comes after that check.
        var created = false;
        var failure = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o =>
        {
            o.Swap.OneTransactionBelowRows = 0;
            o.AlwaysCopy = true;
            o.OnProgress = p =>
            {
                if (p.Phase == SwapPhase.Copying && !created)
                {
                    created = true;
                    target.ExecuteAsync("CREATE VIEW item_n AS SELECT id, n FROM items").GetAwaiter().GetResult();
                }
            };
        }).UpAsync());

        Assert.Contains("The view 'item_n' does not work with the new 'items'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("the original is in place", failure.Message, StringComparison.Ordinal);
        Assert.Equal(500L, await target.ScalarAsync("SELECT count(n) FROM item_n"));
        Assert.Equal(3L, await target.ScalarAsync("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'items'"));
        // Capture still keeps the copy current for the next attempt.
        await target.ExecuteAsync("UPDATE items SET v = 'later' WHERE id = 3");
        Assert.Equal(1L, await target.ScalarAsync("SELECT count(*) FROM _items_swap_log WHERE k0 = 3"));
        Assert.Equal("ok", await target.ScalarAsync("PRAGMA integrity_check"));
    }

    [Fact]
    public async Task A_without_rowid_table_with_a_composite_text_key_swaps_online_and_keeps_every_write()
    {
        // WITHOUT ROWID: no rowid to walk or to log; the copy, capture and verification go by the
        // declared (text, integer) key, and the new table is WITHOUT ROWID again.
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        Assert.Equal("wal", await target.ScalarAsync("PRAGMA journal_mode = wal"));
        await target.ExecuteAsync("CREATE TABLE kv (region TEXT NOT NULL, seq INTEGER NOT NULL, v TEXT NOT NULL, PRIMARY KEY (region, seq)) WITHOUT ROWID");
        var oracle = new Dictionary<(string, long), string>();
        await using (var c = await target.OpenAsync())
        {
            await using var tx = await c.BeginTransactionAsync();
            for (var i = 0; i < 12_000; i++)
            {
                var key = (Region(i), (long)i);
                oracle[key] = "v" + i;
                await DbCommands.ExecuteAsync(c, "INSERT INTO kv (region, seq, v) VALUES (@r, @s, @v)", new { r = key.Item1, s = key.Item2, v = oracle[key] }, tx, default);
            }
            await tx.CommitAsync();
        }
        target.WriteFile(Path.Combine("migrations", "20260101000000_widen.sql"), "-- swap:online\nALTER TABLE kv MODIFY v VARCHAR(80) NOT NULL DEFAULT '';\n");
        var phases = new PhaseLog();
        var migrator = EngineKit.Migrator(target, o => o.Swap.Progress = phases);

        // The application updates, deletes and inserts (also re-inserting deleted keys) while the
        // swap runs; the oracle holds what each committed write left.
        using var stop = new CancellationTokenSource();
        var duringCopy = 0;
        var writing = Task.Run(async () =>
        {
            await using var app = await target.OpenAsync();
            var random = new Random(5);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var i = random.Next(14_000);
                var key = (Region(i), (long)i);
                var copying = phases.Current == SwapPhase.Copying;
                if (n % 3 == 2)
                {
                    await DbCommands.ExecuteAsync(app, "DELETE FROM kv WHERE region = @r AND seq = @s", new { r = key.Item1, s = key.Item2 }, null, default);
                    oracle.Remove(key);
                }
                else
                {
                    await DbCommands.ExecuteAsync(app, "INSERT INTO kv (region, seq, v) VALUES (@r, @s, @v) ON CONFLICT (region, seq) DO UPDATE SET v = excluded.v", new { r = key.Item1, s = key.Item2, v = "w" + n }, null, default);
                    oracle[key] = "w" + n;
                }
                if (copying)
                    duringCopy++;
                await Task.Delay(1);
            }
        });
        var result = await migrator.UpAsync();
        stop.Cancel();
        await writing;

        Assert.Equal(["20260101000000_widen"], result.Applied.Select(a => a.Id));
        Assert.Contains(SwapPhase.InstallingCapture, phases.Seen);
        Assert.True(duringCopy > 0, "no write committed during the copy");
        var rows = await target.QueryAsync("SELECT region, seq, v FROM kv");
        Assert.Equal(
            oracle.Select(e => $"{e.Key.Item1}/{e.Key.Item2}={e.Value}").Order(StringComparer.Ordinal),
            rows.Select(r => $"{r.String("region")}/{r.Int64("seq")}={r.String("v")}").Order(StringComparer.Ordinal));
        var sql = (string)(await target.ScalarAsync("SELECT sql FROM sqlite_master WHERE name = 'kv'"))!;
        Assert.EndsWith("WITHOUT ROWID", sql, StringComparison.Ordinal);
        Assert.Contains("\"v\" VARCHAR(80) NOT NULL", sql, StringComparison.Ordinal);
        Assert.Equal("ok", await target.ScalarAsync("PRAGMA integrity_check"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));

        static string Region(int i) => (i % 5) switch { 0 => "eu-north", 1 => "eu-west", 2 => "Ünïcode", 3 => "ap", _ => "us-east" };
    }

    [Theory]
    [InlineData(100, 10_000L, false)]
    [InlineData(100, 0L, true)]
    [InlineData(10_000, 10_000L, true)]
    public async Task The_plan_says_one_transaction_below_the_threshold_and_online_from_it(int rows, long threshold, bool online)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await EngineKit.CreateItemsAsync(target, rows);
        EngineKit.WriteSwapScript(target);

        var plan = await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = threshold).PlanAsync();

        var sql = string.Join("\n", plan.Scripts.Single().Steps.SelectMany(s => s.Sql));
        Assert.Equal(online, sql.Contains("CREATE TRIGGER \"_items_swap_ins\" AFTER INSERT ON \"items\"", StringComparison.Ordinal));
        Assert.Equal(online, sql.Contains("BEGIN IMMEDIATE", StringComparison.Ordinal));
        Assert.Equal(!online, sql.Contains("DROP TABLE \"items\"", StringComparison.Ordinal));
        Assert.Contains("ON CONFLICT DO NOTHING", sql, StringComparison.Ordinal);
        // The copy step says how its chunks commit: each on its own online, in the script's one transaction below the threshold.
        var copy = plan.Scripts.Single().Steps.Single(s => s.Description.StartsWith("copy rows in key-range chunks", StringComparison.Ordinal)).Description;
        Assert.EndsWith(online ? "; each chunk commits with its watermark" : "; all in the script's one transaction (no capture: the application's writes wait for it)", copy, StringComparison.Ordinal);
        Assert.Equal(rows, Convert.ToInt32(await target.ScalarAsync("SELECT count(*) FROM items"), CultureInfo.InvariantCulture));
        Assert.Empty(await EngineKit.LeftoversAsync(target));

        // And up reports capture installed and removed only when it installed one.
        var phases = new PhaseLog();
        await EngineKit.Migrator(target, o => { o.Swap.OneTransactionBelowRows = threshold; o.Swap.Progress = phases; }).UpAsync();
        Assert.Equal(online, phases.Seen.Contains(SwapPhase.InstallingCapture));
        Assert.Equal(online, phases.Seen.Contains(SwapPhase.RemovingCapture));
        Assert.Contains(SwapPhase.CuttingOver, phases.Seen);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }
}

/// <summary>The phases a swap went through, in order (each once per run of it), reported on the engine's own thread.</summary>
internal sealed class PhaseLog : IProgress<SwapProgress>
{
    public SwapPhase Current { get; private set; } = SwapPhase.Preflight;

    public List<SwapPhase> Seen { get; } = [];

    public void Report(SwapProgress value)
    {
        Current = value.Phase;
        if (Seen.Count == 0 || Seen[^1] != value.Phase)
            Seen.Add(value.Phase);
    }
}
