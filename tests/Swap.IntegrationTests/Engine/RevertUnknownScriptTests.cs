using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// 'swap revert' and 'swap finish' with an id that is no script (a typo) say the id is unknown and
/// which scripts have an open window (exit 2, nothing changed); they used to answer as for a known
/// script without a window. A known script without a window keeps its own message.
/// </summary>
public class RevertUnknownScriptTests
{
    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task An_unknown_id_is_named_unknown_with_the_open_windows_and_changes_nothing(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 200);
        EngineKit.WriteSwapScript(target);

        var none = await SwapCli.RunAsync(target, "finish", "Nope");
        Assert.True(none.ExitCode == 2, none.ToString());
        Assert.Equal(
            "error: 'Nope' is not a known script id: neither the migrations nor the history have it. No script has an open revert window; 'swap status' lists the scripts and their windows. Nothing was changed.",
            none.Err.Trim());

        var up = await SwapCli.RunAsync(target, "up", "--revert-window", "1h");
        Assert.True(up.ExitCode == 0, up.ToString());
        target.WriteFile("migrations/20260201000000_add_z.sql", "ALTER TABLE items ADD z INT NULL;\n");
        var later = await SwapCli.RunAsync(target, "up");
        Assert.True(later.ExitCode == 0, later.ToString());

        var typo = await SwapCli.RunAsync(target, "revert", "MigrateItem");
        Assert.True(typo.ExitCode == 2, typo.ToString());
        Assert.Equal(
            "error: 'MigrateItem' is not a known script id: neither the migrations nor the history have it. Scripts with an open revert window: MigrateItems; 'swap status' lists the scripts and their windows. Nothing was changed.",
            typo.Err.Trim());

        var letterCase = await SwapCli.RunAsync(target, "finish", "migrateitems");
        Assert.True(letterCase.ExitCode == 2, letterCase.ToString());
        Assert.Contains("error: 'migrateitems' is not a known script id: neither the migrations nor the history have it (did you mean 'MigrateItems'? ids are compared with their letter case). Scripts with an open revert window: MigrateItems;", letterCase.Err, StringComparison.Ordinal);

        var known = await SwapCli.RunAsync(target, "revert", "20260201000000_add_z");
        Assert.True(known.ExitCode == 2, known.ToString());
        Assert.Contains("error: 20260201000000_add_z has no open revert window (open windows: MigrateItems).", known.Err, StringComparison.Ordinal);

        // Nothing changed: the window is open, the swap and the later change stay.
        var window = Assert.Single((await EngineKit.Migrator(target).StatusAsync()).RevertWindows);
        Assert.Equal("open", window.Stage);
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        Assert.True(await RevertKit.HasColumnAsync(target, "flag"));
        Assert.True(await RevertKit.HasColumnAsync(target, "k", "_items_swap_old"));
    }
}
