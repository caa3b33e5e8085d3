using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// A later change that renames a column the window keeps (a plain ALTER ... RENAME COLUMN, allowed
/// while the window is open): the revert is refused saying the column was renamed, and to what,
/// and how to go on. It used to say a later change had added the new name (or, where the old name
/// was taken, dropped the column). Renamed back, the revert goes through.
/// </summary>
public class RevertLaterRenameTests
{
    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task A_revert_after_a_later_change_renamed_a_kept_column_says_so_and_changes_nothing(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 300);
        EngineKit.WriteSwapScript(target);
        var up = await SwapCli.RunAsync(target, "up", "--revert-window", "1h");
        Assert.True(up.ExitCode == 0, up.ToString());
        target.WriteFile("migrations/20260201000000_rename_v.sql", "ALTER TABLE items RENAME COLUMN v TO label;\n");
        var rename = await SwapCli.RunAsync(target, "up");
        Assert.True(rename.ExitCode == 0, rename.ToString());
        await target.ExecuteAsync("UPDATE items SET label = 'during' WHERE id = 7");

        var revert = await SwapCli.RunAsync(target, "revert", "MigrateItems");

        Assert.True(revert.ExitCode == 7, revert.ToString());
        var (q, p) = engine == DatabaseEngine.MySql ? ("`", "`") : ("\"", "\"");
        Assert.Contains(
            "error: The revert of 'items' takes the values back from the columns by the names the swap left them, and cannot find 'v', which a later change renamed to 'label'. " +
            $"Nothing was changed; take that later change back first ('swap down'), or rename it back by hand (ALTER TABLE {q}items{p} RENAME COLUMN {q}label{p} TO {q}v{p}; the history still records that change as applied), then run 'swap revert' again, " +
            "or 'swap finish' closes the window and keeps the change.",
            revert.Err,
            StringComparison.Ordinal);
        Assert.DoesNotContain("added", revert.Err, StringComparison.Ordinal);
        Assert.True(await RevertKit.HasColumnAsync(target, "label"));
        Assert.True(await RevertKit.HasColumnAsync(target, "flag"));
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        Assert.Equal("open", Assert.Single((await EngineKit.Migrator(target).StatusAsync()).RevertWindows).Stage);

        // As the message says: renamed back, the revert takes the window's writes back.
        await target.ExecuteAsync($"ALTER TABLE {q}items{p} RENAME COLUMN {q}label{p} TO {q}v{p}");
        var again = await SwapCli.RunAsync(target, "revert", "MigrateItems");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.False(await RevertKit.HasColumnAsync(target, "flag"));
        var rows = await EngineKit.ReadItemsAsync(target, withFlag: false);
        Assert.Equal(300, rows.Count);
        Assert.Equal("during", rows.Single(r => r.Id == 7).V);
        Assert.All(rows.Where(r => r.Id != 7), r => Assert.Equal("v" + r.Id, r.V));
    }
}
