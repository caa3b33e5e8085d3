using System.Data.Common;
using System.Globalization;
using Swap.Data;
using Swap.Running;

namespace Swap.Engine;

/// <summary>
/// Replays the change log into the copy. One batch: read the oldest log rows (id, key), then in
/// one transaction delete those keys from the copy, insert each key's current row of the
/// original through the mapping (if it still exists), and delete exactly the log rows read.
/// Re-syncing a key is idempotent, and the log rows go in the same transaction as the re-sync,
/// so the log itself is the applier's position: a kill anywhere neither loses a change nor
/// applies one twice with a different result. See docs/architecture.md.
/// </summary>
internal sealed class ChangeLogApplier(TableEngine engine, int batchSize)
{
    /// <summary>Log rows per batch: the options' size, raised by <see cref="CatchUp"/> while a backlog lasts and batches are quick.</summary>
    public int BatchSize { get; set; } = Math.Max(1, batchSize);

    /// <summary>Hears the keys of each committed batch (a postponed swap re-verifies them).</summary>
    public Action<SwapSpec, IReadOnlyList<object?[]>>? KeysApplied { get; set; }

    /// <summary>Log rows applied since this applier was made, for progress.</summary>
    public long Applied { get; private set; }

    /// <summary>
    /// Applies one batch of <paramref name="spec"/>'s log. With <paramref name="ownTransaction"/>
    /// the batch runs in its own READ COMMITTED transaction (set explicitly: consistent
    /// non-locking reads of the original); otherwise in <paramref name="transaction"/> (the
    /// cut-over's, or none under MySQL's LOCK TABLES, where the write lock keeps everyone else
    /// out). Returns the number of log rows applied.
    /// </summary>
    public async Task<int> ApplyBatchAsync(DbConnection connection, DbTransaction? transaction, bool ownTransaction, SwapSpec spec, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync(SwapQueries.ReadLog(engine, spec, BatchSize), null, transaction, cancellationToken);
        if (rows.Count == 0)
            return 0;
        var ids = rows.Select(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture)).ToList();
        var keys = DistinctKeys(rows, spec.Key.Count);
        var keyParameters = KeyRange.InParameters("a", keys).ToList();
        var runs = Runs(ids);
        var runParameters = runs.SelectMany((r, i) => new[]
        {
            new KeyValuePair<string, object?>($"r{i}a", r.First),
            new KeyValuePair<string, object?>($"r{i}b", r.Last),
        }).ToList();

        var tx = ownTransaction ? await engine.Database.BeginTransactionAsync(connection, cancellationToken) : transaction;
        try
        {
            if (spec.UpdateInPlace)
            {
                // The copy keeps values of its own (a revert window's old table keeps the columns the
                // swap dropped): delete only the keys gone from the original, update the rest in place.
                await connection.ExecuteAsync(SwapQueries.DeleteVanished(engine, spec, keys.Count), keyParameters, tx, cancellationToken);
                await connection.ExecuteAsync(engine.UpsertRows(spec, keys.Count), keyParameters, tx, cancellationToken);
            }
            else
            {
                await connection.ExecuteAsync(SwapQueries.DeleteFromCopy(engine, spec, keys.Count), keyParameters, tx, cancellationToken);
                await connection.ExecuteAsync(engine.ApplyRows(spec, keys.Count), keyParameters, tx, cancellationToken);
            }
            FaultPoints.Hit("apply-mid");
            await connection.ExecuteAsync(SwapQueries.DeleteLog(engine, spec, runs.Count), runParameters, tx, cancellationToken);
            if (ownTransaction)
                await tx!.CommitAsync(cancellationToken);
        }
        finally
        {
            if (ownTransaction)
                await tx!.DisposeAsync();
        }
        Applied += rows.Count;
        SwapMetrics.RowsApplied.Add(rows.Count, SwapMetrics.Table(spec.Original.Name));
        if (ownTransaction)
            KeysApplied?.Invoke(spec, keys);
        FaultPoints.Hit("apply");
        return rows.Count;
    }

    /// <summary>The batch's keys, each once (a hot key is logged many times).</summary>
    internal static List<object?[]> DistinctKeys(IReadOnlyList<Row> rows, int keyColumns)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var keys = new List<object?[]>();
        foreach (var row in rows)
        {
            var key = Enumerable.Range(1, keyColumns).Select(i => row[i]).ToArray();
            if (seen.Add(KeyValues.Encode(key).ToJsonString()))
                keys.Add(key);
        }
        return keys;
    }

    /// <summary>
    /// Runs of consecutive ids: the batch deletes exactly the ids it read. A gap is an id whose
    /// row was not visible (an application transaction not yet committed, or rolled back): its
    /// row, once committed, must stay for the next batch.
    /// </summary>
    internal static List<(long First, long Last)> Runs(IReadOnlyList<long> sortedIds)
    {
        var runs = new List<(long First, long Last)>();
        foreach (var id in sortedIds)
        {
            if (runs.Count > 0 && runs[^1].Last + 1 == id)
                runs[^1] = (runs[^1].First, id);
            else
                runs.Add((id, id));
        }
        return runs;
    }
}
