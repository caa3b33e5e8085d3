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

    /// <summary>
    /// The most bytes of rows one batch re-syncs, by the catalog's estimate of the original's row
    /// width (<see cref="Schema.TableSchema.RowBytes"/>): half a second at
    /// <see cref="Chunker.CopyBytesPerSecond"/>. Narrow rows (under 1 KB at 20,000 keys) never reach it;
    /// 20,000 keys of 4 MB rows would otherwise be one 80 GB transaction.
    /// </summary>
    internal const long MaxRowBytes = Chunker.CopyBytesPerSecond / 2;

    /// <summary>
    /// The most bytes of key values one batch carries in a statement (each key travels in the
    /// statements' <c>IN</c> lists; MySQL's client sends them as literals): well under MariaDB's
    /// default <c>max_allowed_packet</c> of 16 MB. 20,000 keys of 3,000 characters were one 60 MB
    /// statement that the server refused. Integer and UUID keys never reach it.
    /// </summary>
    internal const long MaxKeyBytes = 2L << 20;

    /// <summary>
    /// The log rows the last batch could have read: its size, or fewer when its keys' bytes cut it
    /// short. A batch that applied fewer rows than this found the log's end.
    /// </summary>
    public int LastBatchLimit { get; private set; }

    /// <summary>The rows of <paramref name="spec"/> that fit in <paramref name="bytes"/> by its row width (at least one), or <see cref="int.MaxValue"/> when the width is unknown.</summary>
    internal static int RowsWithin(SwapSpec spec, long bytes) =>
        spec.Original.RowBytes is { } rowBytes ? (int)Math.Clamp(bytes / rowBytes, 1, int.MaxValue) : int.MaxValue;

    /// <summary>How many of the first log rows' keys fit in <paramref name="bytes"/> (at least one): a string by its UTF-8 bytes, binary twice over (hex), other values 24.</summary>
    internal static int KeysWithin(IReadOnlyList<Row> rows, int keyColumns, long bytes)
    {
        long total = 0;
        for (var r = 0; r < rows.Count; r++)
        {
            for (var i = 1; i <= keyColumns; i++)
            {
                total += rows[r][i] switch
                {
                    string s => System.Text.Encoding.UTF8.GetByteCount(s) + 2,
                    byte[] b => 2L * b.Length + 3,
                    _ => 24,
                };
            }
            if (total > bytes)
                return Math.Max(1, r);
        }
        return rows.Count;
    }

    /// <summary>Hears the keys of each committed batch (a postponed swap re-verifies them).</summary>
    public Action<SwapSpec, IReadOnlyList<object?[]>>? KeysApplied { get; set; }

    /// <summary>Log rows applied since this applier was made, for progress.</summary>
    public long Applied { get; private set; }

    /// <summary>
    /// True when the copy refused every key of the last batch (each logged again, see
    /// <see cref="SwapQueries.Relog"/>): the batch made no progress, so a loop that drains
    /// the log must stop, and under the cut-over's locks (<see cref="DrainUnderLockAsync"/>) the
    /// swap cannot complete.
    /// </summary>
    public bool LastBatchRefused { get; private set; }

    /// <summary>Consecutive refused batches after which the drain under the locks gives up (each re-logs its keys at the log's end).</summary>
    private const int RefusedRoundsUnderLock = 50;

    /// <summary>
    /// Applies <paramref name="spec"/>'s log to its end under the cut-over's locks, where nobody
    /// else writes the original. Keys the copy keeps refusing, with nothing left in the log that
    /// could free their values, are rows the copy's unique indexes reject for good: the cut-over
    /// stops (its transaction or locks are let go by the caller) with the keys named.
    /// </summary>
    public async Task DrainUnderLockAsync(DbConnection connection, DbTransaction? transaction, SwapSpec spec, string scriptId, CancellationToken cancellationToken)
    {
        var refusedRounds = 0;
        while (true)
        {
            var applied = await ApplyBatchAsync(connection, transaction, ownTransaction: transaction is null, spec, cancellationToken);
            var size = LastBatchLimit;
            if (applied == 0)
                return;
            refusedRounds = LastBatchRefused ? refusedRounds + 1 : 0;
            // Twice in a row before giving up: a refused key is logged again as the original has it,
            // which can differ from the logged spelling (a case-only change of a key under MySQL's
            // case-insensitive collation), and the second round then finds it in the copy.
            if (LastBatchRefused && ((applied < size && refusedRounds >= 2) || refusedRounds >= RefusedRoundsUnderLock))
                throw await RefusedAsync(connection, transaction, spec, scriptId, cancellationToken);
        }
    }

    private async Task<SwapException> RefusedAsync(DbConnection connection, DbTransaction? transaction, SwapSpec spec, string scriptId, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync(SwapQueries.ReadLog(engine, spec, 4), null, transaction, cancellationToken);
        var keys = DistinctKeys(rows, spec.Key.Count).Select(KeyValues.Show).ToList();
        var indexes = spec.TargetIndexes.Where(i => i.Unique).Select(i => i.Name).ToList();
        return new SwapException(
            SwapErrorKind.Refused,
            $"{scriptId}: the application wrote rows to '{spec.Original.Name}' that the new table refuses: the row(s) with key {string.Join(", ", keys)} hold a value that another row already has under a unique index of the new table" +
            (indexes.Count > 0 ? $" ({string.Join(", ", indexes)})" : "") +
            $". Nothing was swapped; the original is intact and capture keeps the copy current. Remove the duplicate values from '{spec.Original.Name}' and run 'swap up' again, or abandon the swap with 'swap cleanup --script {scriptId}' and drop the unique index from the migration.")
        { ScriptId = scriptId };
    }

    /// <summary>
    /// Applies one batch of <paramref name="spec"/>'s log. With <paramref name="ownTransaction"/>
    /// the batch runs in its own READ COMMITTED transaction (set explicitly: consistent
    /// non-locking reads of the original); otherwise in <paramref name="transaction"/> (the
    /// cut-over's, or none under MySQL's LOCK TABLES, where the write lock keeps everyone else
    /// out). Returns the number of log rows applied.
    /// </summary>
    public async Task<int> ApplyBatchAsync(DbConnection connection, DbTransaction? transaction, bool ownTransaction, SwapSpec spec, CancellationToken cancellationToken)
    {
        // Sized by bytes as well as rows: wide rows make a batch's transaction long, wide keys its statements.
        var limit = Math.Min(BatchSize, RowsWithin(spec, MaxRowBytes));
        IReadOnlyList<Row> rows = await connection.QueryAsync(SwapQueries.ReadLog(engine, spec, limit), null, transaction, cancellationToken);
        LastBatchLimit = limit;
        if (rows.Count == 0)
            return 0;
        if (KeysWithin(rows, spec.Key.Count, MaxKeyBytes) is var fit && fit < rows.Count)
        {
            // Exactly a prefix of the ids: the rest stay in the log for the next batch.
            rows = rows.Take(fit).ToList();
            LastBatchLimit = fit;
        }
        var ids = rows.Select(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture)).ToList();
        var keys = DistinctKeys(rows, spec.Key.Count);
        var keyParameters = KeyRange.InParameters("a", keys).ToList();
        var runs = Runs(ids);
        var runParameters = runs.SelectMany((r, i) => new[]
        {
            new KeyValuePair<string, object?>($"r{i}a", r.First),
            new KeyValuePair<string, object?>($"r{i}b", r.Last),
        }).ToList();

        var relogged = 0;
        var tx = ownTransaction ? await engine.Database.BeginTransactionAsync(connection, cancellationToken) : transaction;
        try
        {
            if (spec.UpdateInPlace)
            {
                // The copy keeps values of its own (a revert window's old table keeps the columns the
                // swap dropped): delete only the keys gone from the original, and those the
                // application deleted (a row back under such a key is new: it gets the insert
                // values, not the deleted row's), and update the rest in place.
                if (ApplicationDeletes(rows, ids, spec) is { Count: > 0 } deleted)
                    await connection.ExecuteAsync(SwapQueries.DeleteFromCopy(engine, spec, deleted.Count), KeyRange.InParameters("a", deleted).ToList(), tx, cancellationToken);
                if (await VanishedAsync(connection, tx, spec, keys, cancellationToken) is { Count: > 0 } vanished)
                    await connection.ExecuteAsync(SwapQueries.DeleteFromCopy(engine, spec, vanished.Count), KeyRange.InParameters("a", vanished).ToList(), tx, cancellationToken);
                await connection.ExecuteAsync(engine.UpsertRows(spec, keys.Count), keyParameters, tx, cancellationToken);
            }
            else
            {
                await ResyncAsync(connection, tx, spec, keys, keyParameters, cancellationToken);
                var refused = await RefusedAsync(connection, tx, spec, NotLastDeleted(rows, spec.Key.Count), cancellationToken);
                if (refused.Count > 0)
                    await connection.ExecuteAsync(SwapQueries.Relog(engine, spec, refused.Count), KeyRange.InParameters("g", refused).ToList(), tx, cancellationToken);
                relogged = refused.Count;
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
        LastBatchRefused = relogged > 0 && relogged >= keys.Count;
        Applied += rows.Count;
        SwapMetrics.RowsApplied.Add(rows.Count, SwapMetrics.Table(spec.Original.Name));
        if (ownTransaction)
            KeysApplied?.Invoke(spec, keys);
        FaultPoints.Hit("apply");
        return rows.Count;
    }

    /// <summary>
    /// The batch's keys that the original has and the copy, just re-synced, does not: the insert
    /// skipped them on a conflict with another of the copy's unique indexes (a stale row there still
    /// holding the value, or a new unique index the original does not enforce). Their log rows go
    /// with the batch, so they are logged again (<see cref="SwapQueries.Relog"/>) or the change
    /// would be lost. Two lookups by key; the second only for keys the copy lacks.
    /// </summary>
    private async Task<List<object?[]>> RefusedAsync(DbConnection connection, DbTransaction? tx, SwapSpec spec, List<object?[]> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
            return [];
        var inCopy = (await connection.QueryAsync(SwapQueries.KeysPresent(engine, spec, inOriginal: false, keys.Count, "p"), KeyRange.InParameters("p", keys).ToList(), tx, cancellationToken))
            .Select(r => Encoded(r, spec.Key.Count)).ToHashSet(StringComparer.Ordinal);
        if (inCopy.Count >= keys.Count)
            return [];
        var missing = keys.Where(k => !inCopy.Contains(Comparable(k))).ToList();
        if (missing.Count == 0)
            return [];
        var rows = await connection.QueryAsync(SwapQueries.KeysPresent(engine, spec, inOriginal: true, missing.Count, "m"), KeyRange.InParameters("m", missing).ToList(), tx, cancellationToken);
        return rows.Select(r => Enumerable.Range(0, spec.Key.Count).Select(i => r[i]).ToArray()).ToList();
    }

    /// <summary>
    /// Re-syncs the batch's keys in the copy from the original's current rows: deletes them and
    /// inserts the current rows; where the engine can (<see cref="TableEngine.ResyncInPlace"/>),
    /// rows already in the copy with every unique value the original now gives them are updated in
    /// place instead, and only the rest deleted and inserted. A unique value that moved from one
    /// row to another must leave the copy before it is inserted again, or the insert would meet the
    /// stale row. A value the application changes after the lookup is logged again, and a later
    /// batch re-syncs it.
    /// </summary>
    private async Task ResyncAsync(DbConnection connection, DbTransaction? tx, SwapSpec spec, List<object?[]> keys, List<KeyValuePair<string, object?>> keyParameters, CancellationToken cancellationToken)
    {
        var uniques = spec.UniqueColumnsBesideKey();
        var unchanged = uniques is null ? null : new HashSet<string>(uniques, StringComparer.OrdinalIgnoreCase);
        if (unchanged is null || engine.ResyncInPlace(spec, keys.Count, unchanged) is not { } inPlace)
        {
            await connection.ExecuteAsync(SwapQueries.DeleteFromCopy(engine, spec, keys.Count), keyParameters, tx, cancellationToken);
            await connection.ExecuteAsync(engine.ApplyRows(spec, keys.Count), keyParameters, tx, cancellationToken);
            return;
        }
        var columns = uniques!;
        var inCopy = await connection.QueryAsync(SwapQueries.KeysWithValues(engine, spec, inOriginal: false, keys.Count, "c", columns), KeyRange.InParameters("c", keys).ToList(), tx, cancellationToken);
        var stable = new HashSet<string>(StringComparer.Ordinal);
        if (inCopy.Count > 0)
        {
            var present = inCopy.Select(r => Key(r, spec.Key.Count)).ToList();
            var now = (await connection.QueryAsync(SwapQueries.KeysWithValues(engine, spec, inOriginal: true, present.Count, "o", columns), KeyRange.InParameters("o", present).ToList(), tx, cancellationToken))
                .ToDictionary(r => Encoded(r, spec.Key.Count), r => Values(r, spec.Key.Count), StringComparer.Ordinal);
            foreach (var row in inCopy)
            {
                var key = Encoded(row, spec.Key.Count);
                if (now.TryGetValue(key, out var values) && values == Values(row, spec.Key.Count))
                    stable.Add(key);
            }
        }
        var stay = keys.Where(k => stable.Contains(Comparable(k))).ToList();
        var renew = keys.Where(k => !stable.Contains(Comparable(k))).ToList();
        if (renew.Count > 0)
            await connection.ExecuteAsync(SwapQueries.DeleteFromCopy(engine, spec, renew.Count), KeyRange.InParameters("a", renew).ToList(), tx, cancellationToken);
        if (stay.Count > 0)
            await connection.ExecuteAsync(stay.Count == keys.Count ? inPlace : engine.ResyncInPlace(spec, stay.Count, unchanged)!, KeyRange.InParameters("a", stay).ToList(), tx, cancellationToken);
        if (renew.Count > 0)
            await connection.ExecuteAsync(engine.ApplyRows(spec, renew.Count), KeyRange.InParameters("a", renew).ToList(), tx, cancellationToken);
    }

    private static object?[] Key(Row row, int keyColumns) => Enumerable.Range(0, keyColumns).Select(i => row[i]).ToArray();

    /// <summary>The values after the key in <paramref name="row"/>, as one comparable text.</summary>
    private static string Values(Row row, int keyColumns) => Comparable(Enumerable.Range(keyColumns, row.Columns.Count - keyColumns).Select(i => row[i]).ToArray());

    /// <summary>
    /// The batch's keys the original no longer has, looked up with a plain read: a DELETE whose
    /// subquery reads the original (<c>NOT EXISTS (SELECT ... FROM original)</c>) is a locking read
    /// on InnoDB even under READ COMMITTED, and would hold the application's writes to those rows
    /// until the batch commits. A key that vanishes after the lookup is logged again, and a later
    /// batch deletes it.
    /// </summary>
    private async Task<List<object?[]>> VanishedAsync(DbConnection connection, DbTransaction? tx, SwapSpec spec, List<object?[]> keys, CancellationToken cancellationToken)
    {
        var inOriginal = (await connection.QueryAsync(SwapQueries.KeysPresent(engine, spec, inOriginal: true, keys.Count, "v"), KeyRange.InParameters("v", keys).ToList(), tx, cancellationToken))
            .Select(r => Encoded(r, spec.Key.Count)).ToHashSet(StringComparer.Ordinal);
        return keys.Where(k => !inOriginal.Contains(Comparable(k))).ToList();
    }

    private static string Encoded(Row row, int keyColumns) => Comparable(Enumerable.Range(0, keyColumns).Select(i => row[i]).ToArray());

    /// <summary>
    /// A key as text that is the same for the log's value and the copy's (a widened key column
    /// reads as <c>long</c> from the copy and <c>int</c> from the log): numbers by value, and
    /// different for any two different keys.
    /// </summary>
    private static string Comparable(object?[] key) => string.Join("\u0001", key.Select(v => v switch
    {
        null or DBNull => "\u0000",
        sbyte or byte or short or ushort or int or uint or long or ulong or decimal => "n" + Convert.ToDecimal(v, CultureInfo.InvariantCulture).ToString("G29", CultureInfo.InvariantCulture),
        byte[] bytes => "b" + Convert.ToBase64String(bytes),
        string s => "s" + s,
        // Every other value as the journal saves it, which keeps what tells two keys apart (a
        // time's fraction, a date's kind): a default ToString() of a TimeOnly drops its seconds,
        // and two keys of one minute would pass for one, hiding a refused key.
        _ => "o" + KeyValues.Encode([v]).ToJsonString(),
    }));

    /// <summary>
    /// The batch's keys, each once, but those whose last entry in the batch is a delete: such a key
    /// can be refused only if the application inserted it again after that delete, and that insert
    /// logged an entry this batch did not read (a later id, or an id the batch skipped because its
    /// transaction had not committed: <see cref="Runs"/> keeps it), so a later batch re-syncs it.
    /// Leaving them out spares the lookup of every deleted key in the original.
    /// </summary>
    internal static List<object?[]> NotLastDeleted(IReadOnlyList<Row> rows, int keyColumns)
    {
        var op = keyColumns + 1;
        var lastDeleted = new Dictionary<string, bool>(StringComparer.Ordinal);
        var keys = new List<(string Encoded, object?[] Key)>();
        foreach (var row in rows)
        {
            var key = Enumerable.Range(1, keyColumns).Select(i => row[i]).ToArray();
            var encoded = KeyValues.Encode(key).ToJsonString();
            if (!lastDeleted.ContainsKey(encoded))
                keys.Add((encoded, key));
            lastDeleted[encoded] = string.Equals(Convert.ToString(row[op], CultureInfo.InvariantCulture)?.Trim(), "d", StringComparison.Ordinal);
        }
        return keys.Where(k => !lastDeleted[k.Encoded]).Select(k => k.Key).ToList();
    }

    /// <summary>The keys of the batch's deletes logged after <see cref="SwapSpec.ApplicationDeletesAfter"/>, each once.</summary>
    private static List<object?[]> ApplicationDeletes(IReadOnlyList<Row> rows, IReadOnlyList<long> ids, SwapSpec spec)
    {
        if (spec.ApplicationDeletesAfter is not { } after)
            return [];
        var op = spec.Key.Count + 1;
        var deletes = rows.Where((r, i) => ids[i] > after && string.Equals(Convert.ToString(r[op], CultureInfo.InvariantCulture)?.Trim(), "d", StringComparison.Ordinal)).ToList();
        return DistinctKeys(deletes, spec.Key.Count);
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
