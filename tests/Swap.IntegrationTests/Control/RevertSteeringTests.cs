using Swap.IntegrationTests.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Control;

/// <summary>
/// A running <c>swap revert</c> takes the operator's commands like a swap does: it shows in
/// <c>status --live</c> as a revert, holds at a pause before it applies the reverse change log, and
/// an abort stops it with the swapped-in table in place and the window still open.
/// </summary>
public class RevertSteeringTests
{
    [Theory]
    [MemberData(nameof(OperatorKit.Online), MemberType = typeof(OperatorKit))]
    public async Task A_running_revert_shows_live_holds_at_a_pause_and_an_abort_keeps_its_window_open(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await OperatorKit.ArrangeAsync(target);
        var up = await ChildSwap.RunAsync(target, "up", "--revert-window", "1h");
        Assert.True(up.ExitCode == 0, up.Output);
        for (var id = 9001; id <= 9003; id++)
            await target.ExecuteAsync($"INSERT INTO items (id, k, v, n, flag) VALUES ({id}, 2, 'after', 0, 'even')");

        // Paused before the revert starts: it stops at its first boundary, before applying anything.
        await OperatorKit.Control(target).PauseAsync();
        using var runner = ChildSwap.Start(target, "revert", "MigrateItems");
        var paused = await OperatorKit.WaitForAsync(target, runner, s => s.Paused && s.Phase == "Reverting", "paused in the revert");
        Assert.Equal("revert", paused.Operation);
        Assert.Equal(["items"], paused.Tables);
        Assert.Equal(3L, paused.Backlog);
        var (code, live) = await ChildSwap.RunAsync(target, "status", "--live");
        Assert.True(code == 0, live);
        Assert.Contains("MigrateItems: revert of items running", live, StringComparison.Ordinal);
        Assert.Contains("phase: Reverting items", live, StringComparison.Ordinal);
        Assert.Contains("backlog: 3 change-log row(s)", live, StringComparison.Ordinal);
        Assert.Contains("PAUSED by", live, StringComparison.Ordinal);
        var json = (await OperatorKit.StatusJsonAsync(target)).GetProperty("swaps")[0];
        Assert.Equal("revert", json.GetProperty("operation").GetString());

        var abort = await ChildSwap.RunAsync(target, "abort");
        Assert.True(abort.ExitCode == 0, abort.Output);
        Assert.Contains("abort: aborting", abort.Output, StringComparison.Ordinal);
        Assert.Equal(10, await runner.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("MigrateItems: the revert of items was aborted by ", runner.Output(), StringComparison.Ordinal);
        Assert.Contains("its revert window stays open", runner.Output(), StringComparison.Ordinal);

        // Nothing went back: the swapped-in table is in place, the script applied, the window open,
        // and the old table is still kept in sync (a write after the abort joins the reverse log).
        Assert.Contains("flag", await OperatorKit.ColumnsAsync(target));
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        await target.ExecuteAsync("INSERT INTO items (id, k, v, n, flag) VALUES (9004, 3, 'after abort', 0, 'odd')");
        var window = Assert.Single((await EngineKit.Migrator(target).StatusAsync()).RevertWindows);
        Assert.Equal("open", window.Stage);
        Assert.Equal(4L, window.Backlog);

        // Resumed, the revert runs to the end: the old table comes back with every write.
        await OperatorKit.Control(target).ResumeAsync();
        var revert = await ChildSwap.RunAsync(target, "revert", "MigrateItems");
        Assert.True(revert.ExitCode == 0, revert.Output);
        Assert.DoesNotContain("flag", await OperatorKit.ColumnsAsync(target));
        var rows = await EngineKit.ReadItemsAsync(target, withFlag: false);
        Assert.Equal(OperatorKit.Rows + 4, rows.Count);
        Assert.Equal("after abort", rows.Single(r => r.Id == 9004).V);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        var report = await OperatorKit.Control(target).ReportAsync(10);
        Assert.Empty(report.Swaps);
        Assert.StartsWith("aborting", report.RecentCommands.Single(c => c.Command.Name() == "abort").Outcome, StringComparison.Ordinal);
    }
}
