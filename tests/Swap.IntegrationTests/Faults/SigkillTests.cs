using Swap.Scenarios.Faults;
using Xunit.Abstractions;

namespace Swap.IntegrationTests.Faults;

/// <summary>
/// The bounded in-suite part of the fault harness: a copy-and-swap of a table under a concurrent
/// writer, the <c>swap</c> process killed with SIGKILL, then <c>swap up</c>; the table must equal
/// the oracle and nothing may be left behind. Three trials per engine: two aimed at fault points
/// from inside, one <c>kill -9</c> from outside at a seeded random moment. The full run
/// (<c>dotnet cake --target=Faults</c>) covers every point and 20 random moments per engine.
/// </summary>
public class SigkillTests(ITestOutputHelper output)
{
    public static TheoryData<DatabaseEngine, string> Points => new()
    {
        { DatabaseEngine.PostgreSql, "chunk-mid:1" },
        // After the cut-over: the resumed run must not ask for the change again (it was once refused with exit 7 forever).
        { DatabaseEngine.PostgreSql, "phase:capture-removed" },
        // After the first of three capture triggers: the copy got rows the missing triggers could not keep current (once exit 8 forever).
        { DatabaseEngine.MySql, "capture:1" },
        // Between RENAME, which commits on its own, and the journal record (once "the copy is missing" forever).
        { DatabaseEngine.MySql, "cutover" },
        // SQLite below the online threshold: one rebuild transaction, rolled back by the kill.
        { DatabaseEngine.Sqlite, "phase:copied" },
        { DatabaseEngine.Sqlite, "cutover" },
    };

    /// <summary>Rows of a SQLite trial that swaps online (above <see cref="Swap.Engine.OnlineSwapOptions.OneTransactionBelowRows"/>).</summary>
    public const int SqliteOnlineRows = 12_000;

    public static TheoryData<string> SqliteOnlinePoints => new()
    {
        // Inside a chunk's transaction, with the watermark: resumes from the last committed chunk.
        "chunk-mid:2",
        // Between the applier's re-sync of a batch and the deletion of its log rows.
        "apply-mid:1",
        // Under the cut-over's write lock, after the journal row, before the commit.
        "cutover",
    };

    [Theory]
    [MemberData(nameof(Points))]
    public async Task A_swap_killed_at_a_fault_point_resumes_and_equals_the_oracle(DatabaseEngine engine, string point)
    {
        var result = await Trials.RunAsync(new TrialSpec(engine, FaultKind.KillAtPoint, Seed: 101, Point: point), output);

        Assert.True(result.Landed, $"the process was not killed at {point}:\n{result.Describe()}");
        Assert.Equal([137, 0], result.Runs.Select(r => r.ExitCode));
        Assert.Equal("next up", result.FinishedBy);
        // Online engines resume from the journal; SQLite's rebuild was one transaction, rolled back by the kill.
        // Every point here is inside the swap step, so the resumed run continued that step from its journal.
        if (engine != DatabaseEngine.Sqlite)
            Assert.Contains("resumed after 0 step(s), then the interrupted 'swap' step where it stopped", result.Runs[1].Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SqliteOnlinePoints))]
    public async Task A_sqlite_online_swap_killed_at_a_fault_point_resumes_from_its_journal_and_equals_the_oracle(string point)
    {
        // apply-mid needs an applier batch while the writer runs; a run whose copy ends before one
        // forms finishes by itself (checked against the oracle all the same): up to three seeds.
        var result = await Trials.RunAsync(new TrialSpec(DatabaseEngine.Sqlite, FaultKind.KillAtPoint, Seed: 111, Point: point, Rows: SqliteOnlineRows), output);
        for (var seed = 112; !result.Landed && seed <= 113; seed++)
            result = await Trials.RunAsync(new TrialSpec(DatabaseEngine.Sqlite, FaultKind.KillAtPoint, Seed: seed, Point: point, Rows: SqliteOnlineRows), output);

        Assert.True(result.Landed, $"the process was not killed at {point}:\n{result.Describe()}");
        Assert.Equal([137, 0], result.Runs.Select(r => r.ExitCode));
        Assert.Contains("resumed after 0 step(s), then the interrupted 'swap' step where it stopped", result.Runs[1].Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseEngine.PostgreSql, 211)]
    [InlineData(DatabaseEngine.MySql, 212)]
    [InlineData(DatabaseEngine.Sqlite, 213)]
    public async Task A_swap_killed_from_outside_at_a_random_moment_resumes_and_equals_the_oracle(DatabaseEngine engine, int seed)
    {
        var result = await Trials.RunAsync(new TrialSpec(engine, FaultKind.KillAtRandom, seed), output);

        Assert.Equal(0, result.Runs[^1].ExitCode);
        Assert.True(result.Runs[0].Killed || !result.Landed, result.Describe());
    }
}
