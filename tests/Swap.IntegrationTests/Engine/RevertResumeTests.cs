using Swap.Cli;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>Revert windows under kills (issue 17): a revert, or a swap opening a window, killed with SIGKILL at a chosen point resumes and ends equal to the oracle.</summary>
public class RevertResumeTests
{
    private const int Rows = 2000;

    private static Task WritesAsync(OracleWriter writer, int more) => RevertKit.WritesAsync(writer, more);

    private static void AssertSameRows(IReadOnlyDictionary<long, ItemRow> oracle, IReadOnlyList<ItemRow> actual) => RevertKit.AssertSameRows(oracle, actual);

    private static Task<bool> HasColumnAsync(TestTarget target, string column, string table = "items") => RevertKit.HasColumnAsync(target, column, table);

    public static TheoryData<DatabaseEngine, string> KillPoints() => new()
    {
        { DatabaseEngine.PostgreSql, "revert-cutover" },
        { DatabaseEngine.PostgreSql, "revert:capture-removed" },
        { DatabaseEngine.MySql, "revert-cutover" },
        { DatabaseEngine.MySql, "revert:swapped-back" },
    };

    [Theory]
    [MemberData(nameof(KillPoints))]
    public async Task A_revert_killed_under_writes_resumes_and_the_table_matches_the_oracle(DatabaseEngine engine, string point)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, Rows);
        var folder = EngineKit.WriteSwapScript(target);
        var writer = new OracleWriter(target, EngineKit.InitialItems(Rows), seed: 23);
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(() => writer.RunAsync(stop.Token));
        await WritesAsync(writer, 50);
        await EngineKit.Migrator(target, o => o.Swap.RevertWindow = TimeSpan.FromHours(24)).UpAsync();
        await WritesAsync(writer, 200);

        var (exit, output) = await CliProcess.RunAsync(
            target.Folder,
            new Dictionary<string, string> { ["SWAP_FAULT_KILL_AT"] = point },
            TimeSpan.FromMinutes(2),
            "revert", "MigrateItems", "--db", target.UrlText, "--migrations", folder, "-q");
        Assert.True(exit == 137, $"the revert should have been killed at {point} (exit 137), but exited {exit}: {output}");
        await WritesAsync(writer, 50);

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["revert", "MigrateItems", "--db", target.UrlText, "--migrations", folder], stdout, stderr, _ => null, target.Folder, TimeProvider.System, default);
        Assert.True(code == 0, $"the resumed revert failed ({code}): {stdout}{stderr}");
        Assert.Contains("MigrateItems is pending again", stdout.ToString(), StringComparison.Ordinal);
        await WritesAsync(writer, 50);
        stop.Cancel();
        await writing;

        Assert.Empty(writer.Errors);
        AssertSameRows(writer.Oracle, await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.False(await HasColumnAsync(target, "flag"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
    }

    [Theory]
    [InlineData(DatabaseEngine.PostgreSql, "reverse-capture")]
    [InlineData(DatabaseEngine.MySql, "phase:swapped")]
    public async Task A_swap_with_a_window_killed_around_its_cut_over_resumes_opens_the_window_and_reverts_to_the_oracle(DatabaseEngine engine, string point)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, Rows);
        var folder = EngineKit.WriteSwapScript(target);
        var writer = new OracleWriter(target, EngineKit.InitialItems(Rows), seed: 29);
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(() => writer.RunAsync(stop.Token));
        await WritesAsync(writer, 50);

        var (exit, output) = await CliProcess.RunAsync(
            target.Folder,
            new Dictionary<string, string> { ["SWAP_FAULT_KILL_AT"] = point },
            TimeSpan.FromMinutes(2),
            "up", "--revert-window", "24h", "--db", target.UrlText, "--migrations", folder, "--chunk-time", "10ms", "--chunk-size", "200", "-q");
        Assert.True(exit == 137, $"the swap should have been killed at {point} (exit 137), but exited {exit}: {output}");
        await WritesAsync(writer, 100);

        // The resumed run keeps the window the swap started with, without being told again.
        var migrator = EngineKit.Migrator(target);
        Assert.Equal(["MigrateItems"], (await migrator.UpAsync()).Applied.Select(a => a.Id));
        Assert.Single((await migrator.StatusAsync()).RevertWindows);
        await WritesAsync(writer, 200);
        await migrator.RevertAsync("MigrateItems");
        await WritesAsync(writer, 50);
        stop.Cancel();
        await writing;

        Assert.Empty(writer.Errors);
        AssertSameRows(writer.Oracle, await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.False(await HasColumnAsync(target, "flag"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }
}
