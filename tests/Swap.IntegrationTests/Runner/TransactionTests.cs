using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

public class TransactionTests
{
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_script_failing_half_way_is_marked_failed_and_a_fixed_script_then_applies(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var file = target.Sql("20261118000000_half", """
            CREATE TABLE half (id INT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL);
            INSERT INTO half (id, name) VALUES (1, 'one');
            INSERT INTO half (id, name) VALUES (1, 'duplicate key');
            """);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: 20261118000000_half: 20261118000000_half.sql(3): INSERT INTO half (id, name) VALUES (1, 'duplicate key') failed: ", run.Err, StringComparison.Ordinal);
        var row = Assert.Single(await target.HistoryAsync());
        Assert.Equal("failed", row.Status);
        Assert.Contains("20261118000000_half.sql(3)", row.Error, StringComparison.Ordinal);
        var status = await SwapCli.RunAsync(target, "status");
        if (!EngineTraits.RunsScriptsInOneTransaction(engine))
        {
            // DDL commits on MySQL: the first two statements stay done, journaled, and the rest resumes.
            Assert.Contains("half", await target.TablesAsync());
            Assert.Contains("failed after 2 journaled step(s); 'swap up' resumes it", status.Out, StringComparison.Ordinal);
        }
        else
        {
            // One transaction: nothing of the script is left.
            Assert.DoesNotContain("half", await target.TablesAsync());
            Assert.Contains("failed; 'swap up' retries it: ", status.Out, StringComparison.Ordinal);
            Assert.Equal(0, await target.JournalCountAsync());
        }

        File.WriteAllText(file, File.ReadAllText(file).Replace("(1, 'duplicate key')", "(2, 'two')", StringComparison.Ordinal));
        var retry = await SwapCli.RunAsync(target, "up");
        Assert.True(retry.ExitCode == 0, retry.ToString());
        Assert.Equal(["1=one", "2=two"], await target.ColumnAsync("SELECT " + Scripts.Concat(engine, "id", "'='", "name") + " FROM half ORDER BY id"));
        var applied = Assert.Single(await target.HistoryAsync());
        Assert.Equal(("applied", (string?)null), (applied.Status, applied.Error));
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_ddl_statement_the_server_refused_may_be_fixed_and_the_script_resumes_at_it(DatabaseEngine engine)
    {
        // On MySQL a DDL statement is a step journaled 'started' before it runs (it cannot share a
        // transaction with its journal row). A syntax error means it never ran, so fixing that
        // statement, the obvious next move, must not be refused as an edit of an interrupted step.
        await using var target = await TestTarget.CreateAsync(engine);
        var file = target.Sql("20261118000000_flags", """
            -- swap:no-transaction
            CREATE TABLE flags (id INT NOT NULL PRIMARY KEY, flag VARCHAR(20) NOT NULL);
            INSERT INTO flags (id, flag) VALUES (1, 'rush');
            ALTER TABLE flags ADD COLUMN note VARCHAR(50) NOT NULL DEFAULT;
            INSERT INTO flags (id, flag) VALUES (2, 'gift');
            """);

        var failed = await SwapCli.RunAsync(target, "up");

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("20261118000000_flags.sql(4): ALTER TABLE flags ADD COLUMN note VARCHAR(50) NOT NULL DEFAULT failed: ", failed.Err, StringComparison.Ordinal);
        Assert.Equal(2, await target.JournalCountAsync());
        Assert.Contains("failed after 2 journaled step(s); 'swap up' resumes it", (await SwapCli.RunAsync(target, "status")).Out, StringComparison.Ordinal);

        File.WriteAllText(file, File.ReadAllText(file).Replace("DEFAULT;", "DEFAULT 'none';", StringComparison.Ordinal));
        var fixedRun = await SwapCli.RunAsync(target, "up");

        Assert.True(fixedRun.ExitCode == 0, fixedRun.ToString());
        Assert.Matches(@"^applied\t20261118000000_flags\t.+\tresumed after 2 step\(s\)$", fixedRun.OutLines[0]);
        Assert.Equal(["1=rush=none", "2=gift=none"], await target.ColumnAsync("SELECT " + Scripts.Concat(engine, "id", "'='", "flag", "'='", "note") + " FROM flags ORDER BY id"));
        Assert.Equal(0, await target.JournalCountAsync());
        Assert.Equal("applied", Assert.Single(await target.HistoryAsync()).Status);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_no_transaction_sql_script_resumes_after_its_last_journaled_statement(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.Sql("20261118000000_steps", """
            -- swap:no-transaction
            CREATE TABLE audit (id INT NOT NULL PRIMARY KEY);
            INSERT INTO audit (id) VALUES (1);
            INSERT INTO copied (id) SELECT id FROM audit;
            """);

        var first = await SwapCli.RunAsync(target, "up");

        Assert.Equal(1, first.ExitCode);
        Assert.Contains("20261118000000_steps.sql(4): INSERT INTO copied (id) SELECT id FROM audit failed", first.Err, StringComparison.Ordinal);
        Assert.Equal(1, await target.CountAsync("audit"));
        Assert.Equal(2, await target.JournalCountAsync());
        var status = await SwapCli.RunAsync(target, "status");
        Assert.Contains("failed after 2 journaled step(s); 'swap up' resumes it", status.Out, StringComparison.Ordinal);

        // What the failing statement needed now exists. Re-running statement 1 or 2 would fail
        // (table exists, duplicate key), so success proves the run resumed at statement 3.
        await target.ExecuteAsync("CREATE TABLE copied (id INT NOT NULL PRIMARY KEY)");
        var second = await SwapCli.RunAsync(target, "up");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Matches(@"^applied\t20261118000000_steps\t.+\tresumed after 2 step\(s\)$", second.OutLines[0]);
        Assert.Equal(1, await target.CountAsync("audit"));
        Assert.Equal(1, await target.CountAsync("copied"));
        Assert.Equal(0, await target.JournalCountAsync());
        Assert.Equal("applied", Assert.Single(await target.HistoryAsync()).Status);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Editing_a_done_statement_of_an_interrupted_script_is_refused_until_it_is_restored(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        const string original = "-- swap:no-transaction\nCREATE TABLE audit (id INT NOT NULL PRIMARY KEY);\nINSERT INTO copied (id) VALUES (1);\n";
        var file = target.Sql("20261118000000_steps", original);
        Assert.Equal(1, (await SwapCli.RunAsync(target, "up")).ExitCode);
        await target.ExecuteAsync("CREATE TABLE copied (id INT NOT NULL PRIMARY KEY)");

        File.WriteAllText(file, original.Replace("audit (id INT", "audit (id BIGINT", StringComparison.Ordinal));
        var edited = await SwapCli.RunAsync(target, "up");

        Assert.Equal(6, edited.ExitCode);
        Assert.Contains("error: 20261118000000_steps changed since its interrupted run: step 1 was recorded as '20261118000000_steps.sql(2): CREATE TABLE audit (id INT NOT NULL PRIMARY KEY)' but the script now asks for '20261118000000_steps.sql(2): CREATE TABLE audit (id BIGINT NOT NULL PRIMARY KEY)'. Restore the script as it was and run 'swap up' to finish it", edited.Err, StringComparison.Ordinal);
        Assert.Equal(0, await target.CountAsync("copied"));

        File.WriteAllText(file, original);
        var restored = await SwapCli.RunAsync(target, "up");
        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.Equal(1, await target.CountAsync("copied"));
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_no_transaction_csharp_script_resumes_and_repeats_no_completed_statement(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await target.ExecuteAsync("CREATE TABLE counter (id INT NOT NULL PRIMARY KEY, n INT NOT NULL)");
        await target.ExecuteAsync("INSERT INTO counter (id, n) VALUES (1, 0)");
        target.CSharp("20261118000000_Steps", """
            public sealed class MigrateSteps : Migration
            {
                public MigrateSteps() => NoTransaction();

                public override async Task UpAsync(MigrationContext db)
                {
                    await db.ExecuteAsync("UPDATE counter SET n = n + @by WHERE id = @id", new { by = 1, id = 1 });
                    var n = await db.ScalarAsync<int>("SELECT n FROM counter WHERE id = 1");
                    await db.ExecuteAsync("UPDATE counter SET n = n + @by WHERE id = @id", new { by = 10, id = 1 });
                    await db.ExecuteAsync("INSERT INTO seen (n) VALUES (@n)", new { n });
                }
            }
            """);

        Assert.Equal(1, (await SwapCli.RunAsync(target, "up")).ExitCode);
        Assert.Equal(["11"], await target.ColumnAsync("SELECT n FROM counter"));

        await target.ExecuteAsync("CREATE TABLE seen (n INT NOT NULL)");
        var second = await SwapCli.RunAsync(target, "up");

        Assert.True(second.ExitCode == 0, second.ToString());
        // The two updates ran once each; the read between them is not journaled, so it read again (11).
        Assert.Equal(["11"], await target.ColumnAsync("SELECT n FROM counter"));
        Assert.Equal(["11"], await target.ColumnAsync("SELECT n FROM seen"));
        Assert.Contains("resumed after 2 step(s)", second.Out, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Cancelling_a_run_exits_130_rolls_back_the_script_and_the_next_up_applies_it(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        var gate = new Gate(target.Folder);
        target.CSharp("20261119000000_Slow", gate.Script("MigrateSlow", "INSERT INTO a (id, name) VALUES (1, 'x')"));
        using var cts = new CancellationTokenSource();
        var running = SwapCli.Start(target, ["up"], cts.Token);
        await gate.WaitStartedAsync(diagnostics: () => running.Err.Text);

        await cts.CancelAsync();
        var run = await running.Completion;

        Assert.Equal(130, run.ExitCode);
        Assert.Contains(EngineTraits.RunsScriptsInOneTransaction(engine)
            ? "Interrupted MigrateSlow: nothing of it is left done, and 'swap up' runs it again from the start."
            : "Interrupted MigrateSlow: 'swap up' resumes it after 1 journaled step(s).", run.Err, StringComparison.Ordinal);
        var history = await target.HistoryAsync();
        Assert.Equal([("20261118000000_a", "applied", (string?)null), ("MigrateSlow", "failed", "cancelled")], history.Select(h => (h.ScriptId, h.Status, h.Error)));
        if (EngineTraits.RunsScriptsInOneTransaction(engine))
            Assert.Equal(0, await target.CountAsync("a"));

        gate.Open();
        var again = await SwapCli.RunAsync(target, "up");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(1, await target.CountAsync("a"));
        Assert.Equal(["20261118000000_a", "MigrateSlow"], await target.HistoryIdsAsync());
    }

    [Fact]
    public async Task Postgres_statements_that_refuse_a_transaction_say_how_to_opt_out_and_then_run()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        target.CreateTable("20261118000000_a", "a");
        var index = target.Sql("20261119000000_index", "CREATE INDEX CONCURRENTLY a_name ON a (name);");

        var refused = await SwapCli.RunAsync(target, "up");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("25001: CREATE INDEX CONCURRENTLY cannot run inside a transaction block", refused.Err, StringComparison.Ordinal);
        Assert.Contains("add '-- swap:no-transaction' to the SQL script, or call NoTransaction() in the C# script's constructor.", refused.Err, StringComparison.Ordinal);

        File.WriteAllText(index, "-- swap:no-transaction\n" + File.ReadAllText(index));
        var run = await SwapCli.RunAsync(target, "up");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["a_name"], await target.ColumnAsync("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'a_name'"));
    }
}
