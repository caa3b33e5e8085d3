using Swap.Control;

namespace Swap.Engine;

/// <summary>
/// Swaps all tables of a swap in at once: waits for an operator's approval when the cut-over is
/// postponed (keeping the copy current and re-verifying what changed), catches up until the
/// backlog is short, then runs the dialect's cut-over (locks under a bounded wait, the rest of the
/// log applied under them, one atomic rename, "swapped" journaled) as attempts retried with
/// backoff. When the lock never comes it fails with the originals in place and capture running,
/// so a later run can try again.
/// </summary>
internal sealed class CutOver(SwapContext swap, CatchUp catchUp, Verifier verifier)
{
    /// <summary>
    /// <c>up --postpone-cut-over</c>: with everything before the cut-over done, keep the copy
    /// current (capture records, the applier applies) and re-verify the keys it changed every
    /// <see cref="OnlineSwapOptions.PostponedVerifyInterval"/>, until <c>swap cut-over</c>. The
    /// approval is journaled, so a run killed after it cuts over when resumed, and one killed before
    /// it waits again.
    /// </summary>
    public async Task WaitForApprovalAsync()
    {
        if (swap.Controller is not { Enabled: true } c || !swap.Data.PostponeCutOver || swap.Data.CutOverApproved)
            return;
        // Journal the postponement (a run started with the flag at a later stage has not saved it yet).
        await swap.SaveDataAsync();
        ControlLog.CutOverPostponed(swap.Logger, swap.ScriptId, swap.Tables);
        swap.Applier.KeysApplied = verifier.RememberKeys;
        var time = swap.Run.Time;
        var nextVerify = time.GetTimestamp();
        try
        {
            while (!c.CutOverApproved)
            {
                foreach (var spec in swap.Specs)
                    swap.Report(spec, SwapPhase.WaitingForCutOver, swap.Copied(spec), 0);
                await swap.ControlPointAsync();
                await c.PollNowAsync(swap.Token);
                if (c.CutOverApproved)
                    break;
                await catchUp.RunAsync();
                if (time.GetTimestamp() >= nextVerify)
                {
                    await verifier.ReverifyRecentKeysAsync();
                    nextVerify = time.GetTimestamp() + (long)(swap.Options.PostponedVerifyInterval.TotalSeconds * time.TimestampFrequency);
                }
                await Task.Delay(swap.Options.Throttle.CheckInterval, time, swap.Token);
            }
        }
        finally
        {
            swap.Applier.KeysApplied = null;
        }
        swap.Data.CutOverApproved = true;
        await swap.SaveDataAsync();
    }

    /// <summary>Runs the cut-over; records <see cref="SwapStage.Swapped"/> (in the cut-over's transaction where the engine has one).</summary>
    public async Task RunAsync()
    {
        if (swap.Stage > SwapStage.Started && !swap.InTransaction && await AllSwappedAsync())
        {
            await swap.SaveAsync(SwapStage.Swapped);
            return;
        }
        foreach (var spec in swap.Specs)
            swap.Report(spec, SwapPhase.CuttingOver, swap.Copied(spec), 0);
        await swap.EnsureRunLockAsync();
        var engine = swap.Engine;
        var options = swap.Options;
        if (!engine.OneWriterAtATime)
            await catchUp.BeforeCutOverAsync();
        var statementWait = swap.Run.Options.StatementLockTimeout;
        var bounded = engine.OneWriterAtATime && swap.Online && !swap.InTransaction;
        if (bounded)
            await swap.Session.Database.ApplyLockTimeoutAsync(swap.Connection, options.CutOverLockTimeout, swap.Token);

        var attempts = 0;
        var pipeline = CutOverRetry.Build(options, engine, swap.Run.Time, swap.Logger, swap.Tables);
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
                        if (swap.Online && await AllSwappedAsync())
                        {
                            await swap.SaveAsync(SwapStage.Swapped);
                            return;
                        }
                        await catchUp.BeforeCutOverAsync();
                    }
                    else if (bounded)
                    {
                        await catchUp.BeforeCutOverAsync();
                    }
                    // Between the last catch-up outside the locks and taking them: a write the
                    // application makes here reaches only the catch-up under the lock.
                    Running.FaultPoints.Hit("cutover-lock");
                    var attemptStarted = swap.Run.Time.GetTimestamp();
                    var succeeded = false;
                    try
                    {
                        await engine.CutOverAsync(swap.Connection, swap.Transaction, swap.Specs, options, CatchUpAndCheckAsync, async tx =>
                        {
                            Running.FaultPoints.Hit("cutover");
                            await swap.SaveAsync(SwapStage.Swapped, tx);
                        }, ct);
                        succeeded = true;
                    }
                    finally
                    {
                        SwapMetrics.CutOverAttempts.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed"));
                        swap.Run.Listener?.CutOverAttempted(swap.ScriptId, swap.TableNames, attempts, swap.Run.Time.GetElapsedTime(attemptStarted), succeeded);
                    }
                },
                swap.Token);
        }
        catch (DefinitionChangedException e)
        {
            if (bounded)
                await swap.RestoreLockWaitAsync(statementWait);
            await verifier.FailDefinitionChangedAsync(e);
        }
        catch (Exception e) when (CutOverRetry.IsRetryable(engine, e))
        {
            var holders = await CutOverRetry.HoldersAsync(engine, swap.Connection, swap.TableNames);
            throw new SwapException(
                SwapErrorKind.CutOverTimedOut,
                $"{swap.ScriptId}: the cut-over of {swap.Tables} could not take its locks in {attempts} attempt(s) of {Durations.Format(options.CutOverLockTimeout)} each: " +
                $"a long transaction or query holds the table.{holders} The original is in place and capture keeps the copy current; run 'swap up' again when the table is quieter, " +
                $"or 'swap cleanup --script {swap.ScriptId}' to abandon the swap.",
                e)
            { ScriptId = swap.ScriptId };
        }
        catch (Exception e) when (swap.Session.Database.IsDatabaseError(e))
        {
            throw swap.Session.Database.Translate(e, $"{swap.ScriptId}: cut-over of {swap.Tables}");
        }
        finally
        {
            if (bounded)
                await swap.RestoreLockWaitAsync(statementWait);
        }
        EngineLog.Swapped(swap.Logger, swap.Tables, attempts);
        // Engines that record "swapped" inside the cut-over's transaction never pass this point in
        // SaveAsync; a kill right after the commit must be testable there too.
        Running.FaultPoints.Hit("phase:swapped");
    }

    /// <summary>Under the cut-over's locks: the rest of the change log, then the check that no original's definition changed since its copy was made.</summary>
    private async Task CatchUpAndCheckAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await catchUp.UnderLockAsync(connection, transaction, cancellationToken);
        await verifier.CheckDefinitionsAsync(connection, transaction, cancellationToken);
    }

    /// <summary>True when every table of the swap is already swapped (a rename that committed on its own before its journal row).</summary>
    public async Task<bool> AllSwappedAsync()
    {
        foreach (var spec in swap.Specs)
        {
            if (!await swap.Engine.IsSwappedAsync(swap.Connection, swap.Transaction, spec, swap.Token))
                return false;
        }
        return true;
    }
}
