using System.Data.Common;

namespace Swap.Engine;

/// <summary>
/// Drives the <see cref="ChangeLogApplier"/> over the logs of all tables of a swap: between chunks
/// (until the backlog is below one batch), before the cut-over (until it is below
/// <see cref="OnlineSwapOptions.CutOverBacklog"/>) and under the cut-over's locks (to the end).
/// Each batch is its own transaction, retried when transient, at a control point, and followed by
/// the writers' turn where the engine has one writer at a time.
/// </summary>
internal sealed class CatchUp(SwapContext swap)
{
    private ChangeLogApplier Applier => swap.Applier;

    /// <summary>
    /// Applies the change logs. With <paramref name="drain"/> it stops at an empty log; otherwise
    /// as soon as a batch comes back short, i.e. the backlog is below one batch (between chunks the
    /// copy goes on; the rest is picked up next time).
    /// </summary>
    public async Task RunAsync(bool drain = false)
    {
        if (!swap.Online || swap.InTransaction)
            return;
        foreach (var spec in swap.Specs)
        {
            while (true)
            {
                if (!drain)
                {
                    swap.Run.ThrowIfBudgetSpent();
                    await swap.ControlPointAsync();
                }
                var batchStart = swap.Run.Time.GetTimestamp();
                var applied = await swap.Run.RetryTransientAsync($"apply the change log of {spec.Original.Name}", async ct =>
                {
                    await swap.EnsureRunLockAsync();
                    return await ApplyBatchAsync(spec, ct);
                });
                if (applied == 0 || (!drain && applied < Applier.BatchSize))
                    break;
                await swap.LetWritersInAsync(swap.Run.Time.GetElapsedTime(batchStart));
            }
        }
    }

    /// <summary>
    /// Before the cut-over takes its locks: apply until each log holds less than
    /// <see cref="OnlineSwapOptions.CutOverBacklog"/> rows, so the rest is short to apply under the lock.
    /// </summary>
    public async Task BeforeCutOverAsync()
    {
        if (!swap.Online || swap.InTransaction)
            return;
        foreach (var spec in swap.Specs)
        {
            while (true)
            {
                swap.Run.ThrowIfBudgetSpent();
                await swap.ControlPointAsync();
                await swap.EnsureRunLockAsync();
                var batchStart = swap.Run.Time.GetTimestamp();
                var applied = await ApplyBatchAsync(spec, swap.Token);
                if (applied < Math.Min(Applier.BatchSize, Math.Max(1, swap.Options.CutOverBacklog)))
                    break;
                await swap.LetWritersInAsync(swap.Run.Time.GetElapsedTime(batchStart));
            }
        }
    }

    /// <summary>
    /// The catch-up under the cut-over's locks: nobody else can write the originals, so the logs
    /// only shrink; apply them to the end, in the cut-over's transaction where it has one
    /// (PostgreSQL, SQLite), else in batches of their own (MySQL, while other sessions hold the locks).
    /// </summary>
    public async Task UnderLockAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        foreach (var spec in swap.Specs)
        {
            while (await Applier.ApplyBatchAsync(connection, transaction, ownTransaction: transaction is null, spec, cancellationToken) > 0)
            {
            }
        }
        Running.FaultPoints.Hit("cutover-catchup");
    }

    private async Task<int> ApplyBatchAsync(SwapSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            return await Applier.ApplyBatchAsync(swap.Connection, null, ownTransaction: true, spec, cancellationToken);
        }
        catch (Exception e) when (swap.Session.Database.IsDatabaseError(e))
        {
            throw swap.Session.Database.Translate(e, $"{swap.ScriptId}: apply the change log of {spec.Original.Name}");
        }
    }
}
