using Swap.Cli;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>Revert windows under kills (issue 17): a revert, or a swap opening a window, killed with SIGKILL at a chosen point resumes and ends equal to the oracle.</summary>
public class RevertResumeTests
{
    private const int Rows = 2000;

    private static Task WritesAsync(OracleWriter writer, int more) => RevertKit.WritesAsync(writer, more);

    private static void AssertSameRows(IReadOnlyDictionary<long, ItemRow> oracle, IReadOnlyList<ItemRow> actual) => RevertKit.AssertSameRows(oracle, actual);

    /// <summary>The writer saw no error, every write it made is in the table, the swap's column is gone and nothing of the swap is left.</summary>
    private static async Task AssertRevertedAsync(TestTarget target, OracleWriter writer)
    {
        Assert.Empty(writer.Errors);
        AssertSameRows(writer.Oracle, await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.False(await HasColumnAsync(target, "flag"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

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

        await AssertRevertedAsync(target, writer);
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

        await AssertRevertedAsync(target, writer);
    }

    [Theory]
    [InlineData(DatabaseEngine.PostgreSql)]
    [InlineData(DatabaseEngine.MySql)]
    public async Task A_window_swap_of_a_change_the_engine_could_make_in_place_resumes_as_the_swap_after_a_kill_with_a_plain_up(DatabaseEngine engine)
    {
        // A column with a constant default is instant on both engines: only the window made it a copy.
        // Resumed without --revert-window, the run must still go on with the copy the journal holds,
        // not plan an in-place change and stop with exit 6 ("the script now asks for 'items in place'").
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, Rows);
        var folder = EngineKit.WriteSwapScript(target, """
            -- swap:online
            ALTER TABLE items ADD COLUMN flag VARCHAR(10) NOT NULL DEFAULT 'none';
            """, "20260101000000_add_flag.sql");
        var writer = new OracleWriter(target, EngineKit.InitialItems(Rows), seed: 31);
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(() => writer.RunAsync(stop.Token));
        await WritesAsync(writer, 50);

        var (exit, output) = await CliProcess.RunAsync(
            target.Folder,
            new Dictionary<string, string> { ["SWAP_FAULT_KILL_AT"] = "phase:verified" },
            TimeSpan.FromMinutes(2),
            "up", "--revert-window", "24h", "--db", target.UrlText, "--migrations", folder, "--chunk-time", "10ms", "--chunk-size", "200", "-q");
        Assert.True(exit == 137, $"the swap should have been killed after its verification (exit 137), but exited {exit}: {output}");
        await WritesAsync(writer, 100);

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["up", "--db", target.UrlText, "--migrations", folder], stdout, stderr, _ => null, target.Folder, TimeProvider.System, default);
        Assert.True(code == 0, $"the resumed up failed ({code}): {stdout}{stderr}");
        Assert.Contains("resumed after 0 step(s), then the interrupted 'swap' step", stdout.ToString(), StringComparison.Ordinal);
        Assert.True(await HasColumnAsync(target, "flag"));
        var migrator = EngineKit.Migrator(target);
        Assert.Equal(["items"], Assert.Single((await migrator.StatusAsync()).RevertWindows).Tables);
        await WritesAsync(writer, 200);
        await migrator.RevertAsync("20260101000000_add_flag");
        await WritesAsync(writer, 50);
        stop.Cancel();
        await writing;

        await AssertRevertedAsync(target, writer);
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "20260101000000_add_flag"));
    }

    [Fact]
    public async Task Up_after_a_revert_killed_once_it_swapped_back_says_so_instead_of_only_nothing_to_apply()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, 300);
        var folder = EngineKit.WriteSwapScript(target);
        await EngineKit.Migrator(target, o => o.Swap.RevertWindow = TimeSpan.FromHours(24)).UpAsync();
        var (exit, output) = await CliProcess.RunAsync(
            target.Folder,
            new Dictionary<string, string> { ["SWAP_FAULT_KILL_AT"] = "revert:swapped-back" },
            TimeSpan.FromMinutes(2),
            "revert", "MigrateItems", "--db", target.UrlText, "--migrations", folder, "-q");
        Assert.True(exit == 137, $"the revert should have been killed (exit 137), but exited {exit}: {output}");
        Assert.False(await HasColumnAsync(target, "flag"));

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["up", "--db", target.UrlText, "--migrations", folder], stdout, stderr, _ => null, target.Folder, TimeProvider.System, default);
        Assert.True(code == 0, $"{stdout}{stderr}");
        Assert.Contains("Nothing to apply", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("MigrateItems: a revert of items was interrupted after stage 'swapped-back'", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("run 'swap revert MigrateItems' to complete the revert", stderr.ToString(), StringComparison.Ordinal);
    }
}
