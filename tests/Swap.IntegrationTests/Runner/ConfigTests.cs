using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

public class ConfigTests
{
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task SWAP_DB_names_the_target_and_db_overrides_it(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");

        var fromEnv = await SwapCli.RunRawAsync(target.Folder, ["up"], new Dictionary<string, string> { ["SWAP_DB"] = target.UrlText });
        Assert.True(fromEnv.ExitCode == 0, fromEnv.ToString());
        Assert.Equal(["20261118000000_a"], await target.HistoryIdsAsync());

        var overridden = await SwapCli.RunRawAsync(target.Folder, ["--db", target.UrlText, "status"], new Dictionary<string, string> { ["SWAP_DB"] = "sqlite:/nonexistent/folder/x.db" });
        Assert.Equal(0, overridden.ExitCode);
        Assert.Contains("applied\t", overridden.Out, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Without_any_migrations_folder_every_verb_stops_with_exit_2_and_says_what_it_looked_for(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        var elsewhere = Directory.CreateTempSubdirectory("swap-cwd-").FullName;
        try
        {
            // cleanup works from the database's history and journal alone (MigrationCases.Cleanup_works_from_the_journal_without_the_migrations_at_hand).
            foreach (var verb in new[] { "status", "up", "down", "plan", "sync", "validate" })
            {
                var run = await SwapCli.RunRawAsync(elsewhere, ["--db", target.UrlText, verb]);
                Assert.True(run.ExitCode == 2, $"{verb}: {run}");
                Assert.Equal("", run.Out);
                Assert.Equal(
                    $"error: No migrations to work with. Looked for: --migrations or --assembly (none given), no swap.json in {elsewhere}, and a 'migrations' folder in {elsewhere} (none). Run swap from the folder that holds 'migrations', or pass --migrations <folder>.\n",
                    run.Err);
            }
            var cleanup = await SwapCli.RunRawAsync(elsewhere, ["--db", target.UrlText, "cleanup"]);
            Assert.True(cleanup.ExitCode == 0, cleanup.ToString());
            Assert.Equal("Nothing to clean up.\n", cleanup.Out);
            File.WriteAllText(Path.Combine(elsewhere, "swap.json"), $$"""{ "db": "{{target.UrlText}}" }""");
            var withConfig = await SwapCli.RunRawAsync(elsewhere, ["status"]);
            Assert.Equal(2, withConfig.ExitCode);
            Assert.Contains($"{Path.Combine(elsewhere, "swap.json")} lists no \"migrations\" or \"assemblies\"", withConfig.Err, StringComparison.Ordinal);
            Assert.Equal(["20261118000000_a"], await target.HistoryIdsAsync());
        }
        finally
        {
            Directory.Delete(elsewhere, true);
        }
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Swap_json_gives_db_module_folders_and_history_prefix(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.WriteFile("db/core/migrations/20261118000000_users.sql", "CREATE TABLE users (id INT NOT NULL PRIMARY KEY);");
        target.WriteFile("db/billing/migrations/20261119000000_invoices.sql", "CREATE TABLE invoices (id INT NOT NULL PRIMARY KEY);");
        var config = target.WriteFile("swap.json", $$"""
            {
              // comments and trailing commas are fine
              "db": "{{target.UrlText}}",
              "migrations": ["db/core", "db/billing",],
              "historyPrefix": "meta",
              "lockTimeout": "30s",
            }
            """);

        var up = await SwapCli.RunRawAsync(target.Folder, ["up"]);
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal(["invoices", "meta_history", "meta_journal", "meta_lock", "users"], await target.TablesAsync());
        Assert.Equal(["20261118000000_users", "20261119000000_invoices"], (await target.HistoryAsync("meta_history")).Select(h => h.ScriptId));
        Assert.Equal(["core", "billing"], (await target.HistoryAsync("meta_history")).Select(h => h.Module));

        // From anywhere, --config points at the file; its folders are relative to the file.
        var elsewhere = Directory.CreateTempSubdirectory("swap-cwd-").FullName;
        try
        {
            var status = await SwapCli.RunRawAsync(elsewhere, ["--config", config, "status"]);
            Assert.Equal(0, status.ExitCode);
            Assert.EndsWith(": 2 applied", status.OutLines[0], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(elsewhere, true);
        }
    }

    /// <summary>
    /// A relative SQLite path in swap.json is relative to the file, like its folders: from another folder, --config
    /// reaches the same database instead of a new one beside the working directory.
    /// </summary>
    [Fact]
    public async Task A_relative_sqlite_path_in_swap_json_is_relative_to_the_file()
    {
        var project = Directory.CreateTempSubdirectory("swap-project-").FullName;
        var elsewhere = Directory.CreateTempSubdirectory("swap-cwd-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(project, "data"));
            Directory.CreateDirectory(Path.Combine(project, "db", "migrations"));
            File.WriteAllText(Path.Combine(project, "db", "migrations", "20261118000000_users.sql"), "CREATE TABLE users (id INT NOT NULL PRIMARY KEY);\n");
            var config = Path.Combine(project, "swap.json");
            File.WriteAllText(config, """{ "db": "sqlite:data/app.db", "migrations": ["db"] }""");

            var up = await SwapCli.RunRawAsync(elsewhere, ["--config", config, "up"]);
            Assert.True(up.ExitCode == 0, up.ToString());
            var status = await SwapCli.RunRawAsync(elsewhere, ["--config", config, "status"]);
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.Equal($"sqlite:{Path.Combine(project, "data", "app.db")}: 1 applied", status.OutLines[0]);
            Assert.Equal(["data", "db", "swap.json"], Directory.GetFileSystemEntries(project).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Empty(Directory.GetFileSystemEntries(elsewhere));
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(project, "data", "app.db")};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT script_id FROM swap_history";
            Assert.Equal("20261118000000_users", await command.ExecuteScalarAsync());
        }
        finally
        {
            Directory.Delete(project, true);
            Directory.Delete(elsewhere, true);
        }
    }

    [Fact]
    public async Task Missing_or_broken_settings_are_usage_errors()
    {
        var empty = Directory.CreateTempSubdirectory("swap-cwd-").FullName;
        try
        {
            var noDb = await SwapCli.RunRawAsync(empty, ["status"]);
            Assert.Equal(2, noDb.ExitCode);
            Assert.Equal("error: No database given. Pass --db <url> (for example --db sqlite:app.db), set SWAP_DB, or put \"db\" in swap.json.\n", noDb.Err);

            var badUrl = await SwapCli.RunRawAsync(empty, ["--db", "oracle://u:topsecret@h/db", "status"]);
            Assert.Equal(2, badUrl.ExitCode);
            Assert.Contains("the scheme 'oracle' is not one of sqlite, mysql, mariadb, postgres, postgresql, pg.", badUrl.Err, StringComparison.Ordinal);
            Assert.DoesNotContain("topsecret", badUrl.All, StringComparison.Ordinal);

            var badOption = await SwapCli.RunRawAsync(empty, ["--db", "postgres://u:topsecret@h/db?sslmode=sometimes", "status"]);
            Assert.Equal(2, badOption.ExitCode);
            Assert.Contains("sslmode=sometimes is not one of", badOption.Err, StringComparison.Ordinal);
            Assert.DoesNotContain("topsecret", badOption.All, StringComparison.Ordinal);

            var noConfig = await SwapCli.RunRawAsync(empty, ["--config", "nope.json", "status"]);
            Assert.Equal(2, noConfig.ExitCode);
            Assert.Contains("The config file 'nope.json' does not exist.", noConfig.Err, StringComparison.Ordinal);

            var unknown = await SwapCli.RunRawAsync(empty, ["--db", "sqlite:x.db", "up", "--fast"]);
            Assert.Equal(2, unknown.ExitCode);
            Assert.Contains("Run 'swap --help' for usage.", unknown.Err, StringComparison.Ordinal);

            var badTimeout = await SwapCli.RunRawAsync(empty, ["--db", "sqlite:x.db", "--lock-timeout", "a while", "status"]);
            Assert.Equal(2, badTimeout.ExitCode);
            Assert.Contains("--lock-timeout 'a while' is not a duration", badTimeout.Err, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(empty, "x.db")));

            // The place of a JSON mistake is counted as editors count it (the parser counts from 0).
            File.WriteAllText(Path.Combine(empty, "swap.json"), "{\n  \"db\": \"sqlite:x.db\"\n  \"lockTimeout\": \"5s\"\n}\n");
            var badJson = await SwapCli.RunRawAsync(empty, ["status"]);
            Assert.Equal(2, badJson.ExitCode);
            Assert.Contains("swap.json is not valid JSON: ", badJson.Err, StringComparison.Ordinal);
            Assert.EndsWith(" (line 3, column 3).\n", badJson.Err, StringComparison.Ordinal);
            Assert.DoesNotContain("LineNumber", badJson.Err, StringComparison.Ordinal);
            File.Delete(Path.Combine(empty, "swap.json"));

            // Options that contradict each other are refused, not silently resolved one way.
            var loudAndQuiet = await SwapCli.RunRawAsync(empty, ["--db", "sqlite:x.db", "status", "--quiet", "--verbose"]);
            Assert.Equal(2, loudAndQuiet.ExitCode);
            Assert.Equal("error: --quiet and --verbose ask for opposite amounts of output; give one of them.\n", loudAndQuiet.Err);
            var chunkAboveMax = await SwapCli.RunRawAsync(empty, ["--db", "sqlite:x.db", "up", "-m", empty, "--chunk-size", "100", "--max-chunk-size", "10"]);
            Assert.Equal(2, chunkAboveMax.ExitCode);
            Assert.Equal("error: --chunk-size 100 is above --max-chunk-size 10: a chunk never grows past the largest size, so start at or below it.\n", chunkAboveMax.Err);
            Assert.False(File.Exists(Path.Combine(empty, "x.db")));

            // A misspelt key would fall back to its default (a misspelt historyPrefix: a second history).
            File.WriteAllText(Path.Combine(empty, "swap.json"), "{ \"db\": \"sqlite:x.db\", \"histroyPrefix\": \"hx\" }");
            var misspelt = await SwapCli.RunRawAsync(empty, ["status"]);
            Assert.Equal(2, misspelt.ExitCode);
            Assert.Contains("swap.json: unknown key \"histroyPrefix\" (did you mean \"historyPrefix\"?). The keys are \"db\", \"migrations\", \"assemblies\", \"historyPrefix\", \"lockTimeout\", \"placeholders\"; nothing was run.", misspelt.Err, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(empty, "x.db")));

            // A value of the wrong shape is named with the shape it needs, not .NET's type names.
            File.WriteAllText(Path.Combine(empty, "swap.json"), "{ \"db\": \"sqlite:x.db\", \"migrations\": \"modules/billing\" }");
            var notAList = await SwapCli.RunRawAsync(empty, ["status"]);
            Assert.Equal(2, notAList.ExitCode);
            Assert.Equal("error: " + Path.Combine(empty, "swap.json") + ": \"migrations\" must be a list of folders, like [\"migrations\"], not \"modules/billing\"; nothing was run.\n", notAList.Err);
            File.WriteAllText(Path.Combine(empty, "swap.json"), "{ \"db\": \"sqlite:x.db\", \"placeholders\": { \"schema\": 1 } }");
            var notAString = await SwapCli.RunRawAsync(empty, ["status"]);
            Assert.Equal(2, notAString.ExitCode);
            Assert.Contains(": \"placeholders\" must be an object of string values, like { \"schema\": \"app\" }, not { \"schema\": 1 }; nothing was run.", notAString.Err, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(empty, "x.db")));

            File.WriteAllText(Path.Combine(empty, "swap.json"), "{ \"db\": \"sqlite:x.db\", \"lockTimeout\": \"5 min\" }");
            var badFileTimeout = await SwapCli.RunRawAsync(empty, ["status"]);
            Assert.Equal(2, badFileTimeout.ExitCode);
            Assert.Contains("\"lockTimeout\" in " + Path.Combine(empty, "swap.json") + ": '5 min' is not a duration", badFileTimeout.Err, StringComparison.Ordinal);

            // A plain number of seconds is a duration too.
            Directory.CreateDirectory(Path.Combine(empty, "migrations"));
            File.WriteAllText(Path.Combine(empty, "swap.json"), "{ \"db\": \"sqlite:x.db\", \"lockTimeout\": 90 }");
            var seconds = await SwapCli.RunRawAsync(empty, ["status"]);
            Assert.True(seconds.ExitCode == 0, seconds.ToString());
        }
        finally
        {
            Directory.Delete(empty, true);
        }
    }

    [Theory]
    [MemberData(nameof(EngineData.ServerEngines), MemberType = typeof(EngineData))]
    public async Task The_password_never_appears_in_output_of_failing_or_verbose_runs(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var password = TestServers.Password(engine)!;
        Assert.Contains(password, target.UrlText, StringComparison.Ordinal);
        target.Sql("20261118000000_broken", "CREATE TABLE a (id INT NOT NULL PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);");

        var runs = new List<CliRun>
        {
            await SwapCli.RunAsync(target, "up", "--verbose"),
            await SwapCli.RunAsync(target, "status", "--verbose"),
            await SwapCli.RunAsync(target, "status", "--json"),
            await SwapCli.RunAsync(target, "plan", "--verbose"),
            await SwapCli.RunAsync(target, "validate"),
        };
        var wrong = target.UrlText.Replace(password, "Wr0ng-" + password[..4], StringComparison.Ordinal);
        runs.Add(await SwapCli.RunRawAsync(target.Folder, ["--db", wrong, "up", "--verbose"]));

        Assert.Equal([1, 0, 0, 0, 0, 5], runs.Select(r => r.ExitCode));
        Assert.Contains("no_such_table", runs[0].Err, StringComparison.Ordinal);
        Assert.Contains("the server refused the user name or password", runs[5].Err, StringComparison.Ordinal);
        Assert.All(runs, r =>
        {
            Assert.DoesNotContain(password, r.All, StringComparison.Ordinal);
            Assert.DoesNotContain("Wr0ng-", r.All, StringComparison.Ordinal);
        });
    }
}
