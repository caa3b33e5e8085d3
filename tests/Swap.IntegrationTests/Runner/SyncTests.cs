using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

public class SyncTests
{
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Sync_dry_run_lists_rows_of_deleted_scripts_and_sync_removes_only_those(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_keep", "keep");
        var gone1 = target.CreateTable("20261119000000_gone1", "gone1");
        var gone2 = target.CreateTable("20261120000000_gone2", "gone2");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        File.Delete(gone1);
        File.Delete(gone2);
        var before = await target.HistoryAsync();

        var dry = await SwapCli.RunAsync(target, "sync", "--dry-run");
        Assert.Equal(0, dry.ExitCode);
        Assert.Equal(["would remove\t20261119000000_gone1", "would remove\t20261120000000_gone2", "Would remove 2 history row(s)."], dry.OutLines);
        Assert.Equal(before, await target.HistoryAsync());

        var real = await SwapCli.RunAsync(target, "sync");
        Assert.Equal(0, real.ExitCode);
        Assert.Equal(["removed\t20261119000000_gone1", "removed\t20261120000000_gone2", "Removed 2 history row(s)."], real.OutLines);
        Assert.Equal([before[0]], await target.HistoryAsync());
        // sync runs no script: the tables those scripts made are still there.
        Assert.Contains("gone1", await target.TablesAsync());

        var again = await SwapCli.RunAsync(target, "sync");
        Assert.Equal(["History is in sync: every recorded script exists."], again.OutLines);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Sync_refuses_to_empty_the_history_when_every_recorded_script_is_missing_unless_all(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        target.CreateTable("20261119000000_b", "b");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        // The wrong folder: it exists and holds some other module's script.
        target.WriteFile("other/migrations/20261201000000_other.sql", "CREATE TABLE other (id INT NOT NULL PRIMARY KEY);\n");
        var before = await target.HistoryAsync();

        var refused = await SwapCli.RunAsync(target, "-m", "other", "sync");
        Assert.Equal(7, refused.ExitCode);
        Assert.Equal("", refused.Out);
        Assert.Equal("error: Every recorded script (2) is missing from the migrations, which usually means the wrong migrations folder, not deleted scripts; nothing was removed. Check --migrations (or run swap from the folder that holds them), or pass --all to remove all 2 history row(s).\n", refused.Err);
        Assert.Equal(before, await target.HistoryAsync());

        var all = await SwapCli.RunAsync(target, "-m", "other", "sync", "--all");
        Assert.Equal(0, all.ExitCode);
        Assert.Equal(["removed\t20261118000000_a", "removed\t20261119000000_b", "Removed 2 history row(s)."], all.OutLines);
        Assert.Empty(await target.HistoryAsync());
    }
}
