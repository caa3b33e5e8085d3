using System.Data.Common;
using Swap.Data;

namespace Swap.Engine;

internal sealed partial class SwapOperation
{
    /// <summary>
    /// Copies a table in key-range chunks with the session's lock wait cut to
    /// <see cref="OnlineSwapOptions.ChunkLockTimeout"/>: a chunk that waits for a row the
    /// application holds keeps the rows it already read locked, and the application's writes to
    /// them queue behind it; a short wait, then a retry with backoff, bounds that queue.
    /// </summary>
    private async Task CopyTableAsync(SwapSpec spec)
    {
        var statementWait = session.Run.Options.StatementLockTimeout;
        var shorter = !state.InTransaction && options.ChunkLockTimeout < statementWait;
        if (shorter)
            await session.Database.ApplyLockTimeoutAsync(Connection, options.ChunkLockTimeout, Token);
        try
        {
            await CopyChunksAsync(spec);
        }
        finally
        {
            if (shorter)
                await RestoreLockWaitAsync(statementWait);
        }
    }

    private async Task RestoreLockWaitAsync(TimeSpan wait)
    {
        try
        {
            await session.Database.ApplyLockTimeoutAsync(Connection, wait, CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidOperationException || session.Database.IsDatabaseError(e))
        {
            // The connection is gone; the next one starts with the statement lock wait.
        }
    }

    /// <summary>
    /// Copies a table in key-range chunks (last key, next boundary]. Each chunk and the new
    /// watermark commit together; the chunk size adapts so a chunk takes about the target time.
    /// </summary>
    private async Task CopyChunksAsync(SwapSpec spec)
    {
        var progress = data.Table(spec.Original.Name);
        if (progress.Done)
            return;
        var d = engine.Dialect;
        var chunkSize = Math.Clamp(options.InitialChunkSize, options.MinChunkSize, options.MaxChunkSize);
        var time = session.Run.Time;
        var started = time.GetTimestamp();
        var copiedThisRun = 0L;
        Report(spec, SwapPhase.Copying, progress.Copied, 0, chunkSize);

        while (true)
        {
            await options.Throttler.WaitAsync(Token);
            await ControlPointAsync();
            if (!state.InTransaction)
                session.Run.ThrowIfBudgetSpent();
            var lower = progress.Watermark;
            var upper = await BoundaryAsync(spec, lower, chunkSize);
            var range = KeyRange.Between(d, "o", spec.Key, lower is not null, upper is not null);
            var parameters = KeyRange.Parameters("l", lower).Concat(KeyRange.Parameters("u", upper)).ToList();
            var sql = engine.CopyChunk(spec, range);
            var chunkStart = time.GetTimestamp();

            int affected;
            if (state.InTransaction)
            {
                affected = await ExecAsync(sql, $"copy a chunk of {spec.Original.Name}", parameters);
                Running.FaultPoints.Hit("chunk-mid");
                Advance(progress, upper, affected);
                Running.FaultPoints.Hit("chunk");
            }
            else
            {
                affected = await session.Run.RetryTransientAsync($"copy a chunk of {spec.Original.Name}", async ct =>
                {
                    await EnsureRunLockAsync();
                    // READ COMMITTED, set explicitly (DefaultIsolation): a consistent non-locking read of the
                    // original (MySQL's REPEATABLE READ takes shared next-key locks in INSERT ... SELECT).
                    await using var tx = await session.Database.BeginTransactionAsync(Connection, ct);
                    var n = await ExecAsync(sql, $"copy a chunk of {spec.Original.Name}", parameters, tx);
                    Running.FaultPoints.Hit("chunk-mid");
                    var before = (progress.Watermark, progress.Copied, progress.Done);
                    Advance(progress, upper, n);
                    try
                    {
                        await SaveAsync(Stage, tx);
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
            copiedThisRun += engine.CopiedRows(affected);
            SwapMetrics.RowsCopied.Add(engine.CopiedRows(affected), SwapMetrics.Table(spec.Original.Name));
            SwapMetrics.ChunkTime.Record(time.GetElapsedTime(chunkStart).TotalMilliseconds, SwapMetrics.Table(spec.Original.Name));
            // Between chunks the applier keeps the copy's backlog short, unless a copy is being filled
            // without its key: then the log waits until the copies are indexed.
            if (!specs.Any(s => s.KeyDeferred))
                await CatchUpAsync();
            // Sized by the time up to here; the pause for the application's writers is not the chunk's.
            var elapsed = time.GetElapsedTime(chunkStart);
            await LetWritersInAsync(elapsed);
            chunkSize = NextChunkSize(chunkSize, elapsed);
            var rate = copiedThisRun / Math.Max(0.001, time.GetElapsedTime(started).TotalSeconds);
            Report(spec, SwapPhase.Copying, progress.Copied, rate, chunkSize);
            if (upper is null)
                break;
        }
    }

    private void Advance(SwapJournalData.TableProgress progress, object?[]? upper, int affected)
    {
        progress.Copied += engine.CopiedRows(affected);
        progress.Watermark = upper ?? progress.Watermark;
        progress.Done = upper is null;
    }

    /// <summary>The key of the <paramref name="size"/>-th row after <paramref name="lower"/>; null when fewer rows are left (the last chunk is open-ended).</summary>
    private async Task<object?[]?> BoundaryAsync(SwapSpec spec, object?[]? lower, int size)
    {
        var sql = SwapQueries.Boundary(engine, spec, lower is not null, size);
        List<Row> rows;
        try
        {
            rows = await Connection.QueryAsync(sql, KeyRange.Parameters("l", lower).ToList(), state.Transaction, Token);
        }
        catch (Exception e) when (session.Database.IsDatabaseError(e))
        {
            throw session.Database.Translate(e, $"{session.Script.Id}: find the next chunk of {spec.Original.Name}");
        }
        return rows.Count == 0 ? null : Enumerable.Range(0, spec.Key.Count).Select(i => rows[0][i]).ToArray();
    }

    private int NextChunkSize(int size, TimeSpan elapsed)
    {
        if (elapsed <= TimeSpan.Zero)
            return Math.Min(options.MaxChunkSize, size * 2);
        var factor = Math.Clamp(ChunkTargetTime.TotalMilliseconds / elapsed.TotalMilliseconds, 0.5, 2.0);
        return (int)Math.Clamp(size * factor, options.MinChunkSize, options.MaxChunkSize);
    }

    /// <summary>
    /// After a write transaction of the online path that held the lock for <paramref name="held"/>:
    /// pauses as long as the engine asks, so the application's writers waiting for the same lock
    /// (SQLite has one writer at a time) get in before the next chunk or batch.
    /// </summary>
    private async Task LetWritersInAsync(TimeSpan held)
    {
        if (state.InTransaction)
            return;
        var pause = engine.WritersTurn(held);
        if (pause > TimeSpan.Zero)
            await Task.Delay(pause, session.Run.Time, Token);
    }
}
