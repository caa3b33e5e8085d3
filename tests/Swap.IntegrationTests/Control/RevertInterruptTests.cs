using System.Globalization;
using Swap.IntegrationTests.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Control;

/// <summary>
/// A <c>swap revert</c> stopped by SIGTERM (or Ctrl+C) says what its next command is: the revert
/// again (or finish), never 'swap up', which finds nothing to apply while the window is open. It
/// said "Interrupted between scripts; nothing was left half-done. 'swap up' continues with what is
/// pending." whatever the revert had done.
/// </summary>
public class RevertInterruptTests
{
    private static async Task TermAsync(ChildSwap child)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-TERM", child.Id.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    [Theory]
    [MemberData(nameof(OperatorKit.Online), MemberType = typeof(OperatorKit))]
    public async Task A_revert_stopped_before_it_swapped_back_names_revert_and_finish_and_the_window_stays_open(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await OperatorKit.ArrangeAsync(target);
        var up = await ChildSwap.RunAsync(target, "up", "--revert-window", "1h");
        Assert.True(up.ExitCode == 0, up.Output);
        await target.ExecuteAsync("INSERT INTO items (id, k, v, n, flag) VALUES (9001, 2, 'after', 0, 'even')");

        // Held by a pause before it applies anything, then stopped.
        await OperatorKit.Control(target).PauseAsync();
        using var runner = ChildSwap.Start(target, "revert", "MigrateItems");
        await OperatorKit.WaitForAsync(target, runner, s => s.Paused && s.Phase == "Reverting", "paused in the revert");
        await TermAsync(runner);

        Assert.Equal(130, await runner.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains(
            "Interrupted the revert of MigrateItems (items) before anything was swapped back: the window stays open and the old tables in sync; 'swap revert MigrateItems' starts it again, 'swap finish MigrateItems' keeps the change.",
            runner.Output(),
            StringComparison.Ordinal);
        Assert.DoesNotContain("'swap up' continues", runner.Output(), StringComparison.Ordinal);
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        Assert.Equal("open", Assert.Single((await EngineKit.Migrator(target).StatusAsync()).RevertWindows).Stage);

        await OperatorKit.Control(target).ResumeAsync();
        var revert = await ChildSwap.RunAsync(target, "revert", "MigrateItems");
        Assert.True(revert.ExitCode == 0, revert.Output);
        Assert.DoesNotContain("flag", await OperatorKit.ColumnsAsync(target));
        Assert.Equal(OperatorKit.Rows + 1, (await EngineKit.ReadItemsAsync(target, withFlag: false)).Count);
    }

    [Theory]
    [MemberData(nameof(OperatorKit.Online), MemberType = typeof(OperatorKit))]
    public async Task A_revert_stopped_after_it_swapped_back_names_revert_to_complete_it(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await OperatorKit.ArrangeAsync(target);
        var up = await ChildSwap.RunAsync(target, "up", "--revert-window", "1h");
        Assert.True(up.ExitCode == 0, up.Output);
        var resume = Path.Combine(target.Folder, "resume");
        using var runner = ChildSwap.Start(
            target,
            new Dictionary<string, string> { ["SWAP_FAULT_PAUSE_AT"] = "revert:swapped-back", ["SWAP_FAULT_RESUME_FILE"] = resume },
            "revert", "MigrateItems");
        for (var i = 0; i < 1200 && !runner.Output().Contains("fault injection: paused at", StringComparison.Ordinal) && !runner.HasExited; i++)
            await Task.Delay(50);
        Assert.Contains("fault injection: paused at revert:swapped-back", runner.Output(), StringComparison.Ordinal);
        await TermAsync(runner);
        await File.WriteAllTextAsync(resume, "");

        Assert.Equal(130, await runner.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("Interrupted the revert of MigrateItems (items) after stage 'swapped-back': 'swap revert MigrateItems' completes it.", runner.Output(), StringComparison.Ordinal);
        Assert.DoesNotContain("'swap up' continues", runner.Output(), StringComparison.Ordinal);

        var revert = await ChildSwap.RunAsync(target, "revert", "MigrateItems");
        Assert.True(revert.ExitCode == 0, revert.Output);
        Assert.DoesNotContain("flag", await OperatorKit.ColumnsAsync(target));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
    }
}
