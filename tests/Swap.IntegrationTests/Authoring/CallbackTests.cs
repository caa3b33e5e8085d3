using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Authoring;

public class CallbackTests
{
    private static string Record(string what) =>
        $"INSERT INTO events (seq, what, script) SELECT COALESCE(MAX(seq), 0) + 1, '{what}', @script_id FROM events;\n";

    private const string CsCallback = """
        public sealed class AuditCallback : IMigrationCallback
        {
            public Task AfterEachAsync(MigrationContext db) =>
                db.ExecuteAsync("INSERT INTO events (seq, what, script) SELECT COALESCE(MAX(seq), 0) + 1, 'cs-afterEach', @id FROM events", new { id = db.ScriptId });
        }
        """;

    /// <summary>Every callback appends (what, script id) to events, which beforeMigrate creates.</summary>
    private static void WriteCallbacks(TestTarget target)
    {
        target.WriteFile("migrations/beforeMigrate.sql", "CREATE TABLE IF NOT EXISTS events (seq INT NOT NULL PRIMARY KEY, what VARCHAR(40) NOT NULL, script VARCHAR(100) NOT NULL);\n" + Record("beforeMigrate"));
        target.WriteFile("migrations/beforeEach.sql", Record("beforeEach"));
        target.WriteFile("migrations/afterEach.sql", Record("afterEach"));
        target.WriteFile("migrations/afterMigrate.sql", Record("afterMigrate"));
        target.CSharp("AuditCallback", CsCallback);
    }

    private static async Task<List<string>> EventsAsync(TestTarget target) =>
        (await target.QueryAsync("SELECT what, script FROM events ORDER BY seq")).Select(r => r.String("what") + " " + r.String("script")).ToList();

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Callbacks_run_around_each_script_and_the_run_in_order_with_the_script_id(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        WriteCallbacks(target);
        target.Sql("20261118000000_a", "CREATE TABLE ${table} (id INT NOT NULL PRIMARY KEY);\n-- swap:down\nDROP TABLE ${table};\n");
        target.CreateTable("20261119000000_b", "b");

        var run = await SwapCli.RunAsync(target, "up", "--placeholder", "table=things");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
            [
                "beforeMigrate beforeMigrate",
                "beforeEach 20261118000000_a", "afterEach 20261118000000_a", "cs-afterEach 20261118000000_a",
                "beforeEach 20261119000000_b", "afterEach 20261119000000_b", "cs-afterEach 20261119000000_b",
                "afterMigrate afterMigrate",
            ],
            await EventsAsync(target));
        Assert.Contains("things", await target.TablesAsync());
        Assert.Equal(["20261118000000_a", "20261119000000_b"], await target.HistoryIdsAsync());

        // Nothing pending: no callback runs.
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up", "--placeholder", "table=things")).ExitCode);
        Assert.Equal(8, (await EventsAsync(target)).Count);

        // plan shows the callbacks' statements: beforeMigrate, beforeEach, afterEach, the C# afterEach, afterMigrate.
        target.CreateTable("20261120000000_c", "c");
        var plan = await SwapCli.RunAsync(target, "plan", "--placeholder", "table=things");
        Assert.Equal(0, plan.ExitCode);
        Assert.Equal(
            ["== beforeMigrate (callback, one transaction)", $"== 20261120000000_c ({Path.GetFileName(target.Folder)}, {EngineTraits.DefaultMode(engine)})", "== afterMigrate (callback, one transaction)"],
            plan.OutLines.Where(l => l.StartsWith("==", StringComparison.Ordinal)));
        Assert.Equal(5, plan.OutLines.Count(l => l.StartsWith("INSERT INTO events", StringComparison.Ordinal)));
    }

    /// <summary>
    /// A C# callback with only AfterEachAsync (the docs' AuditCallback) adds its statement to each script's plan and
    /// no empty beforeMigrate or afterMigrate entry around them.
    /// </summary>
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Plan_shows_no_run_callback_entry_for_a_callback_that_sends_nothing_then(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CSharp("AuditCallback", CsCallback);
        target.CreateTable("20261120000000_c", "c");

        var plan = await SwapCli.RunAsync(target, "plan");

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Equal(
            [$"== 20261120000000_c ({Path.GetFileName(target.Folder)}, {EngineTraits.DefaultMode(engine)})"],
            plan.OutLines.Where(l => l.StartsWith("==", StringComparison.Ordinal)));
        Assert.Single(plan.OutLines, l => l.StartsWith("INSERT INTO events", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_failing_each_callback_fails_its_script_like_a_failing_statement(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        WriteCallbacks(target);
        target.CSharp("Refuse", """
            public sealed class RefuseB : IMigrationCallback
            {
                public Task AfterEachAsync(MigrationContext db) =>
                    db.ScriptId == "20261119000000_b" ? throw new InvalidOperationException("no b today") : Task.CompletedTask;
            }
            """);
        target.CreateTable("20261118000000_a", "a");
        target.CreateTable("20261119000000_b", "b");

        var run = await SwapCli.RunAsync(target, "up");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: 20261119000000_b: the AfterEach callback RefuseB threw InvalidOperationException: no b today", run.Err, StringComparison.Ordinal);
        var history = await target.HistoryAsync();
        Assert.Equal([("20261118000000_a", "applied"), ("20261119000000_b", "failed")], history.Select(h => (h.ScriptId, h.Status)));
        Assert.Contains("no b today", history[1].Error, StringComparison.Ordinal);
        if (EngineTraits.RunsScriptsInOneTransaction(engine))
        {
            // The script and its callbacks were one transaction: nothing of b remains, and no afterMigrate ran.
            Assert.DoesNotContain("b", await target.TablesAsync());
            Assert.Equal(["beforeMigrate beforeMigrate", "beforeEach 20261118000000_a", "afterEach 20261118000000_a", "cs-afterEach 20261118000000_a"], await EventsAsync(target));
        }
        else
        {
            // Journaled steps: b's done steps stay, and 'up' resumes after them.
            Assert.Equal(["beforeMigrate beforeMigrate", "beforeEach 20261118000000_a", "afterEach 20261118000000_a", "cs-afterEach 20261118000000_a", "beforeEach 20261119000000_b", "afterEach 20261119000000_b", "cs-afterEach 20261119000000_b"], await EventsAsync(target));
        }
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_failing_beforeMigrate_stops_the_run_before_any_script(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.WriteFile("migrations/beforeMigrate.sql", "INSERT INTO no_such_table (id) VALUES (1);\n");
        target.CreateTable("20261118000000_a", "a");

        var run = await SwapCli.RunAsync(target, "up");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: The beforeMigrate callback failed, so the run stopped before any script ran: ", run.Err, StringComparison.Ordinal);
        Assert.Contains("beforeMigrate.sql(1): INSERT INTO no_such_table (id) VALUES (1)", run.Err, StringComparison.Ordinal);
        Assert.Empty(await target.HistoryAsync());
        Assert.DoesNotContain("a", await target.TablesAsync());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Placeholders_come_from_swap_json_and_the_command_line_and_an_undefined_one_stops_everything(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var script = target.Sql("20261118000000_a", "CREATE TABLE ${prefix}_users (id INT NOT NULL PRIMARY KEY);\nINSERT INTO ${prefix}_users (id) VALUES (${first});\n");

        var undefined = await SwapCli.RunAsync(target, "up", "--placeholder", "prefix=app");
        Assert.Equal(2, undefined.ExitCode);
        Assert.Contains($"error: {script}(2): the placeholder ${{first}} has no value; nothing was run. Give it in swap.json (\"placeholders\": {{ \"first\": \"...\" }}) or with --placeholder first=<value>. Defined placeholders: prefix.", undefined.Err, StringComparison.Ordinal);
        Assert.Equal(2, (await SwapCli.RunAsync(target, "plan")).ExitCode);
        Assert.Empty(await target.TablesAsync());

        var malformed = await SwapCli.RunAsync(target, "up", "--placeholder", "prefix");
        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains("error: --placeholder 'prefix' is not name=value", malformed.Err, StringComparison.Ordinal);

        target.WriteFile("swap.json", """{ "placeholders": { "prefix": "json", "first": "7" } }""");
        var run = await SwapCli.RunAsync(target, "up", "--placeholder", "prefix=cli");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["7"], await target.ColumnAsync("SELECT id FROM cli_users"));
        Assert.DoesNotContain("json_users", await target.TablesAsync());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Two_sql_callbacks_for_one_event_are_refused(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var users = target.WriteFile("modules/users/migrations/beforeEach.sql", "SELECT 1;\n");
        var billing = target.WriteFile("modules/billing/migrations/BeforeEach.sql", "SELECT 2;\n");
        target.WriteFile("modules/users/migrations/20261118000000_a.sql", "CREATE TABLE a (id INT NOT NULL PRIMARY KEY);\n");

        var run = await SwapCli.RunAsync(target, "-m", "modules/users", "-m", "modules/billing", "up");

        Assert.Equal(6, run.ExitCode);
        Assert.Contains($"error: Two beforeEach.sql callbacks: {users} and {billing}. A run has one SQL callback per event; merge them into one file.", run.Err, StringComparison.Ordinal);
        Assert.Empty(await target.TablesAsync());
    }
}
