using Swap.Data;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// Installing capture waits for a transaction that holds the table only as long as a cut-over
/// would (<see cref="OnlineSwapOptions.CutOverLockTimeout"/>) and retries with backoff, so the
/// application's statements never queue behind a trigger creation for the statement lock wait.
/// </summary>
public class CaptureLockTests
{
    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task A_transaction_holding_the_table_makes_capture_give_up_after_its_bounded_retries_with_nothing_installed(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 500);
        EngineKit.WriteSwapScript(target);
        await using var holder = await target.OpenAsync();
        await holder.ExecuteAsync(engine == DatabaseEngine.MySql ? "START TRANSACTION" : "BEGIN", default);
        await holder.ExecuteAsync("UPDATE items SET n = n + 1 WHERE id = 1", default);
        var holderId = Convert.ToInt64(await holder.ScalarAsync(engine == DatabaseEngine.MySql ? "SELECT CONNECTION_ID()" : "SELECT pg_backend_pid()", default));

        var failure = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o =>
        {
            o.Swap.CutOverLockTimeout = TimeSpan.FromMilliseconds(300);
            o.Swap.CutOverRetries = 2;
            o.Swap.CutOverRetryDelay = TimeSpan.FromMilliseconds(50);
            o.TransientRetries = 0;
        }).UpAsync());

        Assert.Equal(SwapErrorKind.CutOverTimedOut, failure.Kind);
        Assert.Contains("capture could not be installed on 'items'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("3 attempt(s) of 300 ms each", failure.Message, StringComparison.Ordinal);
        // The session in the way is named, with what ends it.
        Assert.Contains(engine == DatabaseEngine.MySql ? $"thread {holderId} (" : $"Holding it: pid {holderId} (", failure.Message, StringComparison.Ordinal);
        Assert.Contains(engine == DatabaseEngine.MySql ? $"KILL {holderId})" : $"pg_terminate_backend({holderId})", failure.Message, StringComparison.Ordinal);
        await holder.ExecuteAsync("COMMIT", default);
        Assert.DoesNotContain(await EngineKit.LeftoversAsync(target), l => l.StartsWith("trigger", StringComparison.Ordinal));
        Assert.Equal(1L, Convert.ToInt64(await target.ScalarAsync("SELECT n FROM items WHERE id = 1")));

        var result = await EngineKit.Migrator(target).UpAsync();

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        Assert.Equal(500L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM items WHERE flag IS NOT NULL")));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }
}
