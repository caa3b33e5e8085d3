using System.Text.RegularExpressions;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Authoring;

/// <summary>Flyway's built-in placeholders (${flyway:user}, ...) in scripts run through the swap command.</summary>
public class FlywayPlaceholderTests
{
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Flyway_built_in_placeholders_take_the_values_flyway_gives(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.Sql("V1__init", "CREATE TABLE facts (k VARCHAR(50) NOT NULL PRIMARY KEY, v VARCHAR(500) NOT NULL);\n");
        target.Sql("V2__facts",
            "INSERT INTO facts (k, v) VALUES ('schema', '${flyway:defaultSchema}'), ('user', '${flyway:user}'), ('database', '${flyway:database}'),\n" +
            "  ('timestamp', '${flyway:timestamp}'), ('filename', '${flyway:filename}'), ('dir', '${flyway:workingDirectory}'), ('mine', '${app}');\n");

        var run = await SwapCli.RunAsync(target, "up", "--placeholder", "app=shop");

        Assert.True(run.ExitCode == 0, run.ToString());
        var facts = (await target.QueryAsync("SELECT k, v FROM facts")).ToDictionary(r => r.String("k")!, r => r.String("v")!);
        var (schema, user, database) = engine switch
        {
            DatabaseEngine.PostgreSql => ((string)(await target.ScalarAsync("SELECT current_schema()"))!, "swap", (string)(await target.ScalarAsync("SELECT current_database()"))!),
            DatabaseEngine.MySql => ((string)(await target.ScalarAsync("SELECT DATABASE()"))!, "swap", (string)(await target.ScalarAsync("SELECT DATABASE()"))!),
            _ => ("main", "", "main"),
        };
        Assert.Equal(schema, facts["schema"]);
        Assert.Equal(user, facts["user"]);
        Assert.Equal(database, facts["database"]);
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"), facts["timestamp"]);
        Assert.Equal("V2__facts.sql", facts["filename"]);
        Assert.True(Path.IsPathRooted(facts["dir"]), facts["dir"]);
        Assert.Equal("shop", facts["mine"]);
        Assert.DoesNotContain(facts.Values, v => v.Contains("${", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_placeholder_swap_cannot_give_stops_up_before_anything_runs(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.Sql("V1__init", "CREATE TABLE facts (k VARCHAR(50) NOT NULL PRIMARY KEY, v VARCHAR(500) NOT NULL);\n");
        var table = target.Sql("V2__table", "INSERT INTO facts (k, v) VALUES ('t', '${flyway:table}');\n");

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"error: {table}(1): ${{flyway:table}} names Flyway's history table, which Swap neither reads for a run nor writes; nothing was run. Write the table's name in its place (flyway_schema_history by default).", run.Err);
        Assert.DoesNotContain("facts", await target.TablesAsync());

        File.Delete(table);
        var dotted = target.Sql("V2__dotted", "INSERT INTO facts (k, v) VALUES ('t', '${app.name}');\n");
        var second = await SwapCli.RunAsync(target, "up");
        Assert.True(second.ExitCode == 2, second.ToString());
        Assert.Contains($"error: {dotted}(1): ${{app.name}} is a placeholder to Flyway, and Swap has no value for it (a placeholder name is letters, digits and _); nothing was run. Rename it (${{my_name}}) and give it in swap.json or with --placeholder my_name=<value>, or write the value in its place.", second.Err);
        Assert.DoesNotContain("facts", await target.TablesAsync());
    }
}
