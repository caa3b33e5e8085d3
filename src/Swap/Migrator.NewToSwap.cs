using System.Data.Common;
using Swap.History;
using Swap.Locking;

namespace Swap;

// A database new to Swap stays so when a run changes nothing: Swap's own tables (and a SQLite file
// the run created) go again when a verb was refused or had nothing to act on.
public sealed partial class Migrator
{
    /// <summary>
    /// True when the database never saw Swap: no history table once the run lock is ours (taking it
    /// made the lock's table). A verb that finds nothing of Swap's there to act on (<c>down</c>,
    /// <c>cleanup</c>, <c>sync</c>, <c>revert</c>, <c>finish</c>) leaves it so, whatever its outcome,
    /// with <see cref="DropUnusedTablesAsync"/>.
    /// </summary>
    private async Task<bool> NewToSwapAsync(DbConnection connection, CancellationToken cancellationToken) =>
        !await database.TableExistsAsync(connection, options.Tables.History, cancellationToken);

    /// <summary>
    /// After a refusal on a database that had no Swap history before this run: when none of Swap's
    /// tables holds a row (nothing was applied, recorded or started), they are dropped again
    /// (<see cref="HistoryStore.DropIfUnusedAsync"/>), so bad input leaves the database as it was.
    /// Never throws over the refusal.
    /// </summary>
    /// <param name="runLock">The run's lock, still held.</param>
    /// <param name="quiet">True when this run was never meant to make Swap's tables (a dry run, a verb with nothing to act on): the lock's own table going again is not news.</param>
    private async Task DropUnusedTablesAsync(RunLock runLock, bool quiet = false)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            if (!await runLock.StillHeldAsync(cts.Token))
                return;
            await using var connection = await OpenAsync(cts.Token);
            if (await history.DropIfUnusedAsync(connection, cts.Token) is { Count: > 0 } dropped && !quiet)
                Log.UnusedTablesDropped(logger, string.Join(", ", dropped));
        }
        catch (Exception e) when (CannotRecord(e))
        {
            // The refusal is what the user needs; empty bookkeeping tables are harmless.
        }
    }

    /// <summary>
    /// After a refused first run that created the database's storage (a SQLite file): removes it
    /// again when it holds no table, so bad input at a mistyped path leaves no file there (the run
    /// lock's file beside it stays: removing a lock file another runner may be opening is not safe).
    /// Never throws over the refusal.
    /// </summary>
    private async Task RemoveCreatedStoreAsync(RunLock runLock)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            if (await runLock.StillHeldAsync(cts.Token) && await database.RemoveEmptyStoreAsync(cts.Token))
                Log.CreatedStoreRemoved(logger, database.DisplayName);
        }
        catch (Exception e) when (CannotRecord(e) || e is IOException or UnauthorizedAccessException)
        {
            // The refusal is what the user needs; an empty database file is harmless.
        }
    }
}
