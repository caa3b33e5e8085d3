using System.Data.Common;
using Microsoft.Extensions.Logging;
using Swap.Dialects;

namespace Swap.Locking;

/// <summary>Takes the run lock: at once, or by polling until the lock timeout, never blocking unbounded on the server.</summary>
internal static class RunLockAcquirer
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a run waits for a dead holder's session to end after asking the server to end it.</summary>
    private static readonly TimeSpan ReclaimGrace = TimeSpan.FromSeconds(30);

    public static async Task<RunLock> AcquireAsync(SwapDatabase database, string lockInfoTable, TimeSpan timeout, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var holder = RunIdentity.Describe();
        var started = time.GetTimestamp();
        var runLock = database.CreateRunLock(lockInfoTable);
        try
        {
            var logged = false;
            var reclaimed = false;
            while (true)
            {
                if (await TryAcquireAsync(database, runLock, holder, time, cancellationToken))
                {
                    Log.LockAcquired(logger, database.LockScope, holder);
                    return runLock;
                }
                var waited = time.GetElapsedTime(started);
                if (!reclaimed && await runLock.ReclaimFromDeadHolderAsync(cancellationToken) is { } dead)
                {
                    // The dead holder's server session is being ended: wait for it a bounded while, whatever --lock-timeout says.
                    Log.LockReclaimed(logger, database.LockScope, dead);
                    reclaimed = true;
                    timeout = waited + (timeout > ReclaimGrace ? timeout : ReclaimGrace);
                }
                if (waited >= timeout)
                {
                    var current = await runLock.DescribeHolderAsync(cancellationToken);
                    var waitedText = timeout > TimeSpan.Zero ? $" after waiting {Durations.Format(waited)}" : "";
                    // Whoever already waited is told to wait longer, not to pass the option they passed.
                    var advice = timeout > TimeSpan.Zero
                        ? "Wait for it to finish, or pass a longer --lock-timeout to wait longer."
                        : "Wait for it to finish, or pass --lock-timeout <duration> (for example 5m) to wait for it.";
                    throw new SwapException(
                        SwapErrorKind.LockHeld,
                        $"Another swap run holds the migration lock on {database.DisplayName}{waitedText}: {current?.ToString() ?? "holder unknown"}. {advice}");
                }
                if (!logged)
                {
                    Log.LockWaiting(logger, database.LockScope, (await runLock.DescribeHolderAsync(cancellationToken))?.ToString() ?? "unknown");
                    logged = true;
                }
                var remaining = timeout - waited;
                await Task.Delay(remaining < PollInterval ? remaining : PollInterval, time, cancellationToken);
            }
        }
        catch
        {
            await runLock.DisposeAsync();
            throw;
        }
    }

    /// <summary>The first thing a run does on the target: its errors (often a missing privilege) say so.</summary>
    private static async Task<bool> TryAcquireAsync(SwapDatabase database, RunLock runLock, string holder, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            return await runLock.TryAcquireAsync(holder, time.GetUtcNow().UtcDateTime, cancellationToken);
        }
        catch (Exception e) when (database.IsDatabaseError(e))
        {
            throw database.Translate(e, $"Taking the run lock on {database.DisplayName}");
        }
    }
}
