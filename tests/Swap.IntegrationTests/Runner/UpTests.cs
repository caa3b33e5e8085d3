using System.Security.Cryptography;
using System.Text;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

public class UpTests
{
    private const string FillRoles = """
        public sealed class MigrateFillRoles : Migration
        {
            public MigrateFillRoles() => ExecuteAfter("20261119000000_add_role");

            public override async Task UpAsync(MigrationContext db)
            {
                var admins = await db.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE name = @name", new { name = "ann" });
                await db.ExecuteAsync("UPDATE users SET role = @role WHERE name = @name", new { role = admins == 1 ? "admin" : "none", name = "ann" });
            }
        }
        """;

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Up_applies_sql_and_csharp_scripts_in_order_and_records_each_in_the_history(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var usersFile = target.Sql("20261118000000_create_users", "CREATE TABLE users (id INT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL);\nINSERT INTO users (id, name) VALUES (1, 'ann'), (2, 'bob; the builder');");
        target.Sql("20261119000000_add_role", "ALTER TABLE users ADD COLUMN role VARCHAR(20) NOT NULL DEFAULT 'member';");
        // Dated before the script it depends on: the dependency wins over the name.
        target.CSharp("20261101000000_FillRoles", FillRoles);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["20261118000000_create_users", "20261119000000_add_role", "MigrateFillRoles"], await target.HistoryIdsAsync());
        Assert.Equal(["ann=admin", "bob; the builder=member"], await target.ColumnAsync($"SELECT {Scripts.Concat(engine, "name", "'='", "role")} FROM users ORDER BY id"));
        Assert.Matches(@"^applied\t20261118000000_create_users\t", run.OutLines[0]);
        Assert.Equal("Applied 3 script(s) as batch 1.", run.OutLines[^1]);
        Assert.Contains("Created the history table swap_history", run.Err, StringComparison.Ordinal);

        var history = await target.HistoryAsync();
        var first = history[0];
        Assert.Equal((Path.GetFileName(target.Folder), (string?)null, "sql", 1L, "applied"), (first.Module, first.Group, first.Kind, first.Batch, first.Status));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(usersFile)))), first.Checksum);
        Assert.Equal("cs", history[2].Kind);
        Assert.Equal([1L, 2L, 3L], history.Select(h => h.ApplyOrder));
        Assert.All(history, h =>
        {
            Assert.NotNull(h.FinishedAt);
            Assert.True(h.FinishedAt >= h.StartedAt);
            Assert.True(h.DurationMs >= 0);
            Assert.Null(h.Error);
            Assert.Equal($"{Environment.UserName}@{Environment.MachineName}", h.AppliedBy);
            Assert.InRange(h.StartedAt, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
        });
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_second_up_applies_only_new_scripts_as_the_next_batch(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);

        var again = await SwapCli.RunAsync(target, "up");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(["Nothing to apply: the database is up to date."], again.OutLines);

        target.CreateTable("20261119000000_b", "b");
        target.CreateTable("20261120000000_c", "c");
        var next = await SwapCli.RunAsync(target, "up");
        Assert.Equal("Applied 2 script(s) as batch 2.", next.OutLines[^1]);
        Assert.Equal([("20261118000000_a", 1L), ("20261119000000_b", 2L), ("20261120000000_c", 2L)], (await target.HistoryAsync()).Select(h => (h.ScriptId, h.Batch)));
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task To_and_steps_stop_early_and_leave_the_rest_pending(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        foreach (var t in new[] { "a", "b", "c", "d" })
            target.CreateTable($"2026111{t[0] - 'a'}000000_{t}", t);

        var to = await SwapCli.RunAsync(target, "up", "--to", "20261111000000_b");
        Assert.Equal(0, to.ExitCode);
        Assert.Equal(["20261110000000_a", "20261111000000_b"], await target.HistoryIdsAsync());
        Assert.Equal("2 script(s) still pending.", to.OutLines[^1]);

        var steps = await SwapCli.RunAsync(target, "up", "--steps", "1");
        Assert.Equal(0, steps.ExitCode);
        Assert.Equal(["20261110000000_a", "20261111000000_b", "20261112000000_c"], await target.HistoryIdsAsync());
        Assert.Contains("Applied 1 script(s) as batch 2.", steps.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("d", await target.TablesAsync());

        var unknown = await SwapCli.RunAsync(target, "up", "--to", "20261199000000_nope");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--to '20261199000000_nope' is not a known script id", unknown.Err, StringComparison.Ordinal);

        var zero = await SwapCli.RunAsync(target, "up", "--steps", "0");
        Assert.Equal(2, zero.ExitCode);
        Assert.Contains("--steps must be 1 or more, not 0.", zero.Err, StringComparison.Ordinal);
        Assert.Equal(3, (await target.HistoryAsync()).Count);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_spent_time_budget_stops_after_the_script_in_progress_and_the_next_run_continues(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        foreach (var t in new[] { "a", "b", "c" })
            target.CreateTable($"2026111{t[0] - 'a'}000000_{t}", t);

        // A budget of 1 ms is spent by the first script, so the run stops cleanly after it.
        var run = await SwapCli.RunAsync(target, "up", "--time-budget", "1ms");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["20261110000000_a"], await target.HistoryIdsAsync());
        Assert.Contains("Stopped: the time budget is spent; 2 script(s) still pending. Run 'swap up' again to continue.", run.Out, StringComparison.Ordinal);
        Assert.Contains("Time budget of 1 ms spent; stopping after 20261110000000_a", run.Err, StringComparison.Ordinal);

        var rest = await SwapCli.RunAsync(target, "up", "--time-budget", "5m");
        Assert.Equal(0, rest.ExitCode);
        Assert.Equal(["20261110000000_a", "20261111000000_b", "20261112000000_c"], await target.HistoryIdsAsync());

        var bad = await SwapCli.RunAsync(target, "up", "--time-budget", "soon");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--time-budget 'soon' is not a duration", bad.Err, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Json_output_lists_the_batch_and_applied_scripts(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        var run = await SwapCli.RunAsync(target, "up", "--json");
        Assert.Equal(0, run.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(run.Out);
        Assert.Equal(1, doc.RootElement.GetProperty("batch").GetInt32());
        Assert.Equal("20261118000000_a", doc.RootElement.GetProperty("applied")[0].GetProperty("id").GetString());
        Assert.Equal("completed", doc.RootElement.GetProperty("stopped").GetString());
        // --json keeps informational logging off stderr.
        Assert.Equal("", run.Err);
    }
}
