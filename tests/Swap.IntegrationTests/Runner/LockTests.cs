using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

public class LockTests
{
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Status_names_the_lock_holder_and_lock_timeout_waits_until_it_is_released(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        var holder = await RunLocks.HoldAsync(target);
        try
        {
            var status = await SwapCli.RunAsync(target, "status");
            Assert.Equal(0, status.ExitCode);
            Assert.Matches($@"^lock: held by {Environment.UserName}@{Environment.MachineName} pid {Environment.ProcessId} since \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d UTC", status.OutLines[1]);

            var shortWait = await SwapCli.RunAsync(target, "up", "--lock-timeout", "300ms");
            Assert.Equal(3, shortWait.ExitCode);
            Assert.Contains(" after waiting ", shortWait.Err, StringComparison.Ordinal);
            Assert.EndsWith("Wait for it to finish, or pass a longer --lock-timeout to wait longer.\n", shortWait.Err, StringComparison.Ordinal);

            var waiting = SwapCli.Start(target, ["up", "--lock-timeout", "60s"]);
            await waiting.WaitForOutputAsync("Waiting for the run lock");
            await holder.DisposeAsync();
            var run = await waiting.Completion;

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal(["20261118000000_a"], await target.HistoryIdsAsync());
        }
        finally
        {
            await holder.DisposeAsync();
        }
        var after = await SwapCli.RunAsync(target, "status");
        Assert.DoesNotContain("lock:", after.Out, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_refused_runner_leaves_the_holders_name_for_the_next_one(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        await using var holder = await RunLocks.HoldAsync(target);
        var named = $"{Environment.UserName}@{Environment.MachineName} pid {Environment.ProcessId} since ";

        var refused = await SwapCli.RunAsync(target, "up");
        var waited = await SwapCli.RunAsync(target, "up", "--lock-timeout", "300ms");
        var again = await SwapCli.RunAsync(target, "up");
        var status = await SwapCli.RunAsync(target, "status");

        Assert.Equal([3, 3, 3], new[] { refused.ExitCode, waited.ExitCode, again.ExitCode });
        Assert.Contains(named, refused.Err, StringComparison.Ordinal);
        Assert.Contains(named, waited.Err, StringComparison.Ordinal);
        Assert.Contains(named, again.Err, StringComparison.Ordinal);
        Assert.StartsWith("lock: held by " + named, status.OutLines[1], StringComparison.Ordinal);
        Assert.Equal([$"{Environment.UserName}@{Environment.MachineName} pid {Environment.ProcessId}"], await target.ColumnAsync("SELECT holder FROM swap_lock"));
        Assert.Empty(await target.HistoryIdsAsync());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Concurrent_ups_apply_each_script_exactly_once(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await target.ExecuteAsync("CREATE TABLE runs (id INT NOT NULL PRIMARY KEY)");
        var gate = new Gate(target.Folder);
        target.CSharp("20261118000000_Slow", gate.Script("MigrateSlow", "INSERT INTO runs (id) VALUES (1)"));
        target.Sql("20261119000000_b", "INSERT INTO runs (id) VALUES (2);");

        var first = SwapCli.Start(target, ["up"]);
        await gate.WaitStartedAsync(diagnostics: () => first.Err.Text);
        // While the first run is inside a script: a runner that does not wait fails fast...
        var failFast = await SwapCli.RunAsync(target, "up");
        Assert.Equal(3, failFast.ExitCode);
        Assert.Contains("Another swap run holds the migration lock on ", failFast.Err, StringComparison.Ordinal);
        // ...and one that waits computes what is pending only once it holds the lock.
        var second = SwapCli.Start(target, ["up", "--lock-timeout", "60s"]);
        await second.WaitForOutputAsync("Waiting for the run lock");
        gate.Open();
        var (one, two) = (await first.Completion, await second.Completion);

        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.True(two.ExitCode == 0, two.ToString());
        Assert.Equal("Applied 2 script(s) as batch 1.", one.OutLines[^1]);
        Assert.Equal(["Nothing to apply: the database is up to date."], two.OutLines);
        Assert.Equal(["1", "2"], await target.ColumnAsync("SELECT id FROM runs ORDER BY id"));
        Assert.Equal([("MigrateSlow", 1L), ("20261119000000_b", 1L)], (await target.HistoryAsync()).Select(h => (h.ScriptId, h.Batch)));
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_killed_runners_lock_is_reclaimed_and_its_interrupted_script_applies_once(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await target.ExecuteAsync("CREATE TABLE runs (id INT NOT NULL PRIMARY KEY)");
        var gate = new Gate(target.Folder);
        target.CSharp("20261118000000_Slow", gate.Script("MigrateSlow", "INSERT INTO runs (id) VALUES (1)"));

        using (var child = ChildSwap.Start(target, "up"))
        {
            await gate.WaitStartedAsync(diagnostics: child.Output);
            var held = await SwapCli.RunAsync(target, "status");
            Assert.Contains($"pid {child.Id}", held.Out, StringComparison.Ordinal);
            Assert.Contains("running now", held.Out, StringComparison.Ordinal);
            child.Kill();
        }
        gate.Open();

        var status = await SwapCli.RunAsync(target, "status");
        Assert.DoesNotContain("lock:", status.Out, StringComparison.Ordinal);
        // In one transaction the killed script left nothing; journaled (MySQL), its insert is a done step.
        var done = EngineTraits.RunsScriptsInOneTransaction(engine) ? 0 : 1;
        Assert.Contains($"interrupted\t", status.Out, StringComparison.Ordinal);
        Assert.Contains(done == 0 ? "interrupted; nothing of it is left done, and 'swap up' runs it again from the start" : $"interrupted; 'swap up' resumes it after {done} journaled step(s)", status.Out, StringComparison.Ordinal);
        var run = await SwapCli.RunAsync(target, "up", "--lock-timeout", "10s");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["1"], await target.ColumnAsync("SELECT id FROM runs"));
        Assert.Equal(["MigrateSlow"], await target.HistoryIdsAsync());
    }

    [Fact]
    public async Task A_postgres_lock_session_terminated_by_an_admin_is_reclaimed()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        target.CreateTable("20261118000000_a", "a");
        var holder = await RunLocks.HoldAsync(target);
        await using (holder)
        {
            var pid = await RunLocks.PostgresHolderPidAsync(target);
            Assert.NotNull(pid);
            Assert.Equal(3, (await SwapCli.RunAsync(target, "up")).ExitCode);

            Assert.Equal(true, await target.ScalarAsync("SELECT pg_terminate_backend(@pid)", new { pid = (int)pid }));
            var run = await SwapCli.RunAsync(target, "up", "--lock-timeout", "10s");

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal(["20261118000000_a"], await target.HistoryIdsAsync());
            Assert.False(await holder.StillHeldAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task A_runner_whose_postgres_lock_session_ends_stops_before_its_next_script()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        var gate = new Gate(target.Folder);
        target.CSharp("20261118000000_Slow", gate.Script("MigrateSlow"));
        target.CreateTable("20261119000000_b", "b");
        var running = SwapCli.Start(target, ["up"]);
        await gate.WaitStartedAsync(diagnostics: () => running.Err.Text);

        var pid = await RunLocks.PostgresHolderPidAsync(target);
        Assert.Equal(true, await target.ScalarAsync("SELECT pg_terminate_backend(@pid)", new { pid = (int)pid! }));
        gate.Open();
        var run = await running.Completion;

        // Another runner may have taken the lock meanwhile: the script in progress finishes, no further script starts.
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("The run lock on ", run.Err, StringComparison.Ordinal);
        Assert.Contains(" was lost", run.Err, StringComparison.Ordinal);
        Assert.Equal(["MigrateSlow"], await target.HistoryIdsAsync());
        Assert.DoesNotContain("b", await target.TablesAsync());
    }
}
