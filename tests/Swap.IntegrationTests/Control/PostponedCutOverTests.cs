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
}
