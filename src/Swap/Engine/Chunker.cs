
namespace Swap.Engine;

/// <summary>
/// Copies each original into its copy in key ranges (last key, next boundary], each range one
/// plain consistent read (the dialect's <c>CopyChunk</c>: no row locks on the original). Each chunk
/// and the table's new watermark commit together, so a resumed copy goes on after the last
/// committed chunk; the chunk size adapts so a chunk takes about the target time. Between chunks
/// the <see cref="CatchUp"/> keeps the change log short, the controller may pause or throttle, and
/// (SQLite, indexes deferred until the application writes) the <see cref="IndexBuilder"/> may build the copy's indexes.
/// </summary>
internal sealed class Chunker(SwapContext swap, CatchUp catchUp, IndexBuilder indexes)
{
    /// <summary>
    /// Copies a table with the session's lock wait cut to <see cref="OnlineSwapOptions.ChunkLockTimeout"/>:
    /// a chunk that waits for a lock (a DDL, a long transaction holding the table) is retried with
    /// backoff rather than left to queue the application's statements behind it.
    /// </summary>
    public async Task CopyAsync(SwapSpec spec)
    {
        var statementWait = swap.Run.Options.StatementLockTimeout;
        var shorter = !swap.InTransaction && swap.Options.ChunkLockTimeout < statementWait;
        if (shorter)
            await swap.Session.Database.ApplyLockTimeoutAsync(swap.Connection, swap.Options.ChunkLockTimeout, swap.Token);
        try
        {
            await CopyChunksAsync(spec);
        }
        finally
        {
            if (shorter)
                await swap.RestoreLockWaitAsync(statementWait);
        }
    }

    private async Task CopyChunksAsync(SwapSpec spec)
    {
        var progress = swap.Data.Table(spec.Original.Name);
        if (progress.Done)
            return;
        var options = swap.Options;
        var (chunkSize, floor) = FirstChunkSize(spec.Original, swap.ChunkTargetTime, options);
        var time = swap.Run.Time;
        var started = time.GetTimestamp();
        var copiedThisRun = 0L;
        var what = $"copy a chunk of {spec.Original.Name}";
        swap.Report(spec, SwapPhase.Copying, progress.Copied, 0, chunkSize);

        while (true)
        {
            await options.Throttler.WaitAsync(swap.Token);
            await swap.ControlPointAsync();
            if (!swap.InTransaction)
                swap.Run.ThrowIfBudgetSpent();
            var lower = progress.Watermark;
            var upper = await NextBoundaryAsync(spec, lower, chunkSize);
            var range = KeyRange.Between(swap.Engine.Dialect, "o", spec.Key, lower is not null, upper is not null);
            var parameters = KeyRange.Parameters("l", lower).Concat(KeyRange.Parameters("u", upper)).ToList();
            var sql = swap.Engine.CopyChunk(spec, range);
            var chunkStart = time.GetTimestamp();

            int affected;
            try
            {
                affected = await CopyChunkAsync(progress, sql, what, parameters, upper);
            }
            catch (Exception e) when (swap.Misfit(e) is not null)
            {
                throw new ValueMisfitException(spec, lower, upper, chunkSize, e);
            }
            var copied = swap.Engine.CopiedRows(affected);
            copiedThisRun += copied;
            SwapMetrics.RowsCopied.Add(copied, SwapMetrics.Table(spec.Original.Name));
            SwapMetrics.ChunkTime.Record(time.GetElapsedTime(chunkStart).TotalMilliseconds, SwapMetrics.Table(spec.Original.Name));
            // Between chunks the applier keeps the copy's backlog short, unless a copy is being filled
            // without its key: then the log waits until the copies are indexed.
            if (!swap.Specs.Any(s => s.KeyDeferred))
                await catchUp.RunAsync();
            await indexes.BuildAtFirstWriteAsync();
            // Sized by the time up to here; the pause for the application's writers is not the chunk's.
            var elapsed = time.GetElapsedTime(chunkStart);
            await swap.LetWritersInAsync(elapsed);
            chunkSize = NextChunkSize(chunkSize, elapsed, swap.ChunkTargetTime, floor, options.MaxChunkSize);
            var rate = copiedThisRun / Math.Max(0.001, time.GetElapsedTime(started).TotalSeconds);
            swap.Report(spec, SwapPhase.Copying, progress.Copied, rate, chunkSize);
            if (upper is null)
                break;
        }
    }

    /// <summary>One chunk, committed with its watermark (online) or in the swap's transaction; the rows it inserted.</summary>
    private async Task<int> CopyChunkAsync(SwapJournalData.TableProgress progress, string sql, string what, List<KeyValuePair<string, object?>> parameters, object?[]? upper)
    {
        if (swap.InTransaction)
        {
            var affected = await swap.ExecAsync(sql, what, parameters);
            Running.FaultPoints.Hit("chunk-mid");
            Advance(progress, upper, affected);
            Running.FaultPoints.Hit("chunk");
            return affected;
        }
        return await swap.Run.RetryTransientAsync(what, async ct =>
        {
            await swap.EnsureRunLockAsync();
            // READ COMMITTED, set explicitly (DefaultIsolation): a consistent non-locking read of the
            // original (MySQL's REPEATABLE READ takes shared next-key locks in INSERT ... SELECT).
            await using var tx = await swap.Session.Database.BeginTransactionAsync(swap.Connection, ct);
            var n = await swap.ExecAsync(sql, what, parameters, tx);
            Running.FaultPoints.Hit("chunk-mid");
            var before = (progress.Watermark, progress.Copied, progress.Done);
            Advance(progress, upper, n);
            try
            {
                // The watermark commits with the chunk: the journal row is written in its transaction.
                await swap.SaveAsync(swap.Stage, tx);
                await tx.CommitAsync(ct);
            }
            catch
            {
                (progress.Watermark, progress.Copied, progress.Done) = before;
                throw;
            }
            Running.FaultPoints.Hit("chunk");
            return n;
        });
    }

    /// <summary>
    /// The next chunk's last key, checked to be one the journal can save and bind back. The
    /// preflight reads the first and last keys; a value in between that .NET cannot hold (a later
    /// column of a composite key) is found here, before the chunk is copied, and stops the swap
    /// with what to do rather than as a failure of the script.
    /// </summary>
    private async Task<object?[]?> NextBoundaryAsync(SwapSpec spec, object?[]? lower, int chunkSize)
    {
        try
        {
            var upper = SwapQueries.BoundaryKey(
                await swap.QueryAsync(SwapQueries.Boundary(swap.Engine, spec, lower is not null, chunkSize), KeyRange.Parameters("l", lower).ToList(), $"find the next chunk of {spec.Original.Name}"),
                spec);
            if (upper is not null)
                KeyValues.Encode(upper);
            return upper;
        }
        catch (Exception e) when (KeyValues.IsUnreadable(e))
        {
            throw new SwapException(
                SwapErrorKind.Refused,
                $"{swap.ScriptId}: Swap cannot walk '{spec.Original.Name}' by its key ({string.Join(", ", spec.Key)}): a key after {(lower is null ? "the first" : KeyValues.Show(lower))} holds a value Swap cannot read or save ({e.Message.TrimEnd('.')}). Nothing was swapped; the original is intact. Run 'swap cleanup --script {swap.ScriptId}' to remove the copy and capture, then: " + KeyValues.UnreadableAdvice,
                e)
            { ScriptId = swap.ScriptId };
        }
    }

    private void Advance(SwapJournalData.TableProgress progress, object?[]? upper, int affected)
    {
        progress.Copied += swap.Engine.CopiedRows(affected);
        progress.Watermark = upper ?? progress.Watermark;
        progress.Done = upper is null;
    }

    /// <summary>
    /// Bytes a chunk is assumed to copy per second of its target time when it is first sized: about
    /// what MariaDB 10.11 copied of 160 KB rows (LONGTEXT, LONGBLOB, JSON) with a writer beside it,
    /// binary log on. Only rows wider than this over the initial chunk size are affected
    /// (4 KB at 1,000 rows and 100 ms); the chunks then adapt to their measured time.
    /// </summary>
    internal const long CopyBytesPerSecond = 40L << 20;

    /// <summary>
    /// The first chunk's size and the fewest rows a chunk adapts down to. By rows alone
    /// (<see cref="OnlineSwapOptions.InitialChunkSize"/>, <see cref="OnlineSwapOptions.MinChunkSize"/>),
    /// unless the table's rows are so wide (documents, images: the catalog's bytes over its rows) that
    /// those rows would take many times the target time: then as many rows as
    /// <see cref="CopyBytesPerSecond"/> copies in the target time, at least one, which is also the floor.
    /// A first chunk of 1,000 rows of 4 MB would otherwise be one 4 GB statement, and 50 rows the least.
    /// </summary>
    internal static (int First, int Floor) FirstChunkSize(Schema.TableSchema table, TimeSpan target, OnlineSwapOptions options)
    {
        var first = Math.Clamp(options.InitialChunkSize, options.MinChunkSize, options.MaxChunkSize);
        if (table.RowBytes is not { } rowBytes)
            return (first, options.MinChunkSize);
        var fits = (int)Math.Clamp(CopyBytesPerSecond * Math.Max(0.001, target.TotalSeconds) / rowBytes, 1, int.MaxValue);
        return fits >= first ? (first, options.MinChunkSize) : (fits, Math.Min(options.MinChunkSize, fits));
    }

    /// <summary>The next chunk's size: scaled toward <paramref name="target"/> by at most 2x either way, within <paramref name="floor"/> and <paramref name="max"/>.</summary>
    internal static int NextChunkSize(int size, TimeSpan elapsed, TimeSpan target, int floor, int max)
    {
        if (elapsed <= TimeSpan.Zero)
            return Math.Min(max, size * 2);
        var factor = Math.Clamp(target.TotalMilliseconds / elapsed.TotalMilliseconds, 0.5, 2.0);
        return (int)Math.Clamp(size * factor, floor, max);
    }
}
