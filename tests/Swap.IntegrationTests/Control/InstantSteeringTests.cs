using Swap.IntegrationTests.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Control;

/// <summary>
/// An instant or in-place change takes the operator's commands once, before its statement runs:
/// a pause holds it (it shows in <c>status --live</c>), a resume lets it run, an abort stops it with
/// the table untouched and the script pending.
/// </summary>
public class InstantSteeringTests
{
    private const string Script = """
        -- swap:online
        ALTER TABLE items ADD COLUMN note VARCHAR(20);
        """;

    /// <summary>items, the script, a pause, and <c>swap up</c> started and waited for until it holds before the change.</summary>
    private static async Task<(ChildSwap Runner, Swap.LiveSwapStatus Paused)> StartPausedAsync(TestTarget target)
    {
        await EngineKit.CreateItemsAsync(target, OperatorKit.Rows);
        target.Sql("20261204000000_add_note", Script);
        await OperatorKit.Control(target).PauseAsync();
        var runner = ChildSwap.Start(target, "up");
        return (runner, await OperatorKit.WaitForAsync(target, runner, s => s.Paused, "paused before the change"));
    }

    [Theory]
    [MemberData(nameof(OperatorKit.Online), MemberType = typeof(OperatorKit))]
    public async Task A_pause_holds_an_instant_change_before_it_starts_and_a_resume_lets_it_run(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var (runner, paused) = await StartPausedAsync(target);
        using var _ = runner;
        Assert.Equal("instant change", paused.Operation);
        Assert.Equal(["items"], paused.Tables);
        var (code, live) = await ChildSwap.RunAsync(target, "status", "--live");
        Assert.True(code == 0, live);
        Assert.Contains("20261204000000_add_note: instant change of items running", live, StringComparison.Ordinal);
        Assert.DoesNotContain("note", await OperatorKit.ColumnsAsync(target));

        var resume = await ChildSwap.RunAsync(target, "resume");
        Assert.True(resume.ExitCode == 0, resume.Output);
        Assert.Contains("resume: resumed", resume.Output, StringComparison.Ordinal);
        Assert.Equal(0, await runner.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("note", await OperatorKit.ColumnsAsync(target));
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "20261204000000_add_note"));
        Assert.Empty((await OperatorKit.Control(target).ReportAsync(10)).Swaps);
    }

    [Theory]
    [MemberData(nameof(OperatorKit.Online), MemberType = typeof(OperatorKit))]
    public async Task An_abort_of_a_held_instant_change_leaves_the_table_untouched_and_the_script_pending(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var (runner, _) = await StartPausedAsync(target);
        using var __ = runner;

        var abort = await ChildSwap.RunAsync(target, "abort");
        Assert.True(abort.ExitCode == 0, abort.Output);
        Assert.Equal(10, await runner.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("20261204000000_add_note: the instant change of items was aborted by ", runner.Output(), StringComparison.Ordinal);
        Assert.Contains("the table is untouched and the script is pending again", runner.Output(), StringComparison.Ordinal);

        Assert.DoesNotContain("note", await OperatorKit.ColumnsAsync(target));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "20261204000000_add_note"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        await OperatorKit.Control(target).ResumeAsync();
        var up = await ChildSwap.RunAsync(target, "up");
        Assert.True(up.ExitCode == 0, up.Output);
        Assert.Contains("note", await OperatorKit.ColumnsAsync(target));
    }
}
