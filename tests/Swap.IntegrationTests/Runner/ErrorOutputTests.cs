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
