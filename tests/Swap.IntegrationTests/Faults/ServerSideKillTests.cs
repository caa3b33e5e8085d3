using Swap.Connections;
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
    [Theory]
    [InlineData(DatabaseEngine.PostgreSql)]
    [InlineData(DatabaseEngine.MySql)]
    public async Task A_connection_killed_inside_a_chunk_is_retried_by_the_same_run(DatabaseEngine engine)
    {
        var result = await Trials.RunAsync(new TrialSpec(engine, FaultKind.KillSessionMidChunk, Seed: 301), output);

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
        var result = await Trials.RunAsync(new TrialSpec(engine, FaultKind.KillSessionMidCutOver, Seed: 302), output);

        Assert.Equal("mid-cut-over (waiting for the table lock)", result.Where);
        Assert.Equal([0], result.Runs.Select(r => r.ExitCode));
        Assert.Contains("resuming the swap of items after phase 'verified'", result.Runs[0].Output, StringComparison.Ordinal);
    }
}
