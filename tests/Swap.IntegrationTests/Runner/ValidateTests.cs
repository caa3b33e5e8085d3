using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

public class ValidateTests
{
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Validate_passes_when_migrations_and_history_agree(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "validate")).ExitCode);
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        // A pending script newer than everything applied is fine.
        target.CreateTable("20261119000000_b", "b");

        var run = await SwapCli.RunAsync(target, "validate");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Valid: migrations and history agree."], run.OutLines);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Validate_fails_with_exit_4_on_a_changed_script(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var file = target.CreateTable("20261118000000_a", "a");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        File.WriteAllText(file, File.ReadAllText(file).Replace("VARCHAR(100)", "VARCHAR(200)", StringComparison.Ordinal));

        var run = await SwapCli.RunAsync(target, "validate");

        Assert.Equal(4, run.ExitCode);
        Assert.Matches($@"^changed\t20261118000000_a\t20261118000000_a \({System.Text.RegularExpressions.Regex.Escape(file)}\) changed since it was applied \(recorded checksum [0-9a-f]{{12}}, now [0-9a-f]{{12}}\)$", run.OutLines[0]);
        Assert.Equal("Invalid: 1 problem(s).", run.OutLines[^1]);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Validate_fails_with_exit_4_on_a_missing_file(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var file = target.CreateTable("20261118000000_a", "a");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        File.Delete(file);

        var run = await SwapCli.RunAsync(target, "validate", "--json");

        Assert.Equal(4, run.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(run.Out);
        Assert.False(doc.RootElement.GetProperty("isValid").GetBoolean());
        var problem = Assert.Single(doc.RootElement.GetProperty("problems").EnumerateArray());
        Assert.Equal("missing", problem.GetProperty("kind").GetString());
        Assert.Equal("20261118000000_a is in the history but no migrations folder or assembly has it", problem.GetProperty("message").GetString());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Validate_fails_with_exit_4_on_a_pending_script_older_than_an_applied_one(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261120000000_new", "n");
        target.CreateTable("20261125000000_newer", "m");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        // Merged from a branch: dated before what production already ran.
        target.CreateTable("20261101000000_late_merge", "late");
        var history = await target.HistoryAsync();

        var run = await SwapCli.RunAsync(target, "validate");

        Assert.Equal(4, run.ExitCode);
        Assert.Equal("out-of-order\t20261101000000_late_merge\t20261101000000_late_merge is pending but sorts before 20261120000000_new, which is applied (and 1 more applied after it); it would run out of order", run.OutLines[0]);
        Assert.Equal(history, await target.HistoryAsync());
    }
}
