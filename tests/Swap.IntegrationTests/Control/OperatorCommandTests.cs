using Swap.Control;
using Swap.IntegrationTests.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Control;

/// <summary>
/// pause, set, resume, abort and their refusals, each sent by a second <c>swap</c> process to a
/// swap that runs in a first one, through Swap's control table.
/// </summary>
public class OperatorCommandTests
{
    [Fact]
    public async Task Pause_set_and_resume_from_another_process_steer_a_running_swap()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await OperatorKit.ArrangeAsync(target);

        // Paused before it starts: the runner stops at its first chunk boundary, nothing copied. With
        // no swap running the command is recorded and answered at once, whatever --wait says (the
        // child is killed after 2 minutes, so waiting 10 would fail this).
        var pause = await ChildSwap.RunAsync(target, "pause", "--wait", "10m");
        Assert.True(pause.ExitCode == 0, pause.Output);
        Assert.Contains("pause: recorded, not taken yet", pause.Output, StringComparison.Ordinal);
        using var runner = OperatorKit.StartUp(target);
        var paused = await OperatorKit.WaitForAsync(target, runner, s => s.Paused && s.Phase == "Copying", "paused in the copy");
        Assert.Equal(0, paused.Rows);
        // Sent by the 'swap pause' child: user@host pid N, not this test process and not the runner.
        Assert.Matches(@"^.+@.+ pid \d+$", paused.PausedBy);
        Assert.DoesNotContain($" pid {Environment.ProcessId}", paused.PausedBy, StringComparison.Ordinal);
        Assert.DoesNotContain($" pid {runner.Id}", paused.PausedBy, StringComparison.Ordinal);

        // Status from a third process: phase, rows, paused and by whom, the runner's host and pid.
        var status = await OperatorKit.StatusJsonAsync(target);
        Assert.True(status.GetProperty("running").GetBoolean());
        var swap = status.GetProperty("swaps")[0];
        Assert.Equal("Copying", swap.GetProperty("phase").GetString());
        Assert.True(swap.GetProperty("paused").GetBoolean());
        Assert.Equal(runner.Id, swap.GetProperty("pid").GetInt32());
        Assert.Equal(Environment.MachineName, swap.GetProperty("host").GetString());
        Assert.Equal(0, swap.GetProperty("rows").GetInt64());
        Assert.InRange(swap.GetProperty("percent").GetDouble(), 0, 100);

        var set = await ChildSwap.RunAsync(target, "set", "chunk-time", "200ms");
        Assert.True(set.ExitCode == 0, set.Output);
        Assert.Contains("set chunk-time 200ms: chunk-time = 200ms", set.Output, StringComparison.Ordinal);
        await OperatorKit.WaitForAsync(target, runner, s => s.Settings["chunk-time"] == "200 ms", "showing the new chunk time");
        Assert.DoesNotContain("flag", await OperatorKit.ColumnsAsync(target));

        var resume = await ChildSwap.RunAsync(target, "resume");
        Assert.True(resume.ExitCode == 0, resume.Output);
        Assert.Contains("resume: resumed", resume.Output, StringComparison.Ordinal);
        Assert.Equal(0, await runner.WaitAsync(TimeSpan.FromMinutes(2)));

        var items = await EngineKit.ReadItemsAsync(target);
        OracleWriter.AssertMatches(EngineKit.InitialItems(OperatorKit.Rows), new HashSet<long>(), items);
        // Every command is journaled with its sender, time and outcome; the live row is gone.
        var report = await OperatorKit.Control(target).ReportAsync(10);
        Assert.Empty(report.Swaps);
        Assert.Equal(["resume", "set", "pause"], report.RecentCommands.Select(c => c.Command.Name()));
        Assert.All(report.RecentCommands, c => Assert.True(c.Handled && c.SentBy.Contains('@', StringComparison.Ordinal), c.ToString()));
        Assert.StartsWith("resumed", report.RecentCommands[0].Outcome, StringComparison.Ordinal);
        // The pause sent before the swap started is taken by it as a pause, not as "was already paused".
        Assert.StartsWith("paused (by ", report.RecentCommands[2].Outcome, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OperatorKit.Online), MemberType = typeof(OperatorKit))]
    public async Task Abort_from_another_process_removes_the_swap_and_leaves_the_original_and_the_script_pending(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        using var runner = await OperatorKit.StartPausedInTheCopyAsync(target);
        Assert.Equal("running", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));

        var abort = await ChildSwap.RunAsync(target, "abort");
        Assert.True(abort.ExitCode == 0, abort.Output);
        Assert.Contains("abort: aborting", abort.Output, StringComparison.Ordinal);
        Assert.Equal(10, await runner.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("was aborted by", runner.Output(), StringComparison.Ordinal);

        // Original untouched, no copy, capture or log left, the script pending.
        Assert.DoesNotContain("flag", await OperatorKit.ColumnsAsync(target));
        Assert.Equal(EngineKit.InitialItems(OperatorKit.Rows).Values.OrderBy(r => r.Id).ToList(), await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "MigrateItems"));

        // The next run (pause lifted) starts the script over and finishes it.
        await OperatorKit.Control(target).ResumeAsync();
        var up = await ChildSwap.RunAsync(target, ["up", .. OperatorKit.SmallChunks]);
        Assert.True(up.ExitCode == 0, up.Output);
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        OracleWriter.AssertMatches(EngineKit.InitialItems(OperatorKit.Rows), new HashSet<long>(), await EngineKit.ReadItemsAsync(target));
    }

    [Theory]
    [MemberData(nameof(OperatorKit.Online), MemberType = typeof(OperatorKit))]
    public async Task Abort_while_the_application_writes_fails_none_of_its_writes(DatabaseEngine engine)
    {
        // The abort takes capture off the live table: its triggers (PostgreSQL: their function) must go
        // before the change log they write to, or every write in between fails on a missing table.
        await using var target = await TestTarget.CreateAsync(engine);
        using var runner = await OperatorKit.StartPausedInTheCopyAsync(target);
        var writer = new OracleWriter(target, EngineKit.InitialItems(OperatorKit.Rows), seed: 41);
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(() => writer.RunAsync(stop.Token));
        await RevertKit.WritesAsync(writer, 100);

        var abort = await ChildSwap.RunAsync(target, "abort");
        Assert.True(abort.ExitCode == 0, abort.Output);
        Assert.Equal(10, await runner.WaitAsync(TimeSpan.FromMinutes(1)));
        await RevertKit.WritesAsync(writer, 100);
        stop.Cancel();
        await writing;

        Assert.Empty(writer.Errors);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        RevertKit.AssertSameRows(writer.Oracle, await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
    }

    [Theory]
    [MemberData(nameof(OperatorKit.Online), MemberType = typeof(OperatorKit))]
    public async Task Abort_of_a_downs_swap_removes_the_downs_copy_and_capture_and_the_script_stays_applied(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, OperatorKit.Rows);
        target.Sql("20261201000000_widen", """
            -- swap:online
            ALTER TABLE items ALTER COLUMN v TYPE VARCHAR(200);
            -- swap:down
            ALTER TABLE items ALTER COLUMN v TYPE VARCHAR(100);
            """);
        var up = await ChildSwap.RunAsync(target, "up");
        Assert.True(up.ExitCode == 0, up.Output);
        await OperatorKit.Control(target).PauseAsync();
        using var runner = ChildSwap.Start(target, ["down", .. OperatorKit.SmallChunks]);
        await OperatorKit.WaitForAsync(target, runner, s => s.Paused && s.Phase == "Copying", "paused in the down's copy");

        var abort = await ChildSwap.RunAsync(target, "abort");
        Assert.True(abort.ExitCode == 0, abort.Output);
        Assert.Equal(10, await runner.WaitAsync(TimeSpan.FromMinutes(1)));

        // Not 'the script is pending again': the down was aborted, the up's change stays, and nothing of the down's swap is left.
        Assert.Contains("20261201000000_widen: its 'swap down' was aborted by ", runner.Output(), StringComparison.Ordinal);
        Assert.Contains("the script stays applied ('swap down' starts its down over)", runner.Output(), StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "20261201000000_widen"));
        var status = await SwapCli.RunAsync(target, "status");
        Assert.DoesNotContain("stopped part-way", status.Out, StringComparison.Ordinal);
        Assert.Equal(EngineKit.InitialItems(OperatorKit.Rows).Values.OrderBy(r => r.Id).ToList(), await EngineKit.ReadItemsAsync(target, withFlag: false));

        await OperatorKit.Control(target).ResumeAsync();
        var down = await ChildSwap.RunAsync(target, ["down", .. OperatorKit.SmallChunks]);
        Assert.True(down.ExitCode == 0, down.Output);
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "20261201000000_widen"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task A_paused_swap_shows_no_eta_and_its_rate_falls_to_zero_over_the_half_minute()
    {
        // Found by an operator: a swap paused for minutes still showed the rate and ETA it had
        // when the pause came ('18,509 rows/s, ETA 5.0 s'), because a wait fed the rate nothing.
        const int rows = 20_000;
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, rows);
        EngineKit.WriteSwapScript(target);
        using var runner = OperatorKit.StartUp(target);
        await OperatorKit.WaitForAsync(target, runner, s => s.Phase == "Copying" && s.RowsPerSecond > 0 && s.EtaSeconds is not null, "copying at a measured rate");

        await OperatorKit.Control(target).PauseAsync();
        var paused = await OperatorKit.WaitForAsync(target, runner, s => s.Paused, "paused");
        Assert.Null(paused.EtaSeconds);
        Assert.InRange(paused.Rows, 1, rows - 1);

        // The rate is over the last half minute: after half a minute of pause, nothing was copied in it.
        var stalled = await OperatorKit.WaitForAsync(target, runner, s => s.Paused && s.RowsPerSecond == 0, "showing no rate half a minute into the pause");
        Assert.Equal(paused.Rows, stalled.Rows);
        Assert.Null(stalled.EtaSeconds);
        var text = await ChildSwap.RunAsync(target, "status", "--live");
        Assert.True(text.ExitCode == 0, text.Output);
        Assert.Contains($"phase: Copying items, {paused.Rows:N0} of ~", text.Output, StringComparison.Ordinal);
        Assert.Contains(" rows/s", text.Output, StringComparison.Ordinal);
        Assert.Matches(@"\), 0 rows/s\r?\n", text.Output);
        Assert.DoesNotContain("ETA", text.Output, StringComparison.Ordinal);

        var abort = await ChildSwap.RunAsync(target, "abort");
        Assert.True(abort.ExitCode == 0, abort.Output);
        Assert.Equal(10, await runner.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(EngineKit.InitialItems(rows).Values.OrderBy(r => r.Id).ToList(), await EngineKit.ReadItemsAsync(target, withFlag: false));
    }

    [Fact]
    public async Task Commands_that_need_a_running_swap_are_refused_when_none_runs_and_bad_settings_are_usage_errors()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);

        var abort = await ChildSwap.RunAsync(target, "abort");
        Assert.True(abort.ExitCode == 11, abort.Output);
        Assert.Contains("No swap is running", abort.Output, StringComparison.Ordinal);
        var set = await ChildSwap.RunAsync(target, "set", "chunk-time", "200ms");
        Assert.True(set.ExitCode == 11, set.Output);
        var cutOver = await ChildSwap.RunAsync(target, "cut-over");
        Assert.True(cutOver.ExitCode == 11, cutOver.Output);
        Assert.Contains("waiting for a cut-over", cutOver.Output, StringComparison.Ordinal);
        var bad = await ChildSwap.RunAsync(target, "set", "chunk-size", "5");
        Assert.True(bad.ExitCode == 2, bad.Output);
        Assert.Contains("Live settings: chunk-time, max-replica-lag, max-load, critical-load", bad.Output, StringComparison.Ordinal);
        var badValue = await ChildSwap.RunAsync(target, "set", "max-load", "lots");
        Assert.True(badValue.ExitCode == 2, badValue.Output);

        // Nothing was recorded by the refusals.
        Assert.Empty(await OperatorKit.Control(target).RecentCommandsAsync());
    }

    [Fact]
    public async Task A_pause_sent_while_no_swap_runs_is_shown_by_status_live_until_resume()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await OperatorKit.ArrangeAsync(target);

        var pause = await ChildSwap.RunAsync(target, "pause");
        Assert.True(pause.ExitCode == 0, pause.Output);
        // No swap runs, but the next one starts paused: the live status must say so, in words and in JSON.
        var text = await ChildSwap.RunAsync(target, "status", "--live");
        Assert.True(text.ExitCode == 0, text.Output);
        Assert.Matches(@"(?m)^  paused: a pause sent by .+ at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC is in force: the next swap starts paused; 'swap resume' lifts it$", text.Output);
        var json = await OperatorKit.StatusJsonAsync(target);
        Assert.False(json.GetProperty("running").GetBoolean());
        Assert.Contains("pid", json.GetProperty("pauseInForce").GetProperty("sentBy").GetString(), StringComparison.Ordinal);

        var resume = await ChildSwap.RunAsync(target, "resume");
        Assert.True(resume.ExitCode == 0, resume.Output);
        Assert.DoesNotContain("paused:", (await ChildSwap.RunAsync(target, "status", "--live")).Output, StringComparison.Ordinal);
        Assert.False((await OperatorKit.StatusJsonAsync(target)).TryGetProperty("pauseInForce", out _));
    }
}
