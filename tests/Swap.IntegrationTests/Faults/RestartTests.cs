using Swap.Scenarios.Faults;
using Xunit.Abstractions;

namespace Swap.IntegrationTests.Faults;

/// <summary>Server restarts disturb every test on the server: they run alone, after the parallel tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServerRestartCollection
{
    public const string Name = "server restarts";
}

/// <summary>
/// The database server restarts while a chunk is being copied (one short restart per engine; the
/// full run adds crashes). Every session dies, the run lock's included, so the run stops; the next
/// <c>swap up</c> resumes from the last committed chunk and the table equals the oracle. The
/// writer's in-flight write is ambiguous and is resolved by re-reading the row.
/// </summary>
[Collection(ServerRestartCollection.Name)]
public class RestartTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DatabaseEngine.PostgreSql)]
    [InlineData(DatabaseEngine.MySql)]
    public async Task A_server_restart_in_the_middle_of_the_copy_is_finished_by_the_next_up(DatabaseEngine engine)
    {
        var result = await Trials.RunAsync(new TrialSpec(engine, FaultKind.RestartMidCopy, Seed: 501, Rows: ServerSideKillTests.Rows), output);

        Assert.StartsWith("mid-copy", result.Where, StringComparison.Ordinal);
        Assert.True(await ServerControl.AliveAsync(engine));
        Assert.Equal(0, result.Runs[^1].ExitCode);
        Assert.Contains("resuming the swap of items after phase 'capture-installed'", result.Runs[^1].Output, StringComparison.Ordinal);
        Assert.True(result.Writes!.Reconnects >= 1, "the writer's connection should have died with the server");
    }
}
