using System.Data.Common;
using Swap.Dialects;

namespace Swap.Locking;

/// <summary>
/// A run lock the server keeps for one session (MySQL <c>GET_LOCK</c>, PostgreSQL advisory
/// locks): held on a dedicated connection and released by the server when that session ends, so
/// a holder that dies never leaves it behind. Subclasses say how to take, check, release and
/// describe the lock; this class owns the connection and the holder's row in the info table.
/// </summary>
internal abstract class SessionRunLock(SwapDatabase database, string lockInfoTable) : RunLock
{
    private DbConnection? connection;

    // A runner that was refused the lock has a connection too, but the info row is the holder's.
    private bool acquired;

    /// <summary>The table that holds the holder's description.</summary>
    protected string LockInfoTable { get; } = lockInfoTable;

    /// <summary>Takes the lock on <paramref name="session"/> without waiting; false when another session has it.</summary>
    protected abstract Task<bool> TryTakeAsync(DbConnection session, CancellationToken cancellationToken);

    /// <summary>True when <paramref name="session"/> holds the lock.</summary>
    protected abstract Task<bool> IsHeldByAsync(DbConnection session, CancellationToken cancellationToken);

    /// <summary>Releases the lock (closing the session would too).</summary>
    protected abstract Task ReleaseAsync(DbConnection session);

    /// <summary>Who holds the lock, read from <paramref name="session"/>.</summary>
    protected abstract Task<LockHolder?> PeekAsync(DbConnection session, CancellationToken cancellationToken);

    /// <summary>The server session that holds the lock (connection id, backend pid), or null when none does.</summary>
    protected abstract Task<long?> HoldingSessionAsync(DbConnection session, CancellationToken cancellationToken);

    /// <summary>Ends server session <paramref name="id"/> (MySQL <c>KILL</c>, PostgreSQL <c>pg_terminate_backend</c>).</summary>
    protected abstract Task TerminateSessionAsync(DbConnection session, long id, CancellationToken cancellationToken);

    /// <summary>How long a holder's info row must stay unchanged before a dead holder's session is ended.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(300);

    public sealed override async Task<string?> ReclaimFromDeadHolderAsync(CancellationToken cancellationToken)
    {
        connection ??= await database.OpenConnectionAsync(cancellationToken);
        var first = await HoldingSessionAsync(connection, cancellationToken);
        var holder = await LockInfo.ReadAsync(database, connection, LockInfoTable, null, cancellationToken);
        if (first is null || holder is null || !RunIdentity.IsProvablyDead(holder.Holder, holder.SinceUtc))
            return null;
        // A new holder writes its row just after it takes the lock: wait a moment and look again, so
        // a live process that has just taken the lock (still showing the dead one's row) is never ended.
        await Task.Delay(SettleTime, cancellationToken);
        var again = await LockInfo.ReadAsync(database, connection, LockInfoTable, null, cancellationToken);
        if (await HoldingSessionAsync(connection, cancellationToken) != first || again != holder)
            return null;
        await TerminateSessionAsync(connection, first.Value, cancellationToken);
        return $"{holder.Holder} (server session {first.Value})";
    }

    public sealed override async Task<bool> TryAcquireAsync(string holder, DateTime sinceUtc, CancellationToken cancellationToken)
    {
        connection ??= await database.OpenConnectionAsync(cancellationToken);
        if (!await TryTakeAsync(connection, cancellationToken))
            return false;
        acquired = true;
        await LockInfo.WriteAsync(connection, database.Dialect, LockInfoTable, holder, sinceUtc, cancellationToken);
        return true;
    }

    public sealed override async Task<LockHolder?> DescribeHolderAsync(CancellationToken cancellationToken)
    {
        connection ??= await database.OpenConnectionAsync(cancellationToken);
        return await PeekAsync(connection, cancellationToken);
    }

    public sealed override async Task<bool> StillHeldAsync(CancellationToken cancellationToken)
    {
        if (connection is null)
            return false;
        try
        {
            return await IsHeldByAsync(connection, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException || database.IsDatabaseError(e))
        {
            // The session is gone, and the lock with it.
            return false;
        }
    }

    public sealed override async ValueTask DisposeAsync()
    {
        if (connection is null)
            return;
        // Only the holder clears the row: a runner refused the lock, or one that lost it to another
        // runner, would otherwise erase who holds it now ('held by an unknown holder').
        if (acquired && await StillHeldAsync(CancellationToken.None))
        {
            await LockInfo.ClearAsync(database, connection, LockInfoTable);
            try
            {
                await ReleaseAsync(connection);
            }
            catch (Exception e) when (e is InvalidOperationException || database.IsDatabaseError(e))
            {
                // Closing the session below releases the lock anyway.
            }
        }
        acquired = false;
        await connection.DisposeAsync();
        connection = null;
    }
}
