using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Authoring;

/// <summary>What a team coming from SQL Server tools (DbUp, sqlcmd) writes first.</summary>
public class SqlServerHabitsTests
{
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_go_separator_stops_every_verb_with_its_line_and_nothing_runs(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("0001_create_users", "users");
        var file = target.Sql("0002_seed", "INSERT INTO users (id, name) VALUES (1, 'ann')\nGO\nINSERT INTO users (id, name) VALUES (2, 'bob')\nGO\n");

        var message = $"error: {file}(2): 'GO' alone on a line is SQL Server's batch separator (sqlcmd, SSMS, DbUp), not SQL: "
            + "the engine would receive it as part of the statement. End each statement with ';' and delete the GO lines; nothing was run.";
        foreach (var verb in new[] { "up", "status", "plan", "validate" })
        {
            var run = await SwapCli.RunAsync(target, verb);
            Assert.True(run.ExitCode == 6, $"{verb}: {run}");
            Assert.Contains(message, run.Err, StringComparison.Ordinal);
        }
        // The script before it did not run either, and no history was written.
        Assert.Empty(await target.HistoryAsync());
        Assert.DoesNotContain("users", await target.TablesAsync());
    }
}
