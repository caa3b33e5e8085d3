using System.Text.Json;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Authoring;

/// <summary>A folder of Flyway-named scripts (V1__init.sql, U1__init.sql) run through the swap command.</summary>
public class FlywayNamesTests
{
    private static string Append(DatabaseEngine engine, string suffix) =>
        $"UPDATE items SET name = {Scripts.Concat(engine, "name", $"'-{suffix}'")};\n";

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Versioned_scripts_run_by_version_before_undated_and_by_date_among_timestamp_named_scripts(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        // Each script appends to one row, so the row spells the order the scripts ran in.
        target.Sql("V1__init", "CREATE TABLE items (id INT NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL);\n");
        target.Sql("V1.1__add_ann", "INSERT INTO items (id, name) VALUES (1, 'ann');\n");
        target.Sql("V1.10__ten", Append(engine, "1.10"));
        target.Sql("V1.9__nine", Append(engine, "1.9"));
        target.Sql("V2_1__two_one", Append(engine, "2.1"));
        // Undated by its version, but it runs after the timestamp-named script it names.
        target.Sql("V3__after_t", "-- swap:after 20261120000000_before\n" + Append(engine, "v3"));
        target.Sql("20261120000000_before", Append(engine, "t1120"));
        target.Sql("V20261121083000__dated", Append(engine, "dated"));
        target.Sql("20261121000000_same_day", Append(engine, "same"));
        target.Sql("fill", "-- swap:after V1__init\n" + Append(engine, "grp"), "2026-11-21-group");
        target.Sql("20261122000000_after", Append(engine, "t1122"));
        string[] expected =
        [
            "V1__init", "V1.1__add_ann", "V1.9__nine", "V1.10__ten", "V2_1__two_one", "20261120000000_before", "V3__after_t",
            "V20261121083000__dated", "20261121000000_same_day", "fill", "20261122000000_after",
        ];

        var status = await SwapCli.RunAsync(target, "status", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        using (var json = JsonDocument.Parse(status.Out))
            Assert.Equal(expected, json.RootElement.GetProperty("scripts").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var plan = await SwapCli.RunAsync(target, "plan");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Equal(expected, plan.OutLines.Where(l => l.StartsWith("==", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]));

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(expected, await target.HistoryIdsAsync());
        Assert.Equal(["ann-1.9-1.10-2.1-t1120-v3-dated-same-grp-t1122"], await target.ColumnAsync("SELECT name FROM items"));
        Assert.Equal("Applied 11 script(s) as batch 1.", run.OutLines[^1]);
        Assert.Equal(["Valid: migrations and history agree."], (await SwapCli.RunAsync(target, "validate")).OutLines);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task An_undo_script_is_the_down_of_the_versioned_script_with_its_version(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.Sql("V1__init", "CREATE TABLE items (id INT NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL);\n");
        target.Sql("U1__init", "DROP TABLE items;\n");
        target.Sql("V1_1__fill", "INSERT INTO items (id, name) VALUES (1, 'ann'), (2, 'bob');\n");
        target.Sql("U1.1__unfill", "DELETE FROM items WHERE id = 2;\n");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        Assert.Equal(["ann", "bob"], await target.ColumnAsync("SELECT name FROM items ORDER BY id"));

        var down = await SwapCli.RunAsync(target, "down");

        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Matches(@"^reverted\tV1_1__fill\t\d+ ms$", down.OutLines[0]);
        Assert.Equal(["ann"], await target.ColumnAsync("SELECT name FROM items ORDER BY id"));
        Assert.Equal(["V1__init"], await target.HistoryIdsAsync());

        var last = await SwapCli.RunAsync(target, "down");
        Assert.True(last.ExitCode == 0, last.ToString());
        Assert.Matches(@"^reverted\tV1__init\t\d+ ms$", last.OutLines[0]);
        Assert.DoesNotContain("items", await target.TablesAsync());
        Assert.Empty(await target.HistoryIdsAsync());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_database_flyway_migrated_is_baselined_to_a_version_and_ids_serve_up_to_and_validate(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        // What Flyway already applied: V1 and V1.1 made the table, V1.9 filled it.
        await target.ExecuteAsync("CREATE TABLE items (id INT NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL)");
        await target.ExecuteAsync("INSERT INTO items (id, name) VALUES (1, 'flyway')");
        target.Sql("V1__init", "CREATE TABLE items (id INT NOT NULL PRIMARY KEY);\n");
        target.Sql("V1.1__name", "ALTER TABLE items ADD COLUMN name VARCHAR(200) NOT NULL DEFAULT 'x';\n");
        target.Sql("V1.9__fill", "INSERT INTO items (id, name) VALUES (1, 'flyway');\n");
        target.Sql("V1.10__more", "INSERT INTO items (id, name) VALUES (2, 'swap 1.10');\n");
        target.Sql("V2__last", "INSERT INTO items (id, name) VALUES (3, 'swap 2');\n");

        var baseline = await SwapCli.RunAsync(target, "baseline", "--to", "V1.9__fill");

        Assert.True(baseline.ExitCode == 0, baseline.ToString());
        Assert.Equal(["baselined\tV1__init", "baselined\tV1.1__name", "baselined\tV1.9__fill", "Recorded 3 script(s) as applied without running them, as batch 1."], baseline.OutLines);

        var to = await SwapCli.RunAsync(target, "up", "--to", "V1.10__more");
        Assert.True(to.ExitCode == 0, to.ToString());
        Assert.Equal(["V1__init", "V1.1__name", "V1.9__fill", "V1.10__more"], await target.HistoryIdsAsync());
        Assert.Equal(["flyway", "swap 1.10"], await target.ColumnAsync("SELECT name FROM items ORDER BY id"));
        var status = await SwapCli.RunAsync(target, "status", "--json");
        using (var json = JsonDocument.Parse(status.Out))
            Assert.Equal("V2__last", json.RootElement.GetProperty("next").GetString());

        // Merged late: its version sorts before what is applied.
        target.Sql("V1.5__late", "INSERT INTO items (id, name) VALUES (4, 'late');\n");
        var validate = await SwapCli.RunAsync(target, "validate");
        Assert.Equal(4, validate.ExitCode);
        Assert.Equal("out-of-order\tV1.5__late\tV1.5__late is pending but sorts before V1.9__fill, which is applied (and 1 more applied after it); it would run out of order", validate.OutLines[0]);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Flyway_names_swap_cannot_take_stop_every_verb_with_exit_6(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.Sql("V1__init", "CREATE TABLE items (id INT NOT NULL PRIMARY KEY);\n");
        var repeatable = target.Sql("R__items_view", "CREATE VIEW items_view AS SELECT id FROM items;\n");

        var up = await SwapCli.RunAsync(target, "up");

        Assert.Equal(6, up.ExitCode);
        Assert.Equal(
            $"error: '{repeatable}' is a Flyway repeatable script (R__<description>.sql), and Swap has no repeatable scripts: every script runs once. " +
            "Make what it creates a versioned script (rename it to V<version>__<description>.sql or <timestamp>_<name>.sql, and write a new script for each later change), or move it out of the migrations folder.\n",
            up.Err);
        Assert.Empty(await target.TablesAsync());

        File.Delete(repeatable);
        var same = target.Sql("V1.0__again", "CREATE TABLE again (id INT NOT NULL PRIMARY KEY);\n");
        var validate = await SwapCli.RunAsync(target, "validate");
        Assert.Equal(6, validate.ExitCode);
        Assert.Equal(
            $"error: '{same}' and '{Path.Combine(target.Folder, "migrations", "V1__init.sql")}' both have version 1 (versions compare by number: V1.1 and V1_1 are the same, and so are V1 and V1.0); Flyway refuses this too. Give one of them another version.\n",
            validate.Err);

        File.Delete(same);
        var undo = target.Sql("U2__drop", "DROP TABLE items;\n");
        var status = await SwapCli.RunAsync(target, "status");
        Assert.Equal(6, status.ExitCode);
        Assert.Equal(
            $"error: '{undo}' is a Flyway undo script for version 2, but '{Path.Combine(target.Folder, "migrations")}' has no versioned script V2__<description>.sql. Add it, or delete the undo file.\n",
            status.Err);
        Assert.Empty(await target.TablesAsync());
    }
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Csharp_classes_named_as_flyway_names_java_migrations_run_by_version_among_the_sql_versions(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        static string Class(string name, string sql) =>
            $"using Swap;\npublic sealed class {name} : Migration\n{{\n    public override Task UpAsync(MigrationContext db) => db.ExecuteAsync(\"{sql}\");\n}}\n";
        target.Sql("V1__init", "CREATE TABLE items (id INT NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL);\n");
        target.WriteFile("migrations/V1_1__Fill.cs", Class("V1_1__Fill", "INSERT INTO items (id, name) VALUES (1, 'ann')"));
        target.WriteFile("migrations/V2__Add_roles.cs", Class("V2__Add_roles", Append(engine, "2").Trim().TrimEnd(';')));
        target.Sql("V3__more", Append(engine, "3"));
        target.Sql("V10__last", Append(engine, "10"));

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["V1__init", "V1_1__Fill", "V2__Add_roles", "V3__more", "V10__last"], await target.HistoryIdsAsync());
        Assert.Equal(["ann-2-3-10"], await target.ColumnAsync("SELECT name FROM items"));

        target.WriteFile("migrations/V3_0__Same.cs", Class("V3_0__Same", "SELECT 1"));
        var same = await SwapCli.RunAsync(target, "status");
        Assert.True(same.ExitCode == 6, same.ToString());
        Assert.Contains("V3__more (", same.Err);
        Assert.Contains("V3_0__Same (", same.Err);
        Assert.Contains(" both have version 3 in module ", same.Err);
    }
}
