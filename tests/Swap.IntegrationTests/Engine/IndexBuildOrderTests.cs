using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// After the copy, the indexes build on a second connection while the first verifies, unless the
/// application is writing the tables (the applier has applied its writes) on PostgreSQL, whose
/// builds use parallel workers: then the build and verification run one after the other, leaving
/// cores to the application, and each build runs without parallel workers. MySQL/MariaDB build
/// with one thread and keep them beside each other.
/// Either way the swap ends equal to the oracle.
/// </summary>
public class IndexBuildOrderTests
{
    private const string OneAfterTheOther = "building the copy's indexes, then verifying, one after the other";
    private const string Serial = "building the copy's indexes without the server's parallel workers";

    [Fact]
    public async Task With_the_application_writing_postgresql_builds_the_indexes_then_verifies()
    {
        var (logs, phases, expected, actual) = await SwapAsync(DatabaseEngine.PostgreSql, writeDuringCopy: true);

        Assert.Contains(logs, l => l.Contains("The application is writing items: " + OneAfterTheOther, StringComparison.Ordinal));
        Assert.Single(logs, l => l.Contains("The application is writing items: " + Serial, StringComparison.Ordinal));
        Assert.Equal(expected, actual);
        // Verification reports its own progress after the build instead of staying silent beside it.
        var lastBuild = phases.FindLastIndex(p => p == SwapPhase.BuildingIndexes);
        Assert.Contains(SwapPhase.Verifying, phases.Skip(lastBuild + 1));
    }

    [Theory]
    [InlineData(DatabaseEngine.PostgreSql, false)]
    [InlineData(DatabaseEngine.MySql, false)]
    [InlineData(DatabaseEngine.MySql, true)]
    public async Task Otherwise_the_indexes_are_built_beside_verification(DatabaseEngine engine, bool writeDuringCopy)
    {
        var (logs, _, expected, actual) = await SwapAsync(engine, writeDuringCopy);

        Assert.DoesNotContain(logs, l => l.Contains(OneAfterTheOther, StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains(Serial, StringComparison.Ordinal));
        Assert.Equal(expected, actual);
    }

    private static async Task<(List<string> Logs, List<SwapPhase> Phases, List<ItemRow> Expected, List<ItemRow> Actual)> SwapAsync(DatabaseEngine engine, bool writeDuringCopy)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        const int rows = 2_000;
        await EngineKit.CreateItemsAsync(target, rows);
        await target.ExecuteAsync("CREATE INDEX items_k ON items (k)");
        EngineKit.WriteSwapScript(target);
        var logs = new ListLoggerFactory();
        var phases = new List<SwapPhase>();
        var wrote = false;
        var migrator = EngineKit.Migrator(target, o =>
        {
            o.LoggerFactory = logs;
            o.Swap.Progress = new SyncProgress(p =>
            {
                phases.Add(p.Phase);
                if (!writeDuringCopy || wrote || p.Phase != SwapPhase.Copying || p.RowsCopied == 0)
                    return;
                wrote = true;
                // On the engine's thread, between two chunks: one row already copied, one not yet.
                target.ExecuteAsync("UPDATE items SET n = 5 WHERE id IN (1, 1900)").GetAwaiter().GetResult();
            });
        });

        await migrator.UpAsync();

        Assert.Equal(writeDuringCopy, wrote);
        var expected = EngineKit.InitialItems(rows);
        if (writeDuringCopy)
        {
            expected[1] = expected[1] with { N = 5 };
            expected[1900] = expected[1900] with { N = 5 };
        }
        return (logs.Lines.ToList(), phases, expected.Values.OrderBy(r => r.Id).Select(r => r with { Flag = EngineKit.Flag(r.K) }).ToList(), await EngineKit.ReadItemsAsync(target));
    }
}
