using Swap.Scenarios.Faults;
using Xunit.Abstractions;

namespace Swap.IntegrationTests.Faults;

/// <summary>
/// Tables as production has them, killed mid-copy or at the cut-over: a MariaDB table a child's
/// foreign key points at (killed right before the batch that re-points the key and renames is
/// sent), a table being converted to a partitioned one (PostgreSQL, killed in the cut-over's
/// catch-up; MariaDB, killed mid-chunk and right before the rename), and a PostgreSQL table that
/// is partitioned already (killed mid-chunk and in the cut-over's catch-up), and a table keyed by a
/// unique index instead of a primary key (killed mid-chunk, or after the index build). The resumed run must
/// finish identical to the oracle, with the key on the live table and the partitions in place
/// under their names. The full matrix of these shapes is in <c>dotnet cake --target=Faults</c>.
/// </summary>
public class ShapeFaultTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DatabaseEngine.MySql, TableShape.ForeignKeys, "cutover-rename")]
    [InlineData(DatabaseEngine.PostgreSql, TableShape.Partitioned, "cutover-catchup")]
    [InlineData(DatabaseEngine.PostgreSql, TableShape.PartitionedSwap, "chunk-mid:1")]
    [InlineData(DatabaseEngine.PostgreSql, TableShape.PartitionedSwap, "cutover-catchup")]
    [InlineData(DatabaseEngine.MySql, TableShape.Partitioned, "chunk-mid:1")]
    [InlineData(DatabaseEngine.MySql, TableShape.Partitioned, "cutover-rename")]
    [InlineData(DatabaseEngine.PostgreSql, TableShape.UniqueKey, "phase:indexed")]
    [InlineData(DatabaseEngine.MySql, TableShape.UniqueKey, "chunk-mid:1")]
    [InlineData(DatabaseEngine.Sqlite, TableShape.UniqueKey, "chunk-mid:1")]
    public async Task A_swap_killed_mid_copy_or_at_the_cut_over_resumes_and_equals_the_oracle(DatabaseEngine engine, TableShape shape, string point)
    {
        var result = await Trials.RunAsync(new TrialSpec(engine, FaultKind.KillAtPoint, Seed: 301, Point: point, Rows: 3000, Shape: shape), output);

        Assert.True(result.Landed, $"the process was not killed at {point}:\n{result.Describe()}");
        Assert.Equal([137, 0], result.Runs.Select(r => r.ExitCode));
    }
}
