using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

public class PlanTests
{
    private const string Backfill = """
        public sealed class MigrateBackfill : Migration
        {
            public MigrateBackfill() => ExecuteAfter("20261118000000_a");
            public override async Task UpAsync(MigrationContext db)
            {
                await db.ExecuteAsync("INSERT INTO a (id, name) VALUES (@id, @name)", new { id = 1, name = "from plan" });
                if (!db.IsDryRun)
                    throw new InvalidOperationException("plan must run scripts as a dry run");
            }
        }
        """;

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Plan_prints_each_pending_script_with_its_sql_and_changes_nothing(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.Sql("20261118000000_a", "CREATE TABLE a (id INT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL);\n-- swap:down\nDROP TABLE a;");
        target.CSharp("20261119000000_Backfill", Backfill);
        var module = Path.GetFileName(target.Folder);

        var run = await SwapCli.RunAsync(target, "plan");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
            [
                $"== 20261118000000_a ({module}, {EngineTraits.DefaultMode(engine)})",
                "CREATE TABLE a (id INT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL);",
                $"== MigrateBackfill ({module}, {EngineTraits.DefaultMode(engine)})",
                "INSERT INTO a (id, name) VALUES (@id, @name)  -- with @id, @name;",
            ],
            run.OutLines);
        // Not even the history table was created.
        Assert.Empty(await target.TablesAsync());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_script_that_cannot_be_planned_says_so_instead_of_claiming_a_mode(DatabaseEngine engine)
    {
        // The second script swaps a table the first creates: plan applies nothing, so it cannot look at it.
        await using var target = await TestTarget.CreateAsync(engine);
        target.Sql("20261118000000_a", "CREATE TABLE a (id INT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL);");
        target.CSharp("20261119000000_ReshapeA", """
            public sealed class ReshapeA : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var a = await db.UseTableForAlterAsync("a");
                    a.GetColumn("name").SetType(ColumnType.String(200));
                    a.ForceCopy();
                    await db.DoneUsingTablesAsync("a");
                }
            }
            """);
        var module = Path.GetFileName(target.Folder);

        var run = await SwapCli.RunAsync(target, "plan");

        Assert.True(run.ExitCode == 0, run.ToString());
        var at = run.OutLines.ToList().IndexOf($"== ReshapeA ({module}, not planned)");
        Assert.True(at > 0, run.ToString());
        Assert.StartsWith("cannot plan in advance: it may need changes of the pending scripts before it, which plan does not apply", run.OutLines[at + 1], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Plan_covers_only_pending_scripts_and_honours_to_and_steps(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        target.CreateTable("20261119000000_b", "b");
        target.Sql("20261120000000_c", "-- swap:no-transaction\nCREATE TABLE c (id INT NOT NULL PRIMARY KEY);");
        target.CreateTable("20261121000000_d", "d");
        var tables = await target.TablesAsync();
        var history = await target.HistoryAsync();

        var all = await SwapCli.RunAsync(target, "plan");
        Assert.Equal(["20261119000000_b", "20261120000000_c", "20261121000000_d"], all.OutLines.Where(l => l.StartsWith("==", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]));
        Assert.Contains("== 20261120000000_c (" + Path.GetFileName(target.Folder) + ", journaled steps)", all.Out, StringComparison.Ordinal);

        var to = await SwapCli.RunAsync(target, "plan", "--to", "20261120000000_c");
        Assert.Equal(["20261119000000_b", "20261120000000_c"], to.OutLines.Where(l => l.StartsWith("==", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]));
        var steps = await SwapCli.RunAsync(target, "plan", "--steps", "1");
        Assert.Equal(["20261119000000_b"], steps.OutLines.Where(l => l.StartsWith("==", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]));

        Assert.Equal(tables, await target.TablesAsync());
        Assert.Equal(history, await target.HistoryAsync());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Plan_json_and_an_up_to_date_database(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");

        var json = await SwapCli.RunAsync(target, "plan", "--json");
        Assert.Equal(0, json.ExitCode);
        using (var doc = System.Text.Json.JsonDocument.Parse(json.Out))
        {
            var script = doc.RootElement.GetProperty("scripts")[0];
            Assert.Equal("20261118000000_a", script.GetProperty("id").GetString());
            Assert.Equal("CREATE TABLE a (id INT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL)", script.GetProperty("steps")[0].GetProperty("sql")[0].GetString());
        }

        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        var none = await SwapCli.RunAsync(target, "plan");
        Assert.Equal(["Nothing to apply: the database is up to date."], none.OutLines);
    }
}
