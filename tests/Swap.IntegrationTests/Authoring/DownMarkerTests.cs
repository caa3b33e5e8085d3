using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Authoring;

public class DownMarkerTests
{
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Unos_DOWN_marker_is_the_down_section(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.Sql("20261118000000_a", "CREATE TABLE a (id INT NOT NULL PRIMARY KEY);\nINSERT INTO a (id) VALUES (1);\n-- DOWN\nDROP TABLE a;\n");

        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        Assert.Equal(["1"], await target.ColumnAsync("SELECT id FROM a"));

        var down = await SwapCli.RunAsync(target, "down");
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Matches(@"^reverted\t20261118000000_a\t", down.OutLines[0]);
        Assert.DoesNotContain("a", await target.TablesAsync());
        Assert.Empty(await target.HistoryAsync());
    }
}
