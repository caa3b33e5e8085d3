using Swap.Scenarios.Faults;
using Xunit.Abstractions;

namespace Swap.IntegrationTests.Faults;

/// <summary>
/// A table keyed by <c>(grp, id)</c> whose writer also moves rows to another <c>grp</c> (a key
/// column: the row leaves its key range, and capture logs both keys), and one migration that swaps
/// two tables at once under a writer of both, killed mid-copy and at the cut-over. The resumed run
/// must finish with every table identical to its oracle, the composite key still in place and both
/// tables swapped. The full matrix of these shapes is in <c>dotnet cake --target=Faults</c>.
/// </summary>
public class KeyAndPairFaultTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DatabaseEngine.MySql, TableShape.CompositeKey, "chunk-mid:1")]
    [InlineData(DatabaseEngine.PostgreSql, TableShape.CompositeKey, "cutover-catchup")]
    [InlineData(DatabaseEngine.MySql, TableShape.TwoTables, "cutover-catchup")]
    [InlineData(DatabaseEngine.PostgreSql, TableShape.TwoTables, "chunk-mid:1")]
    public async Task A_swap_killed_at_a_fault_point_resumes_and_equals_the_oracle(DatabaseEngine engine, TableShape shape, string point)
    {
        var result = await Trials.RunAsync(new TrialSpec(engine, FaultKind.KillAtPoint, Seed: 311, Point: point, Rows: 3000, Shape: shape), output);

        Assert.True(result.Landed, $"the process was not killed at {point}:\n{result.Describe()}");
        Assert.Equal([137, 0], result.Runs.Select(r => r.ExitCode));
        if (shape == TableShape.CompositeKey)
            Assert.True(result.Writes!.ByKind.GetValueOrDefault("move-group") > 0, $"the writer never moved a row to another group:\n{result.Describe()}");
        if (shape == TableShape.TwoTables)
            Assert.Equal(["items", "items_b"], result.Writes!.ByTable.Where(t => t.Value > 0).Select(t => t.Key).Order(StringComparer.Ordinal));
    }
}
