using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// A later change that widens a column the window keeps (an instant VARCHAR widening, allowed while
/// the window is open) lets the application write values the old column cannot hold: the revert is
/// refused before anything is written (exit 7), as for a later added column. It used to apply the
/// reverse log until the first long value and stop with the server's error (MySQL 1406, exit 1).
/// </summary>
public class RevertLaterRetypeTests
{
    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task A_revert_after_a_later_change_widened_a_kept_column_is_refused_and_changes_nothing(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 300);
        EngineKit.WriteSwapScript(target);
        var up = await SwapCli.RunAsync(target, "up", "--revert-window", "1h");
        Assert.True(up.ExitCode == 0, up.ToString());
        await target.ExecuteAsync(engine == DatabaseEngine.MySql ? "ALTER TABLE items MODIFY v VARCHAR(200) NULL" : "ALTER TABLE items ALTER COLUMN v TYPE varchar(200)");
        var longValue = new string('z', 150);
        await target.ExecuteAsync($"UPDATE items SET v = '{longValue}' WHERE id = 7");

        var revert = await SwapCli.RunAsync(target, "revert", "MigrateItems");

        Assert.True(revert.ExitCode == 7, revert.ToString());
        var was = engine == DatabaseEngine.MySql ? "varchar(100)" : "character varying(100)";
        var now = engine == DatabaseEngine.MySql ? "varchar(200)" : "character varying(200)";
        Assert.Contains(
            $"error: The revert of 'items' cannot take back what a later change made of its column(s): 'v' is {now} now, and the old table's {was} may not hold what the application writes to it. " +
            "Nothing was changed; take that later change back first ('swap down'), or 'swap finish' closes the window and keeps the change.",
            revert.Err,
            StringComparison.Ordinal);
        Assert.True(await RevertKit.HasColumnAsync(target, "flag"));
        Assert.Equal(longValue, (await target.QueryAsync("SELECT v FROM items WHERE id = 7"))[0].String("v"));
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        var window = Assert.Single((await EngineKit.Migrator(target).StatusAsync()).RevertWindows);
        Assert.Equal("open", window.Stage);
        Assert.Equal(1L, window.Backlog);
    }
}
