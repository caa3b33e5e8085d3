using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

public class DownTests
{
    private const string RevertibleCSharp = """
        public sealed class MigrateSeed : Migration
        {
            public MigrateSeed() => ExecuteAfter("20261118000000_a");
            public override Task UpAsync(MigrationContext db) => db.ExecuteAsync("INSERT INTO a (id, name) VALUES (@id, @name)", new { id = 7, name = "seeded" });
            public override Task DownAsync(MigrationContext db) => db.ExecuteAsync("DELETE FROM a WHERE id = @id", new { id = 7 });
        }
        """;

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Down_reverts_the_newest_scripts_first_and_removes_their_history(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        target.CSharp("20261119000000_Seed", RevertibleCSharp);
        target.CreateTable("20261120000000_c", "c");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);

        var one = await SwapCli.RunAsync(target, "down");
        Assert.Equal(0, one.ExitCode);
        Assert.Matches(@"^reverted\t20261120000000_c\t", one.OutLines[0]);
        Assert.Equal("Reverted 1 script(s).", one.OutLines[^1]);
        Assert.DoesNotContain("c", await target.TablesAsync());
        Assert.Equal(["20261118000000_a", "MigrateSeed"], await target.HistoryIdsAsync());

        var two = await SwapCli.RunAsync(target, "down", "2");
        Assert.Equal(0, two.ExitCode);
        Assert.Equal(["reverted\tMigrateSeed", "reverted\t20261118000000_a"], two.OutLines[..2].Select(l => string.Join('\t', l.Split('\t')[..2])));
        Assert.Equal(["swap_history", "swap_journal", "swap_lock"], await target.TablesAsync());
        Assert.Empty(await target.HistoryAsync());

        var nothing = await SwapCli.RunAsync(target, "down");
        Assert.Equal(0, nothing.ExitCode);
        Assert.Equal(["Nothing to revert: no script is applied."], nothing.OutLines);
        // With nothing applied, a batch has nothing to revert either (exit 0, as docs/cli.md says).
        var batch = await SwapCli.RunAsync(target, "down", "--batch", "3");
        Assert.Equal(0, batch.ExitCode);
        Assert.Equal(["Nothing to revert: no script is applied."], batch.OutLines);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Down_of_a_script_changed_since_it_was_applied_warns_and_runs_the_down_it_has_now(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        target.CSharp("20261119000000_Seed", RevertibleCSharp);
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        target.CSharp("20261119000000_Seed", RevertibleCSharp.Replace("DELETE FROM a WHERE id = @id", "DELETE FROM a WHERE id = @id OR id = 8", StringComparison.Ordinal));
        await target.ExecuteAsync("INSERT INTO a (id, name) VALUES (8, 'by hand')");

        var down = await SwapCli.RunAsync(target, "down");

        Assert.Equal(0, down.ExitCode);
        Assert.Matches(@"warn: MigrateSeed changed since it was applied \(recorded checksum [0-9a-f]{12}, now [0-9a-f]{12}\): running the down it has now, which may not undo what was applied", down.Err);
        Assert.Empty(await target.ColumnAsync("SELECT name FROM a"));
        var unchanged = await SwapCli.RunAsync(target, "down");
        Assert.DoesNotContain("changed since it was applied", unchanged.Err, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Down_5_with_3_applied_says_it_reverted_3_and_a_spent_budget_stops_between_scripts(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        target.CreateTable("20261119000000_b", "b");
        target.CreateTable("20261120000000_c", "c");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);

        // A budget of 1 ms is spent after the first script: at least one script runs, then it stops.
        var budget = await SwapCli.RunAsync(target, "down", "2", "--time-budget", "1ms", "--chunk-time", "100ms", "--keep-old", "--cut-over-lock-wait", "2s", "--cut-over-retries", "3");
        Assert.True(budget.ExitCode == 0, budget.ToString());
        Assert.Equal("reverted\t20261120000000_c", string.Join('\t', budget.OutLines[0].Split('\t')[..2]));
        Assert.Equal("Reverted 1 script(s); stopped: the time budget is spent. Run 'swap down' again to continue.", budget.OutLines[^1]);
        Assert.Equal(["20261118000000_a", "20261119000000_b"], await target.HistoryIdsAsync());

        var five = await SwapCli.RunAsync(target, "down", "5");
        Assert.Equal(0, five.ExitCode);
        Assert.Equal(3, five.OutLines.Length);
        Assert.Equal("Reverted 2 script(s): 5 asked, but only 2 were applied.", five.OutLines[^1]);
        Assert.Empty(await target.HistoryAsync());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Down_batch_reverts_every_script_of_that_batch_only(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        target.CreateTable("20261119000000_b", "b");
        target.CreateTable("20261120000000_c", "c");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);

        var run = await SwapCli.RunAsync(target, "down", "--batch", "2");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("Reverted 2 script(s).", run.OutLines[^1]);
        Assert.Equal(["20261118000000_a"], await target.HistoryIdsAsync());
        Assert.Equal(["a", "swap_history", "swap_journal", "swap_lock"], await target.TablesAsync());

        var none = await SwapCli.RunAsync(target, "down", "--batch", "9");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("No applied script belongs to batch 9.", none.Err, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Down_refuses_before_reverting_anything_when_a_script_has_no_down(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a", down: false);
        target.CreateTable("20261119000000_b", "b");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        var before = await target.HistoryAsync();

        var run = await SwapCli.RunAsync(target, "down", "2");

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("20261118000000_a has no down, so it cannot be reverted; nothing was reverted. To make it revertible, add a '-- swap:down' section (or a .down.sql file)", run.Err, StringComparison.Ordinal);
        Assert.Equal(before, await target.HistoryAsync());
        Assert.Contains("b", await target.TablesAsync());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Down_refuses_to_revert_a_script_that_an_applied_script_depends_on(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        target.CSharp("20261119000000_Seed", RevertibleCSharp);
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        var before = await target.HistoryAsync();

        var run = await SwapCli.RunAsync(target, "down", "--batch", "1");

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("20261118000000_a cannot be reverted while MigrateSeed, which runs after it, stays applied; nothing was reverted.", run.Err, StringComparison.Ordinal);
        Assert.Equal(before, await target.HistoryAsync());
        Assert.Equal(1, await target.CountAsync("a"));
    }

    /// <summary>
    /// A script that failed after some of its journaled steps (a no-transaction script; every script
    /// on MySQL) keeps their changes and counts them done. Reverting the script before it would drop
    /// those changes with its table while the journal still counts them, so the next 'up' would
    /// skip them: refused, nothing reverted. Once it is finished, the down runs.
    /// </summary>
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Down_refuses_while_a_later_script_stopped_part_way_after_journaled_steps(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        target.Sql("20261119000000_b", """
            -- swap:no-transaction
            ALTER TABLE a ADD COLUMN x INT;
            INSERT INTO nosuch VALUES (1);
            -- swap:down
            ALTER TABLE a DROP COLUMN x;
            """);
        Assert.Equal(1, (await SwapCli.RunAsync(target, "up")).ExitCode);
        var before = await target.HistoryAsync();

        var run = await SwapCli.RunAsync(target, "down");

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("error: 20261119000000_b failed part-way (1 journaled step(s) done, which stay in the database); nothing was reverted, since a down before it would undo what those steps changed while its journal still counts them done. Finish it first with 'swap up', or abandon it with 'swap cleanup --script 20261119000000_b' (its done steps stay: undo them by hand), then run 'swap down' again.", run.Err, StringComparison.Ordinal);
        Assert.Equal(before, await target.HistoryAsync());
        Assert.Contains("a", await target.TablesAsync());

        target.Sql("20261119000000_b", """
            -- swap:no-transaction
            ALTER TABLE a ADD COLUMN x INT;
            INSERT INTO a (id, name, x) VALUES (1, 'one', 1);
            -- swap:down
            ALTER TABLE a DROP COLUMN x;
            """);
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        var down = await SwapCli.RunAsync(target, "down", "2");
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Empty(await target.HistoryAsync());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_count_below_one_is_a_usage_error(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);

        var zero = await SwapCli.RunAsync(target, "down", "0");
        Assert.Equal(2, zero.ExitCode);
        Assert.Contains("down takes a count of 1 or more, not 0.", zero.Err, StringComparison.Ordinal);
        var negative = await SwapCli.RunAsync(target, "down", "--", "-3");
        Assert.Equal(2, negative.ExitCode);
        Assert.Contains("down takes a count of 1 or more, not -3.", negative.Err, StringComparison.Ordinal);
        var word = await SwapCli.RunAsync(target, "down", "all");
        Assert.Equal(2, word.ExitCode);
        Assert.Equal(["20261118000000_a"], await target.HistoryIdsAsync());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_script_whose_file_is_gone_cannot_be_reverted(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var file = target.CreateTable("20261118000000_a", "a");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        File.Delete(file);

        var run = await SwapCli.RunAsync(target, "down");

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("20261118000000_a cannot be reverted: its script is no longer in any migrations folder or assembly.", run.Err, StringComparison.Ordinal);
        Assert.Equal(["20261118000000_a"], await target.HistoryIdsAsync());
    }
}
