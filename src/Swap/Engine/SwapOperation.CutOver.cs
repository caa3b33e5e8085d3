using System.Data.Common;

namespace Swap.Engine;

internal sealed partial class SwapOperation
{
    /// <summary>
    /// Swaps all tables in at once, under a lock wait bounded per attempt, retried with backoff;
    /// when the lock never comes, fails with the originals in place and capture still running so
    /// a later run can try again.
    /// </summary>
    private async Task CutOverAsync()
    {
        if (Stage > SwapStage.Started && !state.InTransaction && await AllSwappedAsync())
        {
            await SaveAsync(SwapStage.Swapped);
            return;
        }
        foreach (var spec in specs)
            Report(spec, SwapPhase.CuttingOver, data.Table(spec.Original.Name).Copied, 0);
        await EnsureRunLockAsync();
        if (!engine.OneWriterAtATime)
            await CatchUpBeforeCutOverAsync();
        var statementWait = session.Run.Options.StatementLockTimeout;
        var bounded = engine.OneWriterAtATime && online && !state.InTransaction;
        if (bounded)
            await session.Database.ApplyLockTimeoutAsync(Connection, options.CutOverLockTimeout, Token);

        var attempts = 0;
        var pipeline = CutOverRetry.Build(options, engine, session.Run.Time, logger, string.Join(", ", TableNames));
        try
        {
            await pipeline.ExecuteAsync(
                async ct =>
                {
                    attempts++;
                    if (attempts > 1)
                    {
                        // An attempt that failed after a rename that commits on its own (MySQL) may
                        // still have swapped: then only the journal is behind.
                        if (online && await AllSwappedAsync())
                        {
                            await SaveAsync(SwapStage.Swapped);
                            return;
                        }
                        await CatchUpBeforeCutOverAsync();
                    }
                    else if (bounded)
                    {
                        await CatchUpBeforeCutOverAsync();
                    }
                    var attemptStarted = session.Run.Time.GetTimestamp();
                    var succeeded = false;
                    try
                    {
                        await engine.CutOverAsync(Connection, state.Transaction, specs, options, CatchUpUnderLockAsync, async tx =>
                        {
                            Running.FaultPoints.Hit("cutover");
                            await SaveAsync(SwapStage.Swapped, tx);
                        }, ct);
                        succeeded = true;
                    }
                    finally
                    {
                        SwapMetrics.CutOverAttempts.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed"));
                        session.Run.Listener?.CutOverAttempted(session.Script.Id, TableNames, attempts, session.Run.Time.GetElapsedTime(attemptStarted), succeeded);
                    }
                },
                Token);
        }
        catch (Exception e) when (Retryable(e))
        {
            throw new SwapException(
                SwapErrorKind.CutOverTimedOut,
                $"{session.Script.Id}: the cut-over of {string.Join(", ", TableNames)} could not take its locks in {attempts} attempt(s) of {Durations.Format(options.CutOverLockTimeout)} each: " +
                "a long transaction or query holds the table. The original is in place and capture keeps the copy current; run 'swap up' again when the table is quieter, " +
                $"or 'swap cleanup --script {session.Script.Id}' to abandon the swap.",
                e)
            { ScriptId = session.Script.Id };
        }
        catch (Exception e) when (session.Database.IsDatabaseError(e))
        {
            throw session.Database.Translate(e, $"{session.Script.Id}: cut-over of {string.Join(", ", TableNames)}");
        }
        finally
        {
            if (bounded)
                await RestoreLockWaitAsync(statementWait);
        }
        EngineLog.Swapped(logger, string.Join(", ", TableNames), attempts);
        // Engines that record "swapped" inside the cut-over's transaction never pass this point in
        // SaveAsync; a kill right after the commit must be testable there too.
        Running.FaultPoints.Hit("phase:swapped");
    }

    private async Task<bool> AllSwappedAsync()
    {
        foreach (var spec in specs)
        {
            if (!await engine.IsSwappedAsync(Connection, state.Transaction, spec, Token))
                return false;
        }
        return true;
    }

    private bool Retryable(Exception e) => CutOverRetry.IsRetryable(engine, e);
}
