using System.Data.Common;

namespace Swap.Engine;

internal sealed partial class SwapOperation
{
    /// <summary>
    /// Applies the change logs of all tables of the swap. With <paramref name="drain"/> it stops
    /// at an empty log; otherwise as soon as a batch comes back short, i.e. the backlog is below
    /// one batch (between chunks the copy goes on; the rest is picked up next time).
    /// </summary>
    private async Task CatchUpAsync(bool drain = false)
    {
        if (!online || state.InTransaction)
            return;
        foreach (var spec in specs)
        {
            while (true)
            {
                if (!drain)
                {
                    session.Run.ThrowIfBudgetSpent();
                    await ControlPointAsync();
                }
                var batchStart = session.Run.Time.GetTimestamp();
                var applied = await session.Run.RetryTransientAsync($"apply the change log of {spec.Original.Name}", async ct =>
                {
                    await EnsureRunLockAsync();
                    try
                    {
                        return await applier.ApplyBatchAsync(Connection, null, ownTransaction: true, spec, ct);
                    }
                    catch (Exception e) when (session.Database.IsDatabaseError(e))
                    {
                        throw session.Database.Translate(e, $"{session.Script.Id}: apply the change log of {spec.Original.Name}");
                    }
                });
                if (applied == 0 || (!drain && applied < applier.BatchSize))
                    break;
                await LetWritersInAsync(session.Run.Time.GetElapsedTime(batchStart));
            }
        }
    }

    /// <summary>
    /// Before the cut-over takes its locks: apply until each log holds less than
    /// <see cref="OnlineSwapOptions.CutOverBacklog"/> rows, so the rest is short to apply under the lock.
    /// </summary>
    private async Task CatchUpBeforeCutOverAsync()
    {
        if (!online || state.InTransaction)
            return;
        foreach (var spec in specs)
        {
            while (true)
            {
                session.Run.ThrowIfBudgetSpent();
                await ControlPointAsync();
                await EnsureRunLockAsync();
                var batchStart = session.Run.Time.GetTimestamp();
                int applied;
                try
                {
                    applied = await applier.ApplyBatchAsync(Connection, null, ownTransaction: true, spec, Token);
                }
                catch (Exception e) when (session.Database.IsDatabaseError(e))
                {
                    throw session.Database.Translate(e, $"{session.Script.Id}: apply the change log of {spec.Original.Name}");
                }
                if (applied < Math.Min(applier.BatchSize, Math.Max(1, options.CutOverBacklog)))
                    break;
                await LetWritersInAsync(session.Run.Time.GetElapsedTime(batchStart));
            }
        }
    }

    /// <summary>
    /// The catch-up under the cut-over's locks: nobody else can write the originals, so the logs
    /// only shrink; apply them to the end, in the cut-over's transaction where it has one
    /// (PostgreSQL), else in batches of their own (MySQL, while other sessions hold the locks).
    /// </summary>
    private async Task CatchUpUnderLockAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        foreach (var spec in specs)
        {
            while (await applier.ApplyBatchAsync(connection, transaction, ownTransaction: transaction is null, spec, cancellationToken) > 0)
            {
            }
        }
        Running.FaultPoints.Hit("cutover-catchup");
    }
}
