using Swap.Cli.Output;

namespace Swap.Tests.Cli;

/// <summary>The lines a swap of two tables leaves when piped: one per table where the work is per table, one for the swap where it is not.</summary>
public class ProgressViewTests
{
    [Fact]
    public void A_swap_of_two_tables_names_both_for_capture_and_cut_over_and_ends_once()
    {
        var writer = new StringWriter();
        var view = new ProgressView(writer, terminal: false, new StepClock());
        string[] tables = ["kv", "ai"];
        void Report(string table, SwapPhase phase, long rows = 0) =>
            view.Report(new SwapProgress("M", tables, table, phase, rows, rows, 0, null, 0));

        Report("kv", SwapPhase.Preflight);
        Report("ai", SwapPhase.Preflight);
        Report("kv", SwapPhase.InstallingCapture);
        Report("kv", SwapPhase.Copying, 10);
        Report("ai", SwapPhase.Copying, 20);
        // PostgreSQL: each copy's key, then every secondary index beside verification.
        Report("kv", SwapPhase.BuildingIndexes, 10);
        Report("ai", SwapPhase.BuildingIndexes, 20);
        Report("kv", SwapPhase.BuildingIndexes, 10);
        Report("kv", SwapPhase.Verifying, 10);
        Report("ai", SwapPhase.Verifying, 20);
        Report("kv", SwapPhase.CuttingOver, 10);
        Report("ai", SwapPhase.CuttingOver, 20);
        Report("kv", SwapPhase.RemovingCapture);
        Report("ai", SwapPhase.RemovingCapture);
        Report("kv", SwapPhase.Done, 10);
        Report("ai", SwapPhase.Done, 20);

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"in \d+ ms$", "in T")).ToList();
        Assert.Equal(
            [
                "swap kv: checked in T",
                "swap ai: checked in T",
                "swap kv, ai: installed capture in T",
                "swap kv: copied 10 rows in T",
                "swap ai: copied 20 rows in T",
                "swap kv, ai: built indexes on the copy in T",
                "swap kv: verified 10 rows in T",
                "swap ai: verified 20 rows in T",
                "swap kv, ai: cut over in T",
                "swap kv: removed capture in T",
                "swap ai: removed capture in T",
                "swap kv, ai: done in T",
            ],
            lines);
    }

    [Fact]
    public void Two_swaps_in_a_row_each_end_with_their_own_line()
    {
        var writer = new StringWriter();
        var view = new ProgressView(writer, terminal: false, new StepClock());
        view.Report(new SwapProgress("A", ["items"], "items", SwapPhase.Done, 1, 1, 0, null, 0));
        view.Report(new SwapProgress("B", ["items"], "items", SwapPhase.Done, 1, 1, 0, null, 0));
        Assert.Equal(2, writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("swap items: done in ", StringComparison.Ordinal)));
    }

    /// <summary>A clock that moves 5 ms each time it is read.</summary>
    private sealed class StepClock : TimeProvider
    {
        private long ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => ticks += TimeSpan.TicksPerMillisecond * 5;
    }
}
