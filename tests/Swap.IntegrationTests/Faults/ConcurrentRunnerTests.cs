using Swap.Scenarios.Faults;

namespace Swap.IntegrationTests.Faults;

/// <summary>
/// Two <c>swap up</c> processes started together on one database, with a copy-and-swap script and
/// a SQL script after it pending: exactly one applies them; the other fails fast (exit 3, naming
/// the holder) or, with <c>--lock-timeout</c>, waits and then finds nothing to do. The history
/// holds each script once and the table equals its seeded content with the new column.
/// The winner is held inside its run by an application lock so the two really overlap: a row
/// lock its copy waits on (PostgreSQL), a transaction its capture triggers wait on (MariaDB), the
/// write lock (SQLite).
/// </summary>
public abstract class ConcurrentRunners
{
    protected sealed record Setup(FaultTarget Target, ItemsTable Table, ItemsModel Model, TableLocker Holder) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Holder.DisposeAsync();
            await Target.DisposeAsync();
        }
    }

    protected static async Task<Setup> ArrangeAsync(DatabaseEngine engine)
    {
        var target = await FaultTarget.CreateAsync(engine);
        var table = new ItemsTable(target);
        var model = await table.CreateAsync(2_000, seed: 61);
        table.WriteMigration();
        target.WriteMigration("20261202000000_after_swap.sql", "CREATE TABLE after_swap (id INT NOT NULL PRIMARY KEY);\n");
        var holder = engine == DatabaseEngine.Sqlite
            ? await TableLocker.TableAsync(target, table.Name)
            : await TableLocker.RowAsync(target, table.Name, 1_500);
        return new Setup(target, table, model, holder);
    }

    protected static async Task AssertAppliedOnceAsync(Setup s)
    {
        var history = await TargetChecks.HistoryAsync(s.Target);
        Assert.Equal(["20261202000000_after_swap", ItemsTable.ScriptId], history.Select(h => h.Id).Order(StringComparer.Ordinal));
        Assert.Empty(await TargetChecks.AfterSuccessAsync(s.Target, s.Table, s.Model, ["20261202000000_after_swap", ItemsTable.ScriptId]));
    }

}

public class ConcurrentRunnersFailFastTests : ConcurrentRunners
{
    [Theory]
    [InlineData(DatabaseEngine.PostgreSql)]
    [InlineData(DatabaseEngine.MySql)]
    [InlineData(DatabaseEngine.Sqlite)]
    public async Task Two_ups_started_together_one_applies_and_the_other_fails_fast(DatabaseEngine engine)
    {
        await using var s = await ArrangeAsync(engine);
        using var a = SwapProcess.Start(s.Target, FaultTrial.UpArgs[..3]);
        using var b = SwapProcess.Start(s.Target, FaultTrial.UpArgs[..3]);

        var first = await Task.WhenAny(a.Exited, b.Exited);
        var (loser, winner) = first == a.Exited ? (a, b) : (b, a);
        var loserCode = await loser.WaitAsync(TimeSpan.FromMinutes(2));
        await s.Holder.ReleaseAsync();
        var winnerCode = await winner.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(loserCode == 3, "the second runner should fail fast with exit 3:\n" + loser.Output);
        Assert.Contains("error: Another swap run holds the migration lock on ", loser.Stderr, StringComparison.Ordinal);
        Assert.Contains("Wait for it to finish, or pass --lock-timeout <duration> (for example 5m) to wait for it.", loser.Stderr, StringComparison.Ordinal);
        Assert.Equal("", loser.Stdout);
        Assert.True(winnerCode == 0, winner.Output);
        Assert.Contains($"applied\t{ItemsTable.ScriptId}\t", winner.Stdout, StringComparison.Ordinal);
        Assert.Contains("applied\t20261202000000_after_swap\t", winner.Stdout, StringComparison.Ordinal);
        await AssertAppliedOnceAsync(s);
    }
}

public class ConcurrentRunnersWaitingTests : ConcurrentRunners
{
    [Theory]
    [InlineData(DatabaseEngine.PostgreSql)]
    [InlineData(DatabaseEngine.MySql)]
    [InlineData(DatabaseEngine.Sqlite)]
    public async Task Two_ups_started_together_with_a_lock_timeout_one_applies_and_the_other_waits_then_finds_nothing(DatabaseEngine engine)
    {
        await using var s = await ArrangeAsync(engine);
        string[] args = ["up", "--chunk-time", "20ms", "--lock-timeout", "3m"];
        using var a = SwapProcess.Start(s.Target, args);
        using var b = SwapProcess.Start(s.Target, args);

        // One of them says it waits for the other; only then does the application let go.
        var waitingA = a.WaitForLineAsync(l => l.Contains("Waiting for the run lock on", StringComparison.Ordinal), TimeSpan.FromMinutes(2));
        var waitingB = b.WaitForLineAsync(l => l.Contains("Waiting for the run lock on", StringComparison.Ordinal), TimeSpan.FromMinutes(2));
        var waited = await Task.WhenAny(waitingA, waitingB);
        Assert.True(await waited, "neither runner reported waiting:\n" + a.Output + "\n---\n" + b.Output);
        await s.Holder.ReleaseAsync();
        var (waiter, winner) = waited == waitingA ? (a, b) : (b, a);

        Assert.Equal(0, await winner.WaitAsync(TimeSpan.FromMinutes(2)));
        Assert.Equal(0, await waiter.WaitAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains($"applied\t{ItemsTable.ScriptId}\t", winner.Stdout, StringComparison.Ordinal);
        Assert.Equal("Nothing to apply: the database is up to date.\n", waiter.Stdout);
        await AssertAppliedOnceAsync(s);
    }
}
