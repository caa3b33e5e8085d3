using Swap.Cli;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// Invariant 2: a swap killed with SIGKILL at any step boundary or inside a chunk resumes with
/// <c>swap up</c> and ends exactly like an uninterrupted run, with nothing left behind.
/// </summary>
public class ResumeTests
{
    private const int Rows = 3000;

    public static TheoryData<DatabaseEngine, string> KillPoints()
    {
        var data = new TheoryData<DatabaseEngine, string>();
        foreach (var engine in new[] { DatabaseEngine.PostgreSql, DatabaseEngine.MySql })
        {
            foreach (var point in new[] { "step:1", "phase:copy-created", "phase:capture-installed", "chunk-mid:3", "chunk:3", "phase:copied", "phase:indexed", "phase:verified", "cutover", "phase:swapped", "phase:capture-removed" })
                data.Add(engine, point);
        }
        data.Add(DatabaseEngine.Sqlite, "chunk-mid:3");
        data.Add(DatabaseEngine.Sqlite, "cutover");
        return data;
    }

    [Theory]
    [MemberData(nameof(KillPoints))]
    public async Task A_swap_killed_at_a_step_resumes_and_ends_like_an_uninterrupted_run(DatabaseEngine engine, string point)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, Rows);
        var folder = EngineKit.WriteSwapScript(target);

        var (exit, output) = await CliProcess.RunAsync(
            target.Folder,
            new Dictionary<string, string> { ["SWAP_FAULT_KILL_AT"] = point },
            TimeSpan.FromMinutes(2),
            "up", "--db", target.UrlText, "--migrations", folder, "--chunk-time", "10ms", "--chunk-size", "100", "--max-chunk-size", "200", "-q");
        Assert.True(exit == 137, $"the process should have been killed at {point} (exit 137), but exited {exit}: {output}");
        Assert.Contains($"SIGKILL at {point}", output, StringComparison.Ordinal);
        Assert.NotEqual("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));

        // The application's table is whole whichever side of the cut-over the kill fell on.
        var between = await EngineKit.ReadItemsAsync(target, withFlag: false);
        Assert.Equal(Rows, between.Count);

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["up", "--db", target.UrlText, "--migrations", folder], stdout, stderr, _ => null, target.Folder, TimeProvider.System, default);
        Assert.True(code == 0, $"resume failed ({code}): {stdout}{stderr}");
        Assert.Contains("applied\tMigrateItems", stdout.ToString(), StringComparison.Ordinal);

        var rows = await EngineKit.ReadItemsAsync(target);
        Assert.Equal(EngineKit.InitialItems(Rows).Values.Select(r => r with { Flag = EngineKit.Flag(r.K) }), rows);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        Assert.Equal(1, Convert.ToInt32(await target.ScalarAsync("SELECT COUNT(*) FROM swap_history"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task An_interrupted_copy_continues_from_its_last_committed_chunk(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, Rows);
        var folder = EngineKit.WriteSwapScript(target);
        var (exit, _) = await CliProcess.RunAsync(target.Folder, new Dictionary<string, string> { ["SWAP_FAULT_KILL_AT"] = "chunk:4" }, TimeSpan.FromMinutes(2),
            "up", "--db", target.UrlText, "--migrations", folder, "--chunk-time", "10ms", "--chunk-size", "100", "--max-chunk-size", "200", "-q");
        Assert.Equal(137, exit);
        var copied = Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM _items_swap_new"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(copied > 0 && copied < Rows, $"after 4 chunks the copy should be partly filled, it has {copied} rows");

        // Resume: the journal's watermark is where copying continues, so the first chunk copied now starts after it.
        var chunkStarts = new List<long>();
        var migrator = EngineKit.Migrator(target, o => o.Swap.Progress = new SyncProgress(p =>
        {
            if (p.Phase == Swap.SwapPhase.Copying)
                chunkStarts.Add(p.RowsCopied);
        }));
        var result = await migrator.UpAsync();

        Assert.True(chunkStarts[0] >= copied, $"the resumed copy started from {chunkStarts[0]} rows, before the {copied} already copied");
        Assert.Equal(Rows, (await EngineKit.ReadItemsAsync(target)).Count);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task Status_says_where_an_interrupted_swap_resumes_and_cleanup_script_removes_what_it_left_without_touching_the_table(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, Rows);
        var folder = EngineKit.WriteSwapScript(target);
        var (exit, _) = await CliProcess.RunAsync(target.Folder, new Dictionary<string, string> { ["SWAP_FAULT_KILL_AT"] = "phase:copied" }, TimeSpan.FromMinutes(2),
            "up", "--db", target.UrlText, "--migrations", folder, "-q");
        Assert.Equal(137, exit);

        var status = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["status", "--db", target.UrlText, "--migrations", folder], status, new StringWriter(), _ => null, target.Folder, TimeProvider.System, default));
        // The copy belongs to the interrupted script, which resumes with it: status names where, not a leftover.
        Assert.DoesNotContain("_items_swap_new", status.ToString(), StringComparison.Ordinal);
        Assert.Contains($"interrupted; 'swap up' resumes it at step 1 (swap of items) after phase copied, 3,000 rows copied", status.ToString(), StringComparison.Ordinal);

        var plain = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["cleanup", "--db", target.UrlText, "--migrations", folder], plain, new StringWriter(), _ => null, target.Folder, TimeProvider.System, default));
        Assert.Contains("kept", plain.ToString(), StringComparison.Ordinal);
        Assert.Contains("pass --script MigrateItems", plain.ToString(), StringComparison.Ordinal);

        var abandon = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["cleanup", "--script", "MigrateItems", "--db", target.UrlText, "--migrations", folder], abandon, new StringWriter(), _ => null, target.Folder, TimeProvider.System, default));
        Assert.Contains("removed\ttable\t_items_swap_new", abandon.ToString(), StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Equal(Rows, (await EngineKit.ReadItemsAsync(target, withFlag: false)).Count);
        // Its journal is gone with the copy, so up starts it over: status says that, not 'resumes it after 0 journaled step(s)'.
        var after = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["status", "--db", target.UrlText, "--migrations", folder], after, new StringWriter(), _ => null, target.Folder, TimeProvider.System, default));
        Assert.Contains("interrupted; nothing of it is left done, and 'swap up' runs it again from the start", after.ToString(), StringComparison.Ordinal);

        await EngineKit.Migrator(target).UpAsync();
        Assert.All(await EngineKit.ReadItemsAsync(target), r => Assert.Equal(EngineKit.Flag(r.K), r.Flag));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task A_down_stopped_inside_its_swap_is_shown_by_status_kept_by_cleanup_and_resumed_by_down(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, Rows);
        var folder = EngineKit.WriteSwapScript(target, """
            public sealed class MigrateItems : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var items = await db.UseTableForAlterAsync("items");
                    items.AddColumn(DbColumn.String("flag", 10).FillWith("CASE WHEN k % 2 = 0 THEN 'even' ELSE 'odd' END"), after: "k");
                    await db.DoneUsingTablesAsync("items");
                }

                public override async Task DownAsync(MigrationContext db)
                {
                    var items = await db.UseTableForAlterAsync("items");
                    items.DropColumn("flag");
                    await db.DoneUsingTablesAsync("items");
                }
            }
            """);
        await EngineKit.Migrator(target, o => o.AlwaysCopy = true).UpAsync();
        var (exit, _) = await CliProcess.RunAsync(target.Folder, new Dictionary<string, string> { ["SWAP_FAULT_KILL_AT"] = "phase:copied" }, TimeSpan.FromMinutes(2),
            "down", "--always-copy", "--db", target.UrlText, "--migrations", folder, "-q");
        Assert.Equal(137, exit);
        await target.ExecuteAsync("UPDATE items SET v = 'during-down' WHERE id = 5");

        var status = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["status", "--db", target.UrlText, "--migrations", folder], status, new StringWriter(), _ => null, target.Folder, TimeProvider.System, default));
        Assert.Contains("a 'swap down' of it stopped part-way, at step 1 (swap of items) after phase copied, 3,000 rows copied; 'swap down' resumes it", status.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("_items_swap_new", status.ToString(), StringComparison.Ordinal);

        // Plain cleanup keeps what the down resumes with: the copy, the capture on the live table and the journal.
        var plain = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["cleanup", "--db", target.UrlText, "--migrations", folder], plain, new StringWriter(), _ => null, target.Folder, TimeProvider.System, default));
        Assert.Contains("a 'swap down' of MigrateItems stopped part-way", plain.ToString(), StringComparison.Ordinal);
        Assert.Contains("_items_swap_new", string.Join(" ", await EngineKit.LeftoversAsync(target)));

        var down = await EngineKit.Migrator(target, o => o.AlwaysCopy = true).DownAsync();

        Assert.Equal(["MigrateItems"], down.Reverted.Select(r => r.Id));
        var rows = await EngineKit.ReadItemsAsync(target, withFlag: false);
        Assert.Equal(Rows, rows.Count);
        Assert.Equal("during-down", rows.Single(r => r.Id == 5).V);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.QueryAsync("SELECT flag FROM items"));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }
}
