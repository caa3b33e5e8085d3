using System.Text.Json;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

/// <summary>An error is printed once, and with --json stdout carries it as a JSON document.</summary>
public class ErrorOutputTests
{
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_failing_script_error_is_printed_once(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.Sql("20261118000000_broken", "INSERT INTO no_such_table (id) VALUES (1);\n");
        var run = await SwapCli.RunAsync(target, "up");
        Assert.Equal(1, run.ExitCode);
        var lines = run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(lines, l => l.Contains(" fail: ", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("no_such_table", StringComparison.Ordinal));
        Assert.StartsWith("error: ", lines.Single(l => l.Contains("no_such_table", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_every_without_watch_is_a_usage_error_not_a_silent_single_status()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        target.CreateTable("20261118000000_a", "a");
        var run = await SwapCli.RunAsync(target, "status", "--every", "1s");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: --every says how often --watch shows the status again, and there is no --watch: add it ('swap status --watch --every 5s'), or leave --every out.\n", run.Err);
        Assert.Equal("", run.Out);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task With_json_a_refusal_is_a_json_document_on_stdout_as_well(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a", down: false);
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up", "--json")).ExitCode);

        var down = await SwapCli.RunAsync(target, "down", "--json");
        Assert.Equal(7, down.ExitCode);
        const string Message = "20261118000000_a has no down, so it cannot be reverted; nothing was reverted. To make it revertible, add a '-- swap:down' section (or a .down.sql file); or undo it with a new forward migration.";
        Assert.Equal($"error: {Message}\n", down.Err);
        using var doc = JsonDocument.Parse(down.Out);
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal(7, error.GetProperty("code").GetInt32());
        Assert.Equal("refused", error.GetProperty("kind").GetString());
        Assert.Equal(Message, error.GetProperty("message").GetString());
        // Readable as printed: quotes as they are, not \u0027.
        Assert.Contains("add a '-- swap:down' section", down.Out, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_run_that_fails_part_way_names_the_scripts_it_finished_before_the_error(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        target.CreateTable("20261119000000_b", "b");
        target.Sql("20261120000000_broken", "INSERT INTO no_such_table (id) VALUES (1);\n");

        var up = await SwapCli.RunAsync(target, "up");

        Assert.Equal(1, up.ExitCode);
        Assert.Equal(3, up.OutLines.Length);
        Assert.StartsWith("applied\t20261118000000_a\t", up.OutLines[0], StringComparison.Ordinal);
        Assert.StartsWith("applied\t20261119000000_b\t", up.OutLines[1], StringComparison.Ordinal);
        Assert.Equal("Applied 2 script(s) before the error; they stay applied.", up.OutLines[2]);
        Assert.Equal(["20261118000000_a", "20261119000000_b"], (await target.HistoryAsync()).Where(h => h.Status == "applied").Select(h => h.ScriptId));

        var json = await SwapCli.RunAsync(target, "up", "--json");
        using (var doc = JsonDocument.Parse(json.Out))
        {
            Assert.Equal(1, doc.RootElement.GetProperty("error").GetProperty("code").GetInt32());
            Assert.False(doc.RootElement.TryGetProperty("applied", out _), "nothing was applied by this run before its error");
        }

        // The failed script fixed, with a down that fails; a script after it with a down that works.
        target.Sql("20261120000000_broken", "CREATE TABLE c (id INT NOT NULL PRIMARY KEY);\n-- swap:down\nDELETE FROM no_such_table;\n");
        target.Sql("20261121000000_d", "CREATE TABLE d (id INT NOT NULL PRIMARY KEY);\n-- swap:down\nDROP TABLE d;\n");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);

        var down = await SwapCli.RunAsync(target, "down", "2", "--json");

        Assert.Equal(1, down.ExitCode);
        using (var doc = JsonDocument.Parse(down.Out))
        {
            Assert.Equal(1, doc.RootElement.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal(["20261121000000_d"], doc.RootElement.GetProperty("reverted").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        }
        Assert.DoesNotContain("d", await target.TablesAsync());
    }

    [Fact]
    public async Task With_json_a_usage_error_is_a_json_document_too()
    {
        var folder = Path.GetTempPath();
        var run = await SwapCli.RunRawAsync(folder, ["--db", "sqlite:x.db", "up", "--fast", "--json"]);
        Assert.Equal(2, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Equal("usage", doc.RootElement.GetProperty("error").GetProperty("kind").GetString());
        Assert.EndsWith("\nRun 'swap --help' for usage.", doc.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("Run 'swap --help' for usage.\n", run.Err, StringComparison.Ordinal);
    }
}
