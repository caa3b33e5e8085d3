using Swap.Data;
using System.Data.Common;

namespace Swap.Engine;

/// <summary>
/// Drives the <see cref="ChangeLogApplier"/> over the logs of all tables of a swap: between chunks
/// (until the backlog is below one batch), before the cut-over (until it is below
/// <see cref="OnlineSwapOptions.CutOverBacklog"/>) and under the cut-over's locks (to the end).
/// Each batch is its own transaction, retried when transient, at a control point, and followed by
/// the writers' turn where the engine has one writer at a time. While a backlog lasts, batches grow
/// (up to <see cref="MaxKeyParameters"/> key values) as long as one takes less than half the
/// batch target time (<see cref="BatchTargetTime"/>), and shrink back when one takes longer than
/// it: under a heavy write load the applier's round trips, not its rows, would otherwise bound how
/// fast the log drains.
/// </summary>
internal sealed class CatchUp(SwapContext swap)
{
    /// <summary>Key values one batch may bind (PostgreSQL allows 65,535 parameters per statement; the log deletion binds two per run of ids).</summary>
    internal const int MaxKeyParameters = 20_000;

    /// <summary>
    /// The shortest time a batch is sized to (the chunk target when that is longer). A batch's
    /// target is not the chunk's: short chunks keep the application's commits from queueing
    /// behind a large one (MySQL writes a transaction's binary log at its commit), but an applier
    /// held to them could not keep up with a heavy write load (docs/benchmarks.md: at 150 ms, 2,000
    /// writes/s from 4 connections, the log grew past 170,000 rows and did not drain).
    /// </summary>
    internal static readonly TimeSpan MinBatchTargetTime = TimeSpan.FromMilliseconds(500);

    private ChangeLogApplier Applier => swap.Applier;

    /// <summary>The time one batch is sized to: the chunk target time, at least <see cref="MinBatchTargetTime"/>.</summary>
    internal static TimeSpan BatchTargetTime(TimeSpan chunkTarget) => chunkTarget > MinBatchTargetTime ? chunkTarget : MinBatchTargetTime;

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
                var size = Applier.BatchSize;
                var applied = await swap.Run.RetryTransientAsync($"apply the change log of {spec.Original.Name}", async ct =>
                {
                    await swap.EnsureRunLockAsync();
                    return await ApplyBatchAsync(spec, ct);
                });
                var elapsed = swap.Run.Time.GetElapsedTime(batchStart);
                var full = applied >= Applier.LastBatchLimit;
                Resize(full ? size : applied, size, elapsed);
                // A batch the copy refused entirely made no progress: its keys wait at the log's end.
                if (applied == 0 || (!drain && !full) || Applier.LastBatchRefused)
                    break;
                await swap.LetWritersInAsync(elapsed);
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
                var size = Applier.BatchSize;
                var applied = await ApplyBatchAsync(spec, swap.Token);
                var elapsed = swap.Run.Time.GetElapsedTime(batchStart);
                var full = applied >= Applier.LastBatchLimit;
                Resize(full ? size : applied, size, elapsed);
                if ((!full && applied < CutOverBacklog(spec, swap.Options)) || Applier.LastBatchRefused)
                    break;
                await swap.LetWritersInAsync(elapsed);
            }
        }
    }

    /// <summary>
    /// The most bytes of rows the cut-over leaves in a log to apply under its locks, by the catalog's
    /// estimate of the row width: a quarter of a second at <see cref="Chunker.CopyBytesPerSecond"/>.
    /// Rows under 10 KB keep <see cref="OnlineSwapOptions.CutOverBacklog"/>; 1,000 rows of 4 MB
    /// would be 4 GB to re-sync while the application waits.
    /// </summary>
    internal const long CutOverBacklogBytes = Chunker.CopyBytesPerSecond / 4;

    /// <summary>The backlog in rows below which the cut-over takes its locks: <see cref="OnlineSwapOptions.CutOverBacklog"/>, fewer (at least one) for rows wider than <see cref="CutOverBacklogBytes"/> over it.</summary>
    internal static int CutOverBacklog(SwapSpec spec, OnlineSwapOptions options) =>
        Math.Min(Math.Max(1, options.CutOverBacklog), ChangeLogApplier.RowsWithin(spec, CutOverBacklogBytes));

    /// <summary>
    /// The catch-up under the cut-over's locks: nobody else can write the originals, so the logs
    /// only shrink; apply them to the end, in the cut-over's transaction where it has one
    /// (PostgreSQL, SQLite), else in batches of their own (MySQL, while other sessions hold the locks).
    /// </summary>
    public async Task UnderLockAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        foreach (var spec in swap.Specs)
            await Applier.DrainUnderLockAsync(connection, transaction, spec, swap.ScriptId, cancellationToken);
        // The reverse capture (installed before the cut-over for a revert window) logged the
        // applier's re-syncs of the copy; everything after this, until the rename, is nobody's.
        if (swap.Data.RevertWindow is not null)
        {
            foreach (var spec in swap.Specs)
            {
                var log = SwapNames.Reverse(spec.Original.Name, swap.Engine.Dialect.MaxIdentifierLength).Log;
                var last = await connection.ScalarAsync($"SELECT MAX({swap.Engine.Dialect.Quote("id")}) FROM {swap.Engine.Dialect.Quote(log)}", null, transaction, cancellationToken);
                swap.Data.Table(spec.Original.Name).ResyncedUpTo = last is null or DBNull ? 0 : Convert.ToInt64(last, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        Running.FaultPoints.Hit("cutover-catchup");
    }

    /// <summary>
    /// After a batch of <paramref name="size"/> that applied <paramref name="applied"/> log rows in
    /// <paramref name="elapsed"/>: doubles the next batch when this one was full and took less than
    /// half the batch target time, halves it (never below the options' size) when it took longer.
    /// </summary>
    private void Resize(int applied, int size, TimeSpan elapsed) =>
        Applier.BatchSize = NextBatchSize(size, applied, elapsed, BatchTargetTime(swap.ChunkTargetTime), swap.Options.ApplyBatchSize, MaxBatchSize(swap.Specs));

    /// <summary>The next batch size (see <see cref="Resize"/>), between <paramref name="floor"/> and <paramref name="max"/> (the floor wins).</summary>
    internal static int NextBatchSize(int size, int applied, TimeSpan elapsed, TimeSpan target, int floor, int max)
    {
        floor = Math.Max(1, floor);
        if (applied >= size && elapsed < target / 2)
            return Math.Max(floor, Math.Min(max, size * 2));
        if (elapsed > target)
            return Math.Max(floor, size / 2);
        return Math.Max(floor, size);
    }

    /// <summary>The largest batch whose keys stay within <see cref="MaxKeyParameters"/> for the widest key of the swap.</summary>
    internal static int MaxBatchSize(IReadOnlyList<SwapSpec> specs) =>
        MaxKeyParameters / Math.Max(1, specs.Count == 0 ? 1 : specs.Max(s => s.Key.Count));

    private async Task<int> ApplyBatchAsync(SwapSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            return await Applier.ApplyBatchAsync(swap.Connection, null, ownTransaction: true, spec, cancellationToken);
        }
        catch (Exception e) when (swap.Misfit(e) is not null)
        {
            // A value the application wrote during the copy does not fit the copy's column.
            throw new ValueMisfitException(spec, null, null, 0, e) { FromLog = true };
        }
        catch (Exception e) when (swap.Session.Database.IsDatabaseError(e))
        {
            throw swap.Session.Database.Translate(e, $"{swap.ScriptId}: apply the change log of {spec.Original.Name}");
        }
    }
}
