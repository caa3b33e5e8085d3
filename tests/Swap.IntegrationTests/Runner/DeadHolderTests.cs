using System.Diagnostics;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

/// <summary>
/// A rerun right after a crash must not be locked out: a run lock whose recorded holder is a
/// process of this host that no longer runs is taken over (its server session ended), without
/// --lock-timeout. A holder that lives, or that runs on another host, is never touched.
/// </summary>
public class DeadHolderTests
{
    public static TheoryData<DatabaseEngine> ServerEngines => new() { DatabaseEngine.MySql, DatabaseEngine.PostgreSql };

    private static async Task<int> DeadPidAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        return process.Id;
    }

    private static string Holder(string host, int pid) => $"{Environment.UserName}@{host} pid {pid}";

    [Theory]
    [MemberData(nameof(ServerEngines))]
    public async Task A_lock_still_held_for_a_dead_process_of_this_host_is_reclaimed_at_once(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        // The server session of a process killed mid-statement: it still holds the lock.
        var ghost = target.Database().CreateRunLock("swap_lock");
        await using (ghost)
        {
            Assert.True(await ghost.TryAcquireAsync(Holder(Environment.MachineName, await DeadPidAsync()), DateTime.UtcNow, default));

            var run = await SwapCli.RunAsync(target, "up");

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("no longer runs; its server session was ended to take the lock over", run.Err, StringComparison.Ordinal);
            Assert.Equal(["20261118000000_a"], await target.HistoryIdsAsync());
            Assert.False(await ghost.StillHeldAsync(default));
        }
    }

    [Theory]
    [MemberData(nameof(ServerEngines))]
    public async Task A_live_holder_or_one_on_another_host_is_never_touched(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CreateTable("20261118000000_a", "a");
        using var alive = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            foreach (var holder in new[] { Holder(Environment.MachineName, alive.Id), Holder("another-host", await DeadPidAsync()) })
            {
                var other = target.Database().CreateRunLock("swap_lock");
                await using (other)
                {
                    Assert.True(await other.TryAcquireAsync(holder, DateTime.UtcNow, default));

                    var run = await SwapCli.RunAsync(target, "up");

                    Assert.Equal(3, run.ExitCode);
                    Assert.Contains($"Another swap run holds the migration lock on {target.Database().DisplayName}: {holder}", run.Err, StringComparison.Ordinal);
                    Assert.True(await other.StillHeldAsync(default));
                    Assert.Empty(await target.HistoryIdsAsync());
                }
            }
        }
        finally
        {
            alive.Kill();
        }
    }
}
