using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Swap.IntegrationTests.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

/// <summary>
/// After Ctrl+C every engine says the same thing: the script is interrupted, and where the next
/// 'up' resumes it (the step, the phase, the rows copied); status lists as leftovers only what
/// no run owns, and agrees with cleanup.
/// </summary>
public class InterruptTests
{
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Ctrl_c_inside_a_script_is_reported_as_interrupted_by_the_run_and_by_status(DatabaseEngine engine)
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

        // Scripts in one transaction lost their insert; journaled (MariaDB) it is a done step.
        var done = EngineTraits.RunsScriptsInOneTransaction(engine) ? 0 : 1;
        Assert.Equal(130, run.ExitCode);
        var resumes = done == 0 ? "nothing of it is left done, and 'swap up' runs it again from the start" : $"'swap up' resumes it after {done} journaled step(s)";
        Assert.EndsWith($"\nInterrupted MigrateSlow: {resumes}.\n", run.Err, StringComparison.Ordinal);

        var status = await SwapCli.RunAsync(target, "status");
        Assert.Equal(0, status.ExitCode);
        Assert.EndsWith(": 1 applied, 1 interrupted", status.OutLines[0], StringComparison.Ordinal);
        var line = status.OutLines.Single(l => l.StartsWith("interrupted\t", StringComparison.Ordinal)).Split('\t');
        Assert.Equal("interrupted", line[0]);
        Assert.Equal($"interrupted; {resumes}", line[^1]);
        Assert.Equal("next: MigrateSlow (interrupted)", status.OutLines[^1]);
        Assert.DoesNotContain(status.OutLines, l => l.StartsWith("leftover", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sigterm_stops_a_run_like_ctrl_c_interrupted_and_resumable()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        target.CreateTable("20261118000000_a", "a");
        var gate = new Gate(target.Folder);
        target.CSharp("20261119000000_Slow", gate.Script("MigrateSlow", "INSERT INTO a (id, name) VALUES (1, 'x')"));
        using var child = ChildSwap.Start(target, "up");
        await gate.WaitStartedAsync(diagnostics: child.Output);

        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", child.Id.ToString(CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        var exit = await child.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 130, child.Output());
        Assert.Contains("Interrupted MigrateSlow: 'swap up' resumes it after 1 journaled step(s).", child.Output(), StringComparison.Ordinal);
        Assert.Contains("interrupted\t", (await SwapCli.RunAsync(target, "status")).Out, StringComparison.Ordinal);
        gate.Open();
        var again = await SwapCli.RunAsync(target, "up");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(["20261118000000_a", "MigrateSlow"], await target.HistoryIdsAsync());
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task Ctrl_c_inside_a_copy_names_the_phase_and_rows_and_status_and_cleanup_agree_on_leftovers(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 100_000);
        EngineKit.WriteSwapScript(target);
        using var cts = new CancellationTokenSource();
        var running = SwapCli.Start(target, ["up", "--chunk-time", "10ms", "--chunk-size", "10", "--max-chunk-size", "10"], cts.Token);
        await running.WaitForOutputAsync("swap items: copying");
        // The first progress line comes before the first chunk: interrupt once a chunk has committed
        // (its rows are in the copy).
        for (var i = 0; i < 1200 && !running.Completion.IsCompleted; i++)
        {
            var copied = await target.QueryAsync("SELECT COUNT(*) AS n FROM _items_swap_new");
            if (copied[0].Int64("n") > 0)
                break;
            await Task.Delay(20);
        }
        await cts.CancelAsync();
        var run = await running.Completion;

        Assert.True(run.ExitCode == 130, run.ToString());
        var said = Regex.Match(run.Err, @"\nInterrupted MigrateItems: 'swap up' resumes it at step 1 \(swap of items\) after phase capture-installed, ([\d,]+) rows copied\.\n$");
        Assert.True(said.Success, run.Err);
        var rows = long.Parse(said.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.InRange(rows, 1, 99_999);

        var status = await SwapCli.RunAsync(target, "status");
        var line = status.OutLines.Single(l => l.StartsWith("interrupted\t", StringComparison.Ordinal)).Split('\t');
        Assert.Equal("interrupted", line[0]);
        Assert.Equal($"interrupted; 'swap up' resumes it at step 1 (swap of items) after phase capture-installed, {said.Groups[1].Value} rows copied", line[^1]);
        // The copy and the capture belong to the interrupted script, which resumes with them: no leftovers.
        Assert.DoesNotContain(status.OutLines, l => l.StartsWith("leftover", StringComparison.Ordinal));

        var json = await SwapCli.RunAsync(target, "status", "--json");
        using (var doc = JsonDocument.Parse(json.Out))
        {
            var script = doc.RootElement.GetProperty("scripts")[0];
            Assert.Equal("interrupted", script.GetProperty("status").GetString());
            Assert.Equal("capture-installed", script.GetProperty("resumesAt").GetProperty("phase").GetString());
            Assert.Equal(rows, script.GetProperty("resumesAt").GetProperty("rowsCopied").GetInt64());
            Assert.Equal(1, doc.RootElement.GetProperty("counts").GetProperty("interrupted").GetInt32());
            Assert.Equal(0, doc.RootElement.GetProperty("leftovers").GetArrayLength());
        }

        var cleanup = await SwapCli.RunAsync(target, "cleanup", "--dry-run");
        Assert.Equal("Nothing to clean up.", cleanup.OutLines[^1]);
        Assert.Contains("kept\ttable\t_items_swap_new\t", cleanup.Out, StringComparison.Ordinal);
        Assert.All(cleanup.OutLines[..^1], l => Assert.StartsWith("kept\t", l, StringComparison.Ordinal));

        var resumed = await SwapCli.RunAsync(target, "up");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_leftover_is_listed_only_while_no_run_holds_the_lock_and_cleanup_removes_what_status_lists(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);
        // A copy nobody's journal mentions: an abandoned swap's.
        await target.ExecuteAsync("CREATE TABLE _a_swap_new (id INT NOT NULL PRIMARY KEY)");
        var idle = await SwapCli.RunAsync(target, "status");
        Assert.Equal(["leftover\ttable\t_a_swap_new\ta copy from an interrupted swap (remove with 'swap cleanup')"], idle.OutLines.Where(l => l.StartsWith("leftover", StringComparison.Ordinal)));

        var gate = new Gate(target.Folder);
        target.CSharp("20261119000000_Slow", gate.Script("MigrateSlow"));
        using (var child = ChildSwap.Start(target, "up"))
        {
            await gate.WaitStartedAsync(diagnostics: child.Output);
            var busy = await SwapCli.RunAsync(target, "status");
            Assert.Contains(busy.OutLines, l => l.StartsWith("lock: held by ", StringComparison.Ordinal));
            Assert.DoesNotContain(busy.OutLines, l => l.StartsWith("leftover", StringComparison.Ordinal));
            gate.Open();
        }

        var cleanup = await SwapCli.RunAsync(target, "cleanup", "--lock-timeout", "30s");
        Assert.Equal(["removed\ttable\t_a_swap_new\ta copy from an interrupted swap", "Removed 1 object(s)."], cleanup.OutLines);
        var after = await SwapCli.RunAsync(target, "status");
        Assert.DoesNotContain(after.OutLines, l => l.StartsWith("leftover", StringComparison.Ordinal));
    }
}
