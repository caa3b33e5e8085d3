using Swap.Scenarios.Faults;
using Xunit.Abstractions;

namespace Swap.IntegrationTests.Faults;

/// <summary>
/// The server kills Swap's connection (MariaDB <c>KILL</c>, PostgreSQL <c>pg_terminate_backend</c>)
/// while a chunk waits inside its transaction, or while the cut-over waits for its lock. Both are
/// transient: the same <c>swap up</c> reconnects, resumes from the journal and finishes, and the
/// table equals the oracle.
/// </summary>
public class ServerSideKillTests(ITestOutputHelper output)
{
    /// <summary>
    /// On MariaDB the row that holds a chunk can only be locked once capture is installed (an open
    /// transaction on the table blocks the triggers' creation); enough rows keep the copy from
    /// passing it first.
    /// </summary>
    internal const int Rows = 20_000;

    [Theory]
    [InlineData(DatabaseEngine.PostgreSql)]
    [InlineData(DatabaseEngine.MySql)]
    public async Task A_connection_killed_inside_a_chunk_is_retried_by_the_same_run(DatabaseEngine engine)
    {
        var result = await Trials.RunAsync(new TrialSpec(engine, FaultKind.KillSessionMidChunk, Seed: 301, Rows: Rows), output);

        Assert.StartsWith("mid-chunk", result.Where, StringComparison.Ordinal);
        Assert.Equal([0], result.Runs.Select(r => r.ExitCode));
        Assert.Equal("itself", result.FinishedBy);
        Assert.Contains("Transient error on FaultSwapItems, retry 1", result.Runs[0].Output, StringComparison.Ordinal);
        Assert.Contains("resuming the swap of items after phase 'capture-installed'", result.Runs[0].Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseEngine.PostgreSql)]
    [InlineData(DatabaseEngine.MySql)]
    public async Task A_connection_killed_while_the_cut_over_waits_is_retried_by_the_same_run(DatabaseEngine engine)
    {
        var result = await Trials.RunAsync(new TrialSpec(engine, FaultKind.KillSessionMidCutOver, Seed: 302, Rows: Rows), output);

        Assert.Equal("mid-cut-over (waiting for the table lock)", result.Where);
        Assert.Equal([0], result.Runs.Select(r => r.ExitCode));
        // PostgreSQL loses the swap's own connection (the cut-over's transaction) and resumes after
        // verification; MySQL loses the renamer's session, and the cut-over attempt is retried.
        Assert.Contains(
            engine == DatabaseEngine.PostgreSql ? "resuming the swap of items after phase 'verified'" : "Cut-over of items could not take its locks; attempt",
            result.Runs[0].Output,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseEngine.PostgreSql)]
    [InlineData(DatabaseEngine.MySql)]
    public async Task A_run_whose_lock_session_was_killed_stops_and_lets_a_second_runner_finish(DatabaseEngine engine)
    {
        var result = await Trials.RunAsync(new TrialSpec(engine, FaultKind.KillLockSessionMidCopy, Seed: 303, Rows: Rows), output);

        // Two runners never swap at once: the first stops at its next check, the second resumes and finishes.
        Assert.Equal([3, 0], result.Runs.Select(r => r.ExitCode));
        Assert.Contains("error: The run lock on ", result.Runs[0].Output, StringComparison.Ordinal);
        Assert.Contains("was lost (its connection ended) while FaultSwapItems was swapping items, and another runner may have taken it. Stopped before the next step; run 'swap up' again to resume.", result.Runs[0].Output, StringComparison.Ordinal);
        Assert.Contains("applied\tFaultSwapItems\t", result.Runs[1].Output, StringComparison.Ordinal);
    }
}
