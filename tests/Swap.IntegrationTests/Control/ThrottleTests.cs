using System.Data.Common;
using Swap.Data;
using Swap.IntegrationTests.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Control;

/// <summary>The load, critical-load and query throttles on the real servers: the swap waits and says why, then goes on and finishes equal to the oracle.</summary>
public class ThrottleTests
{
    [Fact]
    public async Task Max_load_throttles_and_a_live_set_lifts_it()
    {
        // MariaDB's Threads_running here; the critical-load test below reads PostgreSQL's active backends.
        const DatabaseEngine engine = DatabaseEngine.MySql;
        await using var target = await TestTarget.CreateAsync(engine);
        await OperatorKit.ArrangeAsync(target);
        await using var load = await BusySessions.StartAsync(target, 2);

        using var runner = OperatorKit.StartUp(target, "--max-load", "1");
        var throttled = await OperatorKit.WaitForAsync(target, runner, s => s.Throttled, "throttled");
        Assert.StartsWith("load: ", throttled.ThrottleReason, StringComparison.Ordinal);
        Assert.Contains("Threads_running", throttled.ThrottleReason, StringComparison.Ordinal);
        Assert.NotNull(throttled.ThrottledSinceUtc);
        Assert.DoesNotContain("flag", await OperatorKit.ColumnsAsync(target));

        var set = await ChildSwap.RunAsync(target, "set", "max-load", "off");
        Assert.True(set.ExitCode == 0, set.Output);
        Assert.Equal(0, await runner.WaitAsync(TimeSpan.FromMinutes(2)));
        OracleWriter.AssertMatches(EngineKit.InitialItems(OperatorKit.Rows), new HashSet<long>(), await EngineKit.ReadItemsAsync(target));
    }

    [Fact]
    public async Task Critical_load_pauses_for_a_person_and_resume_continues()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await OperatorKit.ArrangeAsync(target);
        await using var load = await BusySessions.StartAsync(target, 2);

        using var runner = OperatorKit.StartUp(target, "--critical-load", "1");
        var paused = await OperatorKit.WaitForAsync(target, runner, s => s.Paused, "paused by critical load");
        Assert.StartsWith("swap (critical load: active backends ", paused.PausedBy, StringComparison.Ordinal);
        // The pause is recorded like an operator's and waits for a person even once the load is gone.
        await load.DisposeAsync();
        var status = (await OperatorKit.StatusJsonAsync(target)).GetProperty("swaps")[0];
        Assert.True(status.GetProperty("paused").GetBoolean());
        Assert.Equal(0, status.GetProperty("rows").GetInt64());

        Assert.Equal(0, (await ChildSwap.RunAsync(target, "set", "critical-load", "off")).ExitCode);
        var resume = await ChildSwap.RunAsync(target, "resume");
        Assert.True(resume.ExitCode == 0, resume.Output);
        Assert.Equal(0, await runner.WaitAsync(TimeSpan.FromMinutes(2)));
        OracleWriter.AssertMatches(EngineKit.InitialItems(OperatorKit.Rows), new HashSet<long>(), await EngineKit.ReadItemsAsync(target));
    }

    [Fact]
    public async Task A_throttle_query_holds_the_swap_while_it_returns_more_than_zero()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await OperatorKit.ArrangeAsync(target);
        await target.ExecuteAsync("CREATE TABLE brake (on_hold INT NOT NULL)");
        await target.ExecuteAsync("INSERT INTO brake VALUES (3)");

        using var runner = OperatorKit.StartUp(target, "--throttle-query", "SELECT COALESCE(SUM(on_hold), 0) FROM brake");
        var throttled = await OperatorKit.WaitForAsync(target, runner, s => s.Throttled, "throttled by the query");
        Assert.Equal("the throttle query returned 3", throttled.ThrottleReason);
        Assert.Equal(0, throttled.Rows);

        await target.ExecuteAsync("DELETE FROM brake");
        Assert.Equal(0, await runner.WaitAsync(TimeSpan.FromMinutes(2)));
        OracleWriter.AssertMatches(EngineKit.InitialItems(OperatorKit.Rows), new HashSet<long>(), await EngineKit.ReadItemsAsync(target));
    }
}

/// <summary>Sessions that keep a statement running on the server (sleep), so its load signal counts them.</summary>
internal sealed class BusySessions : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> sleepers = [];
    private readonly List<DbConnection> connections = [];
    private bool disposed;

    public static async Task<BusySessions> StartAsync(TestTarget target, int count)
    {
        var busy = new BusySessions();
        var sleep = target.Engine == DatabaseEngine.MySql ? "SELECT SLEEP(300)" : "SELECT pg_sleep(300)";
        for (var i = 0; i < count; i++)
        {
            var c = await target.OpenAsync();
            busy.connections.Add(c);
            busy.sleepers.Add(Task.Run(async () =>
            {
                try
                {
                    await c.ExecuteAsync(sleep, null, null, busy.stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or DbException or SwapException)
                {
                }
            }));
        }
        // Both statements running, as the server sees them.
        var database = target.Database();
        await using var probe = await database.OpenConnectionAsync(default);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && (await Swap.Throttling.ServerLoadCheck.ReadAsync(database, probe, default) ?? 0) < count)
            await Task.Delay(50);
        return busy;
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
            return;
        disposed = true;
        await stop.CancelAsync();
        await Task.WhenAll(sleepers);
        foreach (var c in connections)
            await c.DisposeAsync();
        stop.Dispose();
    }
}
