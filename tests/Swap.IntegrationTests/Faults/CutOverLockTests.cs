using Swap.Scenarios.Faults;
using Xunit.Abstractions;

namespace Swap.IntegrationTests.Faults;

/// <summary>
/// A long transaction of the application holds the table when the cut-over comes. The cut-over
/// waits a bounded time per attempt and retries; if the transaction ends meanwhile the run
/// finishes by itself, otherwise it stops with exit 9, the original in place and capture still
/// keeping the copy current, and the next <c>swap up</c> finishes.
/// </summary>
public class CutOverLockTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DatabaseEngine.PostgreSql)]
    [InlineData(DatabaseEngine.MySql)]
    public async Task A_lock_held_through_every_attempt_stops_with_exit_9_and_the_next_up_finishes(DatabaseEngine engine)
    {
        // SQLite's trial of this (a writer holding the database through every attempt) runs in the Faults target: it takes over a minute.
        var result = await Trials.RunAsync(new TrialSpec(engine, FaultKind.LockAtCutOverHeld, Seed: 401, Rows: ServerSideKillTests.Rows), output);

        Assert.Equal([9, 0], result.Runs.Select(r => r.ExitCode));
        Assert.Matches(
            "error: FaultSwapItems: the cut-over of items could not take its locks in 3 attempt\\(s\\) of 200 ms each: a long transaction or query holds the table\\. " +
            // The session in the way, with what ends it.
            (engine == DatabaseEngine.MySql ? "Sessions with an open transaction or a running statement, one of which holds it: thread \\d+ \\(.*KILL \\d+\\)" : "Holding it: pid \\d+ \\(.*pg_terminate_backend\\(\\d+\\)\\)") +
            ".*\\. The original is in place and capture keeps the copy current; run 'swap up' again when the table is quieter, or 'swap cleanup --script FaultSwapItems' to abandon the swap\\.",
            result.Runs[0].Output);
        Assert.Equal(2, result.Runs[0].Output.Split("could not take its locks; attempt").Length - 1);
    }

    [Theory]
    [InlineData(DatabaseEngine.PostgreSql, FaultKind.LockAtCutOverReleased)]
    [InlineData(DatabaseEngine.Sqlite, FaultKind.LockAtCutOverReleased)]
    [InlineData(DatabaseEngine.Sqlite, FaultKind.ReaderAtCutOver)]
    public async Task A_lock_that_ends_while_the_cut_over_retries_lets_the_same_run_finish(DatabaseEngine engine, FaultKind fault)
    {
        // SQLite swaps online above 10,000 rows: a long writer, or a long reader in rollback-journal mode, is in the cut-over's way.
        var rows = engine == DatabaseEngine.Sqlite ? SigkillTests.SqliteOnlineRows : 8_000;
        var result = await Trials.RunAsync(new TrialSpec(engine, fault, Seed: 402, Rows: rows), output);

        Assert.Equal([0], result.Runs.Select(r => r.ExitCode));
        Assert.True(result.Landed, result.Describe());
        Assert.Contains("could not take its locks; attempt", result.Runs[0].Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The RENAME takes its locks in name order and the copy's name sorts first: when another
    /// session holds the copy (InnoDB's purge does, after the applier's writes) the RENAME waits
    /// there before it queues for the original. The original stays locked until it does, so no
    /// write of the application lands in it after the catch-up; here the copy is held longer than
    /// an attempt may wait, so the first attempt kills the RENAME before it lets the original go,
    /// and a retry swaps (before the fix: 40-60 lost writes in 1 of about 20 runs of the bench,
    /// and lost writes in every run of this trial).
    /// </summary>
    [Fact]
    public async Task A_copy_held_when_the_rename_is_issued_loses_no_write()
    {
        var result = await Trials.RunAsync(new TrialSpec(DatabaseEngine.MySql, FaultKind.CopyHeldAtRename, Seed: 403, Rows: 8_000), output);

        Assert.True(result.Landed, result.Describe());
        Assert.Equal([0], result.Runs.Select(r => r.ExitCode));
    }
}
