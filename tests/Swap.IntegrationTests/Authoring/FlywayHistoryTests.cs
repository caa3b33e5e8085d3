using System.Text.Json;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Authoring;

/// <summary>A database Flyway migrated (its flyway_schema_history, with Flyway's own columns), taken over by the swap command.</summary>
public class FlywayHistoryTests
{
    /// <summary>Flyway's history table as Flyway creates it on each engine.</summary>
    private static string FlywayTable(DatabaseEngine engine) => engine switch
    {
        DatabaseEngine.MySql => """
            CREATE TABLE `flyway_schema_history` (
                `installed_rank` INT NOT NULL, `version` VARCHAR(50), `description` VARCHAR(200) NOT NULL, `type` VARCHAR(20) NOT NULL,
                `script` VARCHAR(1000) NOT NULL, `checksum` INT, `installed_by` VARCHAR(100) NOT NULL,
                `installed_on` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, `execution_time` INT NOT NULL, `success` BOOL NOT NULL,
                CONSTRAINT `flyway_schema_history_pk` PRIMARY KEY (`installed_rank`)) ENGINE=InnoDB
            """,
        DatabaseEngine.PostgreSql => """
            CREATE TABLE "flyway_schema_history" (
                "installed_rank" INT NOT NULL, "version" VARCHAR(50), "description" VARCHAR(200) NOT NULL, "type" VARCHAR(20) NOT NULL,
                "script" VARCHAR(1000) NOT NULL, "checksum" INTEGER, "installed_by" VARCHAR(100) NOT NULL,
                "installed_on" TIMESTAMP NOT NULL DEFAULT now(), "execution_time" INTEGER NOT NULL, "success" BOOLEAN NOT NULL,
                CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank"))
            """,
        _ => """
            CREATE TABLE "flyway_schema_history" (
                "installed_rank" INT NOT NULL PRIMARY KEY, "version" VARCHAR(50), "description" VARCHAR(200) NOT NULL, "type" VARCHAR(20) NOT NULL,
                "script" VARCHAR(1000) NOT NULL, "checksum" INT, "installed_by" VARCHAR(100) NOT NULL,
                "installed_on" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')), "execution_time" INT NOT NULL, "success" BOOLEAN NOT NULL)
            """,
    };

    private static async Task FlywayRowAsync(TestTarget target, int rank, string? version, string description, string type, string script, bool success) =>
        await target.ExecuteAsync(
            "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) " +
            $"VALUES ({rank}, {(version is null ? "NULL" : $"'{version}'")}, '{description}', '{type}', '{script}', 12345, 'flyway', 7, {(success ? "TRUE" : "FALSE")})");

    /// <summary>A database where Flyway applied V1 and V1.1 (and a repeatable script), and the folder with V2 after them.</summary>
    private static async Task<TestTarget> FlywayMigratedAsync(DatabaseEngine engine, bool lastFailed = false)
    {
        var target = await TestTarget.CreateAsync(engine);
        await target.ExecuteAsync("CREATE TABLE items (id INT NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL)");
        await target.ExecuteAsync("INSERT INTO items (id, name) VALUES (1, 'flyway')");
        await target.ExecuteAsync(FlywayTable(engine));
        await FlywayRowAsync(target, 1, "1", "init", "SQL", "V1__init.sql", true);
        await FlywayRowAsync(target, 2, "1.1", "fill", "SQL", "V1.1__fill.sql", !lastFailed);
        await FlywayRowAsync(target, 3, null, "view", "SQL", "R__view.sql", true);
        target.Sql("V1__init", "CREATE TABLE items (id INT NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL);\n");
        target.Sql("V1.1__fill", "INSERT INTO items (id, name) VALUES (1, 'flyway');\n");
        target.Sql("V2__more", "INSERT INTO items (id, name) VALUES (2, 'swap');\n");
        return target;
    }

    private static string ErrorLine(CliRun run) => run.Err.Split('\n').Single(l => l.StartsWith("error: ", StringComparison.Ordinal)).Trim();

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Up_and_plan_refuse_a_database_flyway_migrated_until_baseline_from_flyway_records_what_flyway_applied(DatabaseEngine engine)
    {
        await using var target = await FlywayMigratedAsync(engine);
        const string refusal = "was migrated by Flyway (flyway_schema_history lists 2 applied version(s), the last 1.1) and Swap's history is empty, so 'swap up' would run those scripts again; nothing was run. Run 'swap baseline --from-flyway' (try --dry-run first) to record them as applied without running them, then 'swap up' applies only the versions after them.";

        var up = await SwapCli.RunAsync(target, "up");
        Assert.True(up.ExitCode == 7, up.ToString());
        Assert.EndsWith(refusal, ErrorLine(up));
        var plan = await SwapCli.RunAsync(target, "plan");
        Assert.True(plan.ExitCode == 7, plan.ToString());
        Assert.EndsWith(refusal, ErrorLine(plan));
        Assert.Equal(["flyway"], await target.ColumnAsync("SELECT name FROM items ORDER BY id"));
        Assert.DoesNotContain("swap_history", await target.TablesAsync());

        var status = await SwapCli.RunAsync(target, "status", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        using (var json = JsonDocument.Parse(status.Out))
        {
            var notes = json.RootElement.GetProperty("scripts").EnumerateArray().Select(s => (s.GetProperty("id").GetString(), s.TryGetProperty("note", out var n) ? n.GetString() : null)).ToList();
            const string note = "applied by Flyway (flyway_schema_history), not in Swap's history: 'swap baseline --from-flyway' records it; 'swap up' refuses until then";
            Assert.Equal([("V1__init", note), ("V1.1__fill", note), ("V2__more", null)], notes);
        }

        var dry = await SwapCli.RunAsync(target, "baseline", "--from-flyway", "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Equal(["would record\tV1__init", "would record\tV1.1__fill", "Would record 2 script(s) as applied without running them."], dry.OutLines);
        Assert.DoesNotContain("swap_history", await target.TablesAsync());

        var baseline = await SwapCli.RunAsync(target, "baseline", "--from-flyway");
        Assert.True(baseline.ExitCode == 0, baseline.ToString());
        Assert.Equal(["baselined\tV1__init", "baselined\tV1.1__fill", "Recorded 2 script(s) as applied without running them, as batch 1."], baseline.OutLines);

        var after = await SwapCli.RunAsync(target, "up");
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Equal(["V1__init", "V1.1__fill", "V2__more"], await target.HistoryIdsAsync());
        Assert.Equal(["flyway", "swap"], await target.ColumnAsync("SELECT name FROM items ORDER BY id"));
        Assert.Equal(3L, await target.CountAsync("flyway_schema_history"));
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_failed_flyway_row_stops_up_and_baseline_from_flyway_with_nothing_written(DatabaseEngine engine)
    {
        await using var target = await FlywayMigratedAsync(engine, lastFailed: true);
        const string halfMigrated = "is half-migrated: flyway_schema_history has failed row(s) for 1.1 (V1.1__fill.sql); {0}. Finish or undo that migration by hand so the schema matches the version before it, then 'flyway repair' (or delete the failed row), and run this again.";

        var up = await SwapCli.RunAsync(target, "up");
        Assert.True(up.ExitCode == 7, up.ToString());
        Assert.EndsWith(string.Format(System.Globalization.CultureInfo.InvariantCulture, halfMigrated, "nothing was run"), ErrorLine(up));
        var baseline = await SwapCli.RunAsync(target, "baseline", "--from-flyway");
        Assert.True(baseline.ExitCode == 7, baseline.ToString());
        Assert.EndsWith(string.Format(System.Globalization.CultureInfo.InvariantCulture, halfMigrated, "nothing was recorded"), ErrorLine(baseline));

        Assert.Equal(["flyway"], await target.ColumnAsync("SELECT name FROM items ORDER BY id"));
        Assert.DoesNotContain("swap_history", await target.TablesAsync());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Baseline_from_flyway_refuses_a_version_flyway_applied_that_no_script_has(DatabaseEngine engine)
    {
        await using var target = await FlywayMigratedAsync(engine);
        await FlywayRowAsync(target, 4, "1.5", "gone", "SQL", "V1.5__gone.sql", true);

        var baseline = await SwapCli.RunAsync(target, "baseline", "--from-flyway");

        Assert.True(baseline.ExitCode == 7, baseline.ToString());
        Assert.Equal("error: Flyway applied version 1.5 (V1.5__gone.sql), but no migration has that version (a V1.5__<description> script); nothing was recorded. Point --migrations at every folder Flyway ran (its locations), or put the script back, then baseline again.", ErrorLine(baseline));
        Assert.DoesNotContain("swap_history", await target.TablesAsync());
        var both = await SwapCli.RunAsync(target, "baseline", "--from-flyway", "--to", "V1__init");
        Assert.Equal(2, both.ExitCode);
    }
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_flyway_history_under_another_name_is_found_with_flyway_table_and_schema_version_stops_up(DatabaseEngine engine)
    {
        // Flyway before version 5 named its table schema_version; flyway.table names it anything.
        await using var target = await FlywayMigratedAsync(engine);
        await target.ExecuteAsync("ALTER TABLE flyway_schema_history RENAME TO schema_version");

        var up = await SwapCli.RunAsync(target, "up");
        Assert.True(up.ExitCode == 7, up.ToString());
        Assert.EndsWith(
            "was migrated by Flyway (schema_version lists 2 applied version(s), the last 1.1) and Swap's history is empty, so 'swap up' would run those scripts again; nothing was run. Run 'swap baseline --from-flyway --flyway-table schema_version' (try --dry-run first) to record them as applied without running them, then 'swap up' applies only the versions after them.",
            ErrorLine(up));

        var missing = await SwapCli.RunAsync(target, "baseline", "--from-flyway");
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.EndsWith(
            "has no flyway_schema_history table in its schema, so there is nothing Flyway applied to adopt; nothing was recorded. Point --db at the database (and schema) Flyway migrated, give --flyway-table if Flyway's flyway.table setting named its history otherwise (before Flyway 5: schema_version), or use 'swap baseline --to <id>' to name the last script this database has.",
            ErrorLine(missing));
        var notFlyway = await SwapCli.RunAsync(target, "baseline", "--from-flyway", "--flyway-table", "items");
        Assert.True(notFlyway.ExitCode == 2, notFlyway.ToString());
        Assert.StartsWith("error: The table items is not a Flyway history table: reading its installed_rank, version, type, script and success columns failed (", ErrorLine(notFlyway));
        Assert.EndsWith("); nothing was recorded. Name the table Flyway keeps its history in (its flyway.table setting) with --flyway-table.", ErrorLine(notFlyway));
        var alone = await SwapCli.RunAsync(target, "baseline", "--to", "V1__init", "--flyway-table", "schema_version");
        Assert.True(alone.ExitCode == 2, alone.ToString());
        Assert.Equal("error: --flyway-table goes with --from-flyway: it names the table Flyway keeps its history in.", ErrorLine(alone));
        Assert.DoesNotContain("swap_history", await target.TablesAsync());

        var baseline = await SwapCli.RunAsync(target, "baseline", "--from-flyway", "--flyway-table", "schema_version");
        Assert.True(baseline.ExitCode == 0, baseline.ToString());
        Assert.Equal(["baselined\tV1__init", "baselined\tV1.1__fill", "Recorded 2 script(s) as applied without running them, as batch 1."], baseline.OutLines);
        var after = await SwapCli.RunAsync(target, "up");
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Equal(["flyway", "swap"], await target.ColumnAsync("SELECT name FROM items ORDER BY id"));
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Another_tools_schema_version_table_does_not_stop_up(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await target.ExecuteAsync("CREATE TABLE schema_version (version INT NOT NULL)");
        await target.ExecuteAsync("INSERT INTO schema_version (version) VALUES (7)");
        target.Sql("V1__init", "CREATE TABLE items (id INT NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL);\n");

        var up = await SwapCli.RunAsync(target, "up");

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal(["V1__init"], await target.HistoryIdsAsync());
    }
}
