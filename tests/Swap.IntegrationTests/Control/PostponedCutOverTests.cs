using Swap.IntegrationTests.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Control;

/// <summary>
/// <c>up --postpone-cut-over</c>: the swap waits with the copy kept current; killed while waiting,
/// the next <c>up</c> (without the flag) waits again; <c>swap cut-over</c> from another process
/// lets it finish, equal to the oracle.
/// </summary>
public class PostponedCutOverTests
{
    [Theory]
    [MemberData(nameof(OperatorKit.Online), MemberType = typeof(OperatorKit))]
    public async Task A_postponed_cut_over_survives_a_kill_and_happens_on_swap_cut_over(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await OperatorKit.ArrangeAsync(target);
        var oracle = EngineKit.InitialItems(OperatorKit.Rows);

        using (var first = OperatorKit.StartUp(target, "--postpone-cut-over"))
        {
            var waiting = await OperatorKit.WaitForAsync(target, first, s => s.Phase == "WaitingForCutOver" && s.Postponed, "waiting for the cut-over");
            Assert.Equal(OperatorKit.Rows, waiting.Rows);
            // Writes while it waits reach the copy through capture and the applier.
            await target.ExecuteAsync("UPDATE items SET n = n + 5 WHERE id <= 10");
            await target.ExecuteAsync("DELETE FROM items WHERE id = 11");
            foreach (var id in Enumerable.Range(1, 10))
                oracle[id] = oracle[id] with { N = 5 };
            oracle.Remove(11);
            await OperatorKit.WaitForAsync(target, first, s => s.Backlog == 0, "applying the writes made while waiting");
            first.Kill();
        }
        Assert.DoesNotContain("flag", await OperatorKit.ColumnsAsync(target));

        // No flag this time: the journal says the cut-over is postponed, so it waits again.
        using var second = OperatorKit.StartUp(target);
        await OperatorKit.WaitForAsync(target, second, s => s.Phase == "WaitingForCutOver" && s.Postponed, "waiting again after the kill");
        Assert.DoesNotContain("flag", await OperatorKit.ColumnsAsync(target));
        await target.ExecuteAsync("UPDATE items SET v = 'late' WHERE id = 12");
        oracle[12] = oracle[12] with { V = "late" };

        var cutOver = await ChildSwap.RunAsync(target, "cut-over");
        Assert.True(cutOver.ExitCode == 0, cutOver.Output);
        Assert.Contains("cut-over: cut-over approved", cutOver.Output, StringComparison.Ordinal);
        Assert.Equal(0, await second.WaitAsync(TimeSpan.FromMinutes(2)));

        Assert.Contains("flag", await OperatorKit.ColumnsAsync(target));
        OracleWriter.AssertMatches(oracle, new HashSet<long>(), await EngineKit.ReadItemsAsync(target));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [MemberData(nameof(OperatorKit.Online), MemberType = typeof(OperatorKit))]
    public async Task A_cut_over_approved_while_paused_is_shown_by_status_live_until_resume(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await OperatorKit.ArrangeAsync(target);
        using var runner = OperatorKit.StartUp(target, "--postpone-cut-over");
        await OperatorKit.WaitForAsync(target, runner, s => s.Phase == "WaitingForCutOver" && s.Postponed, "waiting for the cut-over");
        var pause = await ChildSwap.RunAsync(target, "pause");
        Assert.True(pause.ExitCode == 0, pause.Output);
        await OperatorKit.WaitForAsync(target, runner, s => s.Paused, "paused while waiting");

        var cutOver = await ChildSwap.RunAsync(target, "cut-over");
        Assert.True(cutOver.ExitCode == 0, cutOver.Output);
        Assert.Contains("cut-over: cut-over approved; the swap is paused and cuts over after 'swap resume'", cutOver.Output, StringComparison.Ordinal);
        var approved = await OperatorKit.WaitForAsync(target, runner, s => s.CutOverApproved, "showing the approved cut-over");
        Assert.True(approved.Paused);
        Assert.False(approved.Postponed);
        Assert.DoesNotContain("flag", await OperatorKit.ColumnsAsync(target));

        var text = await ChildSwap.RunAsync(target, "status", "--live");
        Assert.True(text.ExitCode == 0, text.Output);
        Assert.Contains("\n  cut-over approved: it happens after 'swap resume'\n", text.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("cut-over postponed", text.Output, StringComparison.Ordinal);
        var swap = (await OperatorKit.StatusJsonAsync(target)).GetProperty("swaps")[0];
        Assert.True(swap.GetProperty("cutOverApproved").GetBoolean());
        Assert.False(swap.GetProperty("postponed").GetBoolean());
        Assert.True(swap.GetProperty("paused").GetBoolean());

        var resume = await ChildSwap.RunAsync(target, "resume");
        Assert.True(resume.ExitCode == 0, resume.Output);
        Assert.Equal(0, await runner.WaitAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains("flag", await OperatorKit.ColumnsAsync(target));
    }
}
