using System.Text.RegularExpressions;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

/// <summary>
/// Bad input never changes the history: each case starts from a database with one applied script,
/// adds the bad input next to a good pending script, and checks the message, the exit code, and
/// that history and tables are exactly as before.
/// </summary>
public class BadInputTests
{
    private sealed record Snapshot(List<HistoryRow> History, List<string> Tables);

    private static async Task<Snapshot> ArrangeAsync(TestTarget target)
    {
        target.CreateTable("20261118000000_base", "base");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        target.CreateTable("20261130000000_good_pending", "good_pending");
        return new Snapshot(await target.HistoryAsync(), await target.TablesAsync());
    }

    private static async Task AssertUnchangedAsync(TestTarget target, Snapshot before)
    {
        Assert.Equal(before.History, await target.HistoryAsync());
        Assert.Equal(before.Tables, await target.TablesAsync());
    }

    /// <summary>Runs up, status and plan: discovery errors stop each of them the same way.</summary>
    private static async Task<CliRun> FailsEverywhereAsync(TestTarget target, int exitCode)
    {
        var up = await SwapCli.RunAsync(target, "up");
        Assert.True(up.ExitCode == exitCode, up.ToString());
        Assert.Equal("", up.Out);
        foreach (var verb in new[] { "status", "plan", "validate" })
            Assert.Equal(exitCode, (await SwapCli.RunAsync(target, verb)).ExitCode);
        return up;
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_malformed_sql_file_is_named_with_its_line(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var before = await ArrangeAsync(target);
        var bad = target.Sql("20261119000000_bad", "INSERT INTO base (id, name) VALUES (1, 'ok');\n\nINSERT INTO base (id, name) VALUES (2, 'unclosed);\n");

        var run = await FailsEverywhereAsync(target, 6);

        Assert.Equal($"error: {bad}(3): a string literal opened on line 3 is never closed. Close it, or check for a stray quote.\n", run.Err);
        await AssertUnchangedAsync(target, before);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_misnamed_sql_file_says_how_to_name_it(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var before = await ArrangeAsync(target);
        var bad = target.Sql("create_users", "CREATE TABLE users (id INT NOT NULL PRIMARY KEY);");

        var run = await FailsEverywhereAsync(target, 6);

        Assert.Contains($"error: '{bad}' is not named <timestamp>_<name>.sql (for example 20261121083000_create_users.sql, or a .up.sql/.down.sql pair).", run.Err, StringComparison.Ordinal);
        await AssertUnchangedAsync(target, before);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Every_misnamed_sql_file_of_a_folder_is_named_in_one_error(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var before = await ArrangeAsync(target);
        target.Sql("0001 - create users", "CREATE TABLE users (id INT NOT NULL PRIMARY KEY);");
        target.Sql("Script0002", "CREATE TABLE roles (id INT NOT NULL PRIMARY KEY);");
        target.Sql("0003 - add roles", "CREATE TABLE user_roles (id INT NOT NULL PRIMARY KEY);");

        var run = await FailsEverywhereAsync(target, 6);

        Assert.Equal(
            $"error: 3 files in '{Path.Combine(target.Folder, "migrations")}' are not named <timestamp>_<name>.sql (for example 20261121083000_create_users.sql, or a .up.sql/.down.sql pair). "
            + "Rename each as shown (a number or a timestamp, an underscore, a name: numbered scripts such as DbUp's keep their order), or run 'swap create' to make correctly named scripts:\n"
            + "  '0001 - create users.sql' -> '0001_create_users.sql'\n"
            + "  '0003 - add roles.sql' -> '0003_add_roles.sql'\n"
            + "  'Script0002.sql' -> '0002_script.sql'\n",
            run.Err);
        await AssertUnchangedAsync(target, before);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_csharp_script_without_UpAsync_is_named_with_a_hint(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var before = await ArrangeAsync(target);
        var bad = target.CSharp("20261119000000_NoUp", "public sealed class MigrateNoUp : Migration\n{\n    public override Task DownAsync(MigrationContext db) => Task.CompletedTask;\n}\n");

        var run = await FailsEverywhereAsync(target, 6);

        Assert.StartsWith("error: C# migrations do not compile (1 error(s)); fix them and run again:\n", run.Err, StringComparison.Ordinal);
        Assert.Contains($"{bad}(1,21): error CS0534: 'MigrateNoUp' does not implement inherited abstract member 'Migration.UpAsync(MigrationContext)' (a migration must override 'public override Task UpAsync(MigrationContext db)')", run.Err, StringComparison.Ordinal);
        await AssertUnchangedAsync(target, before);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_csharp_script_that_does_not_compile_is_named_with_file_and_line(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var before = await ArrangeAsync(target);
        var bad = target.CSharp("20261119000000_Typo", """
            public sealed class MigrateTypo : Migration
            {
                public override Task UpAsync(MigrationContext db) =>
                    db.ExecuteAsync(undefinedSql);
            }
            """);

        var run = await FailsEverywhereAsync(target, 6);

        Assert.Contains($"{bad}(4,25): error CS0103: The name 'undefinedSql' does not exist in the current context", run.Err, StringComparison.Ordinal);
        await AssertUnchangedAsync(target, before);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Two_scripts_with_the_same_id_are_both_named(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var before = await ArrangeAsync(target);
        var mine = target.Sql("20261119000000_dup", "SELECT 1;");
        var theirs = target.WriteFile("other/migrations/20261119000000_dup.sql", "SELECT 2;");

        var run = await SwapCli.RunAsync(target, "up", "--migrations", "migrations", "--migrations", "other");

        Assert.Equal(6, run.ExitCode);
        Assert.Contains($"error: Two migrations have the same id: '20261119000000_dup' is defined by {mine} and {theirs}. Ids must be unique across all modules, letter case aside;", run.Err, StringComparison.Ordinal);
        await AssertUnchangedAsync(target, before);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Two_scripts_whose_ids_differ_only_in_case_are_refused_on_every_engine(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var before = await ArrangeAsync(target);
        var lower = target.Sql("20261119000000_dup", "SELECT 1;");
        var upper = target.Sql("20261119000000_DUP", "SELECT 2;");

        var run = await FailsEverywhereAsync(target, 6);

        Assert.Contains("error: Two migrations have the same id: ", run.Err, StringComparison.Ordinal);
        Assert.Contains($"'20261119000000_DUP' ({upper})", run.Err, StringComparison.Ordinal);
        Assert.Contains($"'20261119000000_dup' ({lower})", run.Err, StringComparison.Ordinal);
        Assert.Contains("differ only in case. Ids must be unique across all modules, letter case aside;", run.Err, StringComparison.Ordinal);
        await AssertUnchangedAsync(target, before);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Two_csharp_classes_with_the_same_name_in_different_namespaces_clash(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var before = await ArrangeAsync(target);
        const string body = " { public sealed class MigrateSeed : Migration { public override Task UpAsync(MigrationContext db) => Task.CompletedTask; } }";
        target.CSharp("20261119000000_SeedA", "namespace A" + body);
        target.CSharp("20261120000000_SeedB", "namespace B" + body);

        var run = await FailsEverywhereAsync(target, 6);

        Assert.Matches(new Regex(@"Two migrations have the same id: 'MigrateSeed' is defined by \S+20261119000000_SeedA\.cs and \S+20261120000000_SeedB\.cs\."), run.Err);
        await AssertUnchangedAsync(target, before);
    }

    /// <summary>A hand-copied script keeps its class: not the compiler's CS0101, but the duplicate-id message with both files.</summary>
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Two_csharp_files_that_define_the_same_class_are_named_as_a_duplicate_id(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var before = await ArrangeAsync(target);
        const string script = "public sealed class MigrateSeed : Migration\n{\n    public override Task UpAsync(MigrationContext db) => Task.CompletedTask;\n}\n";
        var first = target.CSharp("20261119000000_Seed", script);
        var copy = target.CSharp("20261120000000_SeedCopy", "// copied\n" + script);

        var run = await FailsEverywhereAsync(target, 6);

        Assert.Contains(
            $"error: Two C# files define the same class: 'MigrateSeed' is defined by {first}(1) and {copy}(2). A C# script's id is its class name and ids must be unique, so this is a duplicate id: rename the class in one of the files (or remove the file that is a leftover copy), then run again.",
            run.Err,
            StringComparison.Ordinal);
        Assert.DoesNotContain("CS0101", run.Err, StringComparison.Ordinal);
        await AssertUnchangedAsync(target, before);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_dependency_cycle_names_the_scripts_in_it(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var before = await ArrangeAsync(target);
        var a = target.Sql("20261119000000_a", "-- swap:after MigrateB\nSELECT 1;");
        var b = target.CSharp("20261120000000_B", "public sealed class MigrateB : Migration { public MigrateB() => ExecuteAfter(\"20261119000000_a\"); public override Task UpAsync(MigrationContext db) => Task.CompletedTask; }");

        var run = await FailsEverywhereAsync(target, 6);

        Assert.Contains("error: The migrations depend on each other in a cycle: 20261119000000_a -> MigrateB -> 20261119000000_a (each runs after the one before it).", run.Err, StringComparison.Ordinal);
        Assert.Contains($"Scripts involved: 20261119000000_a ({a}), MigrateB ({b}).", run.Err, StringComparison.Ordinal);
        await AssertUnchangedAsync(target, before);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task An_unknown_dependency_names_the_script_and_the_missing_id(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var before = await ArrangeAsync(target);
        var bad = target.CSharp("20261119000000_Orphan", "public sealed class MigrateOrphan : Migration { public MigrateOrphan() => ExecuteAfter(\"20261199000000_typo\"); public override Task UpAsync(MigrationContext db) => Task.CompletedTask; }");

        var run = await FailsEverywhereAsync(target, 6);

        Assert.Equal($"error: MigrateOrphan ({bad}) runs after '20261199000000_typo', but no migration has that id. Fix the name in ExecuteAfter / -- swap:after, or add the missing script.\n", run.Err);
        await AssertUnchangedAsync(target, before);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_changed_applied_script_stops_up_before_anything_runs(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var before = await ArrangeAsync(target);
        var basePath = Path.Combine(target.Folder, "migrations", "20261118000000_base.sql");
        File.AppendAllText(basePath, "CREATE INDEX base_name ON base (name);\n");

        var run = await SwapCli.RunAsync(target, "up");

        Assert.Equal(4, run.ExitCode);
        Assert.Contains($"error: 1 applied script(s) changed since they were applied: 20261118000000_base ({basePath}). Applied scripts must not be edited: restore them and put the new change in a new script. If the edit is cosmetic, run again with --allow-changed.", run.Err, StringComparison.Ordinal);
        await AssertUnchangedAsync(target, before);
        Assert.Equal(4, (await SwapCli.RunAsync(target, "validate")).ExitCode);
    }

    [Theory]
    [MemberData(nameof(EngineData.ServerEngines), MemberType = typeof(EngineData))]
    public async Task An_unreachable_server_is_a_connection_error(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var before = await ArrangeAsync(target);
        var url = DatabaseUrl.Parse(target.UrlText);
        var closedPort = target.UrlText.Replace($":{url.Port}/", ":1/", StringComparison.Ordinal);

        var run = await SwapCli.RunRawAsync(target.Folder, ["--db", closedPort, "up"]);

        Assert.Equal(5, run.ExitCode);
        Assert.Matches(@"^error: Could not connect to \w+://swap:\*\*\*@127\.0\.0\.1:1/\S+: the server cannot be reached( \(ConnectionRefused\))?\. Check the host and port, and that [\w/]+ is running\.\n$", run.Err);
        Assert.Equal(5, (await SwapCli.RunRawAsync(target.Folder, ["--db", closedPort, "status"])).ExitCode);
        await AssertUnchangedAsync(target, before);
    }

    [Fact]
    public async Task A_sqlite_file_in_a_missing_folder_is_a_connection_error()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        var before = await ArrangeAsync(target);
        var path = Path.Combine(target.Folder, "no-such-folder", "app.db");

        var run = await SwapCli.RunRawAsync(target.Folder, ["--db", "sqlite:" + path, "up"]);

        Assert.Equal(5, run.ExitCode);
        Assert.Equal($"error: The folder of the SQLite database {path} does not exist. Create it, or fix the path in --db or SWAP_DB.\n", run.Err);
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
        await AssertUnchangedAsync(target, before);
    }

    [Theory]
    [MemberData(nameof(EngineData.ServerEngines), MemberType = typeof(EngineData))]
    public async Task A_wrong_password_is_a_connection_error_that_shows_no_password(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var before = await ArrangeAsync(target);
        var password = TestServers.Password(engine)!;
        var wrong = target.UrlText.Replace(":" + password + "@", ":not-" + password + "@", StringComparison.Ordinal);

        var run = await SwapCli.RunRawAsync(target.Folder, ["--db", wrong, "up"]);

        Assert.Equal(5, run.ExitCode);
        Assert.Matches(@"^error: Could not connect to \w+://swap:\*\*\*@127\.0\.0\.1:\d+/\S+: the server refused the user name or password\. Check the credentials in --db or SWAP_DB\.\n$", run.Err);
        Assert.DoesNotContain(password, run.All, StringComparison.Ordinal);
        await AssertUnchangedAsync(target, before);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_held_lock_fails_fast_naming_the_holder(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var before = await ArrangeAsync(target);
        await using var holder = await RunLocks.HoldAsync(target);
        var display = (await SwapCli.RunAsync(target, "status")).OutLines[0].Split(": ")[0];

        var started = DateTime.UtcNow;
        var run = await SwapCli.RunAsync(target, "up");

        Assert.Equal(3, run.ExitCode);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.StartsWith($"error: Another swap run holds the migration lock on {display}: {Environment.UserName}@{Environment.MachineName} pid {Environment.ProcessId} since ", run.Err, StringComparison.Ordinal);
        Assert.EndsWith("Wait for it to finish, or pass --lock-timeout <duration> (for example 5m) to wait for it.\n", run.Err, StringComparison.Ordinal);
        if (engine == DatabaseEngine.PostgreSql)
            Assert.Contains("(PostgreSQL backend pid ", run.Err, StringComparison.Ordinal);
        Assert.Equal(3, (await SwapCli.RunAsync(target, "down")).ExitCode);
        Assert.Equal(3, (await SwapCli.RunAsync(target, "sync")).ExitCode);
        await AssertUnchangedAsync(target, before);
    }
}
