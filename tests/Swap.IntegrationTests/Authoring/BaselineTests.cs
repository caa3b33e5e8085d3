using System.Text.Json;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Authoring;

public class BaselineTests
{
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Baseline_records_scripts_up_to_the_target_as_applied_without_running_them(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        // The database already has what the first two scripts create (made by hand, with a row).
        await target.ExecuteAsync("CREATE TABLE users (id INT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL)");
        await target.ExecuteAsync("INSERT INTO users (id, name) VALUES (1, 'kept')");
        await target.ExecuteAsync("CREATE TABLE roles (id INT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL)");
        target.CreateTable("20261118000000_users", "users");
        target.CreateTable("20261119000000_roles", "roles");
        target.CreateTable("20261120000000_orders", "orders");

        var dry = await SwapCli.RunAsync(target, "baseline", "--to", "20261119000000_roles", "--dry-run");
        Assert.Equal(0, dry.ExitCode);
        Assert.Equal(["would record\t20261118000000_users", "would record\t20261119000000_roles", "Would record 2 script(s) as applied without running them."], dry.OutLines);
        // A dry run on a database new to Swap leaves it so: not even the lock's table stays.
        Assert.Equal(["roles", "users"], await target.TablesAsync());

        var run = await SwapCli.RunAsync(target, "baseline", "--to", "20261119000000_roles");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["baselined\t20261118000000_users", "baselined\t20261119000000_roles", "Recorded 2 script(s) as applied without running them, as batch 1."], run.OutLines);
        var history = await target.HistoryAsync();
        Assert.Equal([("20261118000000_users", 1L, 1L, "applied"), ("20261119000000_roles", 1L, 2L, "applied")], history.Select(h => (h.ScriptId, h.Batch, h.ApplyOrder, h.Status)));
        Assert.All(history, h => Assert.Null(h.DurationMs));
        Assert.Equal(["kept"], await target.ColumnAsync("SELECT name FROM users"));

        var status = await SwapCli.RunAsync(target, "status", "--json");
        using var json = JsonDocument.Parse(status.Out);
        var first = json.RootElement.GetProperty("scripts")[0];
        Assert.Equal("baselined: recorded as applied by 'swap baseline', never run here", first.GetProperty("note").GetString());
        Assert.Equal("20261120000000_orders", json.RootElement.GetProperty("next").GetString());

        // 'up' then runs only what comes after the baseline.
        var up = await SwapCli.RunAsync(target, "up");
        Assert.Equal(0, up.ExitCode);
        Assert.Equal(["20261118000000_users", "20261119000000_roles", "20261120000000_orders"], await target.HistoryIdsAsync());
        Assert.Equal(2L, (await target.HistoryAsync())[2].Batch);

        var again = await SwapCli.RunAsync(target, "baseline", "--to", "20261118000000_users");
        Assert.Equal(7, again.ExitCode);
        Assert.Contains("error: Cannot baseline to 20261118000000_users: the history already has 2 script(s) after it: 20261119000000_roles (applied), 20261120000000_orders (applied).", again.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Baseline_of_a_sqlite_file_that_does_not_exist_is_refused_and_creates_nothing()
    {
        var folder = Directory.CreateTempSubdirectory("swap-baseline-missing-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "migrations"));
            File.WriteAllText(Path.Combine(folder, "migrations", "20261118000000_a.sql"), "CREATE TABLE a (id INTEGER PRIMARY KEY);\n");
            var db = Path.Combine(folder, "typo.db");

            var run = await SwapCli.RunRawAsync(folder, ["baseline", "--to", "20261118000000_a", "--db", "sqlite://" + db]);

            Assert.Equal(5, run.ExitCode);
            Assert.Contains($"error: sqlite:{db} does not exist, so there is nothing to baseline: baseline records scripts as applied to a database that already has their schema. Check the path in --db or SWAP_DB; nothing was written.", run.Err, StringComparison.Ordinal);
            Assert.Empty(run.Out);
            Assert.Equal(["migrations"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));

            // The dry run says the same, rather than "would record" what the real run refuses.
            var dry = await SwapCli.RunRawAsync(folder, ["baseline", "--to", "20261118000000_a", "--dry-run", "--db", "sqlite://" + db]);
            Assert.Equal(5, dry.ExitCode);
            Assert.Contains($"error: sqlite:{db} does not exist, so there is nothing to baseline:", dry.Err, StringComparison.Ordinal);
            Assert.Empty(dry.Out);
            Assert.Equal(["migrations"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Baseline_past_an_unwritten_stub_is_refused_naming_the_file_as_up_does(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await target.ExecuteAsync("CREATE TABLE users (id INT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL)");
        target.CreateTable("20261118000000_users", "users");
        // As 'swap create --sql' writes it: comments only.
        var stub = target.Sql("20261119000000_add_stock", "-- add stock\n-- Statements end with ';'.\n\n-- swap:down\n-- Statements that undo the change.\n");
        target.CreateTable("20261120000000_orders", "orders");
        var refusal = $"error: {stub}(1): the SQL migration 20261119000000_add_stock has no statements in its up section yet (a stub from 'swap create' holds only comments), so it cannot be recorded as applied: baseline records scripts whose changes this database already has. Write its statements (or delete the file if it is not needed), or baseline --to a script before it; nothing was recorded.\n";

        foreach (var dryRun in new[] { true, false })
        {
            var run = await SwapCli.RunAsync(target, dryRun ? ["baseline", "--to", "20261120000000_orders", "--dry-run"] : ["baseline", "--to", "20261120000000_orders"]);

            Assert.True(run.ExitCode == 6, run.ToString());
            Assert.EndsWith(refusal, run.Err, StringComparison.Ordinal);
            Assert.Empty(run.Out);
            // The database was new to Swap and stays so: no history, journal or lock table.
            Assert.Equal(["users"], await target.TablesAsync());
        }
        // 'up' refuses the stub with the same exit code.
        var up = await SwapCli.RunAsync(target, "up");
        Assert.True(up.ExitCode == 6, up.ToString());
        Assert.Contains($"error: {stub}(1): the SQL migration 20261119000000_add_stock has no statements in its up section yet", up.Err, StringComparison.Ordinal);

        // Up to a script before the stub works; past it, the history stays as it was.
        Assert.Equal(0, (await SwapCli.RunAsync(target, "baseline", "--to", "20261118000000_users")).ExitCode);
        var history = await target.HistoryAsync();
        var again = await SwapCli.RunAsync(target, "baseline", "--to", "20261120000000_orders");
        Assert.True(again.ExitCode == 6, again.ToString());
        Assert.EndsWith(refusal, again.Err, StringComparison.Ordinal);
        Assert.Equal(history, await target.HistoryAsync());

        // Once written (and already in the database), it is recorded like any other.
        target.Sql("20261119000000_add_stock", "ALTER TABLE users ADD stock INT NULL;\n");
        var written = await SwapCli.RunAsync(target, "baseline", "--to", "20261120000000_orders");
        Assert.True(written.ExitCode == 0, written.ToString());
        Assert.Equal(["20261118000000_users", "20261119000000_add_stock", "20261120000000_orders"], await target.HistoryIdsAsync());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Bad_baseline_targets_are_refused_and_leave_the_history_untouched(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        target.Sql("20261119000000_broken", "INSERT INTO a (id, name) VALUES (1, 'x');\nINSERT INTO a (id, name) VALUES (1, 'duplicate');\n");
        target.CreateTable("20261120000000_c", "c");
        await target.ExecuteAsync("CREATE TABLE existing (id INT NOT NULL PRIMARY KEY)");

        var unknown = await SwapCli.RunAsync(target, "baseline", "--to", "20261118000000_typo");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("error: --to '20261118000000_typo' is not a known script id. Run 'swap status' to list the ids.", unknown.Err, StringComparison.Ordinal);
        var missing = await SwapCli.RunAsync(target, "baseline");
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal(["existing"], await target.TablesAsync());

        Assert.Equal(1, (await SwapCli.RunAsync(target, "up")).ExitCode);
        var before = await target.HistoryAsync();
        var failed = await SwapCli.RunAsync(target, "baseline", "--to", "20261120000000_c");
        Assert.Equal(7, failed.ExitCode);
        Assert.Contains("error: Cannot baseline to 20261120000000_c: 20261119000000_broken (failed) started here and did not finish; nothing was recorded.", failed.Err, StringComparison.Ordinal);
        Assert.Equal(before, await target.HistoryAsync());
    }
}
