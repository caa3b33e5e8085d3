using System.Data.Common;
using System.Globalization;
using Swap.Control;
using Swap.Data;
using Swap.Engine.Schema;
using Swap.Running;

namespace Swap.Engine;

/// <summary>
/// The sequencer of one <c>DoneUsingTablesAsync</c>: a state machine over <see cref="SwapStage"/>.
/// Each step does the work of the next stage through its component (<see cref="Capture"/>,
/// <see cref="Chunker"/>, <see cref="CatchUp"/>, <see cref="IndexBuilder"/>, <see cref="Verifier"/>,
/// <see cref="CutOver"/>) and records that stage in the journal before the following step starts;
/// a resumed run continues after the last recorded stage, and the copy after its last committed
/// chunk. See docs/architecture.md ("The stages").
/// </summary>
internal sealed class SwapOperation
{
    private readonly SwapContext swap;
    private readonly Capture capture;
    private readonly CatchUp catchUp;
    private readonly Chunker chunker;
    private readonly IndexBuilder indexes;
    private readonly Verifier verifier;
    private readonly CutOver cutOver;
    private readonly Revert.RevertWindowOpener windows;
    private readonly ValueMisfits misfits;

    public SwapOperation(ScriptSession session, IReadOnlyList<TableUse> uses, bool online)
    {
        swap = new SwapContext(session, uses, online);
        capture = new Capture(swap);
        catchUp = new CatchUp(swap);
        indexes = new IndexBuilder(swap, catchUp);
        chunker = new Chunker(swap, catchUp, indexes);
        verifier = new Verifier(swap, capture);
        cutOver = new CutOver(swap, catchUp, verifier);
        windows = new Revert.RevertWindowOpener(session, swap.Engine);
        misfits = new ValueMisfits(swap);
    }

    private SwapStage Stage => swap.Stage;

    public async Task<string> RunAsync(OperationState operation)
    {
        swap.State = operation;
        swap.Data = SwapJournalData.Read(operation.Data);
        foreach (var use in swap.Uses)
            swap.Data.Schemas.TryAdd(use.Original.Name, SchemaJson.Write(use.Original));
        if (Stage == SwapStage.VerifyFailed)
        {
            throw new SwapException(
                SwapErrorKind.VerificationFailed,
                $"{swap.ScriptId}: an earlier run found the copy of {swap.Tables} different from the original ({swap.Data.Failure}); nothing was swapped. " +
                $"Find the cause, then run 'swap cleanup --script {swap.ScriptId}' to drop the copies and start the swap over.")
            { ScriptId = swap.ScriptId };
        }
        if (Stage > SwapStage.Started)
            EngineLog.Resuming(swap.Logger, swap.ScriptId, swap.Tables, operation.Phase);
        await using var control = await StartControllerAsync();
        // Rows are copied as stored (an AUTO_INCREMENT 0, a zero date); the script's own statements run in its own mode.
        await using var exact = await swap.Engine.ExactCopySessionAsync(swap.Connection, swap.Transaction, swap.Token);

        // The copies just made were read once to build their specs; a resumed run reads them now.
        swap.Specs = Stage == SwapStage.Started ? await CreateCopiesAsync() : await BuildSpecsAsync();
        await RecoverAsync();

        try
        {
            while (Stage < SwapStage.OldDropped)
            {
                var before = Stage;
                await StepAsync(before);
                if (Stage <= before)
                    throw new InvalidOperationException($"The swap's step after '{before.Name()}' recorded no later stage ('{Stage.Name()}').");
            }
        }
        catch (Exception e) when (Stage < SwapStage.Swapped && swap.Specs.Count > 0 && swap.Misfit(e) is { } misfit)
        {
            // A value of the original (or one the application wrote meanwhile) does not fit the
            // change: stop as if refused before the start, with the row named.
            throw await misfits.StopAsync(e, misfit);
        }
        catch (Exception e) when (swap.Online && !swap.InTransaction && Stage >= SwapStage.CaptureInstalled && Stage < SwapStage.Swapped
            && (e is SwapException { Kind: SwapErrorKind.Failure, IsTransient: false } || (e is not SwapException && swap.Session.Database.IsDatabaseError(e) && !swap.Session.Database.IsConnectionLost(e))))
        {
            // Someone dropped the table or Swap's capture meanwhile: the server's words ("does not
            // exist") do not say what happened, nor that the next run starts the copy over.
            if (await GoneOutsideSwapAsync() is { } gone)
                throw new SwapException(SwapErrorKind.Failure, $"{swap.ScriptId}: {gone}", e) { ScriptId = swap.ScriptId };
            if (e is not SwapException failure)
                throw;
            // A failure between capture and the cut-over leaves capture working for the application's
            // writes: say so, and the two ways out.
            throw new SwapException(
                failure.Kind,
                failure.Message.TrimEnd() + $" The original is in place; capture stays on {swap.Tables} and logs every write until 'swap up' finishes the swap (fix the cause first; it resumes where it stopped) or 'swap cleanup --script {swap.ScriptId}' removes the copy, capture and change log.",
                e)
            { ServerCode = failure.ServerCode, SqlState = failure.SqlState, ScriptId = failure.ScriptId ?? swap.ScriptId };
        }
        swap.Run.Listener?.LogApplied(swap.ScriptId, swap.Applier.Applied);
        foreach (var spec in swap.Specs)
            swap.Report(spec, SwapPhase.Done, swap.Copied(spec), spec.Original.EstimatedRows);
        return swap.Data.Write();
    }

    /// <summary>
    /// After a failure between capture and the cut-over: what was removed behind Swap's back (an
    /// original, or its capture triggers or change log), said for an operator, or null when all is
    /// in place or cannot be read.
    /// </summary>
    private async Task<string?> GoneOutsideSwapAsync()
    {
        try
        {
            foreach (var spec in swap.Specs)
            {
                if (!await swap.Session.Database.TableExistsAsync(swap.Connection, spec.Original.Name, swap.Token))
                {
                    return $"the table '{spec.Original.Name}' is gone (dropped or renamed outside Swap while it was being swapped); nothing was swapped. " +
                        $"Put it back under its name and run 'swap up' again (a copy that may have missed writes is made again), or run 'swap cleanup --script {swap.ScriptId}' to remove the copy, capture and change log.";
                }
                if (!await swap.Engine.CaptureInstalledAsync(swap.Connection, swap.Transaction, spec, swap.Token))
                {
                    return $"Swap's capture on '{spec.Original.Name}' was removed outside Swap while it was being swapped (one of its capture triggers, or the change log {spec.Names.Log}, was dropped), " +
                        "so the copy may have missed the application's writes. Nothing was swapped; the original is intact. Run 'swap up' again: it empties the copy and copies the table again with capture reinstalled.";
                }
            }
            return null;
        }
        catch (Exception e) when (swap.Session.Database.IsDatabaseError(e))
        {
            return null;
        }
    }

    /// <summary>One transition: the work that follows <paramref name="stage"/>, ending with the next stage recorded.</summary>
    private async Task StepAsync(SwapStage stage)
    {
        switch (stage)
        {
            case SwapStage.CopyCreated:
                if (swap.Online)
                    await capture.InstallAsync();
                await swap.SaveAsync(SwapStage.CaptureInstalled);
                break;

            case SwapStage.CaptureInstalled:
                foreach (var spec in swap.Specs)
                    await chunker.CopyAsync(spec);
                if (!swap.Specs.Any(s => s.KeyDeferred))
                    await catchUp.RunAsync();
                await swap.SaveAsync(SwapStage.Copied);
                break;

            case SwapStage.Copied:
                if (await indexes.CanBuildWhileVerifyingAsync())
                {
                    // Records both stages: the indexes build on a second connection while this one verifies.
                    await indexes.BuildWhileAsync(verifier, VerifyAllAsync);
                    await swap.SaveAsync(SwapStage.Indexed);
                    await catchUp.RunAsync();
                    await swap.SaveAsync(SwapStage.Verified);
                }
                else
                {
                    await indexes.BuildAllAsync();
                    await swap.SaveAsync(SwapStage.Indexed);
                }
                break;

            case SwapStage.Indexed:
                // The applier paused while the indexes were built; catch up before comparing.
                await catchUp.RunAsync();
                await VerifyAllAsync();
                await swap.SaveAsync(SwapStage.Verified);
                break;

            case SwapStage.Verified:
                await cutOver.WaitForApprovalAsync();
                if (swap.Data.RevertWindow is not null)
                    await windows.InstallReverseCaptureAsync(swap.Uses, swap.Specs);
                await cutOver.RunAsync();
                break;

            case SwapStage.Swapped:
                foreach (var spec in swap.Specs)
                {
                    // A swap in one transaction installed no capture: nothing to report removed.
                    if (swap.Online)
                    {
                        swap.Report(spec, SwapPhase.RemovingCapture, 0, 0);
                        await capture.RemoveAsync(spec, $"remove capture of {spec.Original.Name}");
                    }
                    await swap.ExecAllAsync(swap.Engine.AfterCutOver(spec), $"finish {spec.Original.Name}");
                    await swap.Engine.AfterSwapAsync(swap.Connection, spec, swap.Options, swap.Run.Time, swap.Token);
                }
                if (swap.Data.RevertWindow is { } window)
                    await windows.OpenAsync(swap.Uses, swap.Specs, window, swap.Data);
                await swap.SaveAsync(SwapStage.CaptureRemoved);
                break;

            case SwapStage.CaptureRemoved:
                foreach (var spec in swap.Specs)
                {
                    // An open revert window keeps the old table until 'swap finish' or 'swap revert';
                    // --keep-old keeps it for good: neither reports a drop that does not happen.
                    if (swap.Options.KeepOldTables || swap.Data.RevertWindow is not null)
                        continue;
                    swap.Report(spec, SwapPhase.DroppingOld, 0, 0);
                    await swap.ExecAllAsync(swap.Engine.DropOld(spec), $"drop {spec.Names.Old}");
                }
                await swap.SaveAsync(SwapStage.OldDropped);
                break;

            default:
                throw new InvalidOperationException($"No step follows stage '{stage.Name()}'.");
        }
    }

    private async Task VerifyAllAsync()
    {
        foreach (var spec in swap.Specs)
            await verifier.VerifyAsync(spec);
    }

    /// <summary>Preflight, then the empty copies (with the script's changes); records <see cref="SwapStage.CopyCreated"/> and returns the specs read from the copies.</summary>
    private async Task<List<SwapSpec>> CreateCopiesAsync()
    {
        var engine = swap.Engine;
        // Decided once, when the swap starts: a resumed run keeps the window it started with.
        swap.Data.RevertWindow = swap.Session.KeptRevertWindow;
        var (afterCopy, atFirstWrite) = swap.Options.IndexTiming(engine);
        swap.Data.IndexesAfterCopy = swap.Online && !swap.InTransaction && afterCopy;
        swap.Data.IndexesAtFirstWrite = swap.Data.IndexesAfterCopy && atFirstWrite;
        await windows.RefuseTablesInWindowsAsync(swap.TableNames, swap.Data.RevertWindow is not null);
        SwapPreflight.CheckTogether(engine, swap.Uses);
        foreach (var use in swap.Uses)
        {
            swap.Report(use.Original.Name, SwapPhase.Preflight);
            await SwapPreflight.CheckAsync(engine, use, swap.Connection, swap.Transaction, swap.Token);
        }
        foreach (var use in swap.Uses.Where(u => swap.Online && !swap.InTransaction && !swap.Data.Definitions.ContainsKey(u.Original.Name)))
        {
            var definition = use.Definition ?? await TableDefinition.FingerprintAsync(engine, swap.Connection, swap.Transaction, use.Original.Name, swap.Token);
            if (definition is not null)
                swap.Data.Definitions[use.Original.Name] = definition;
        }
        var created = new List<TableUse>();
        foreach (var use in swap.Uses.Where(u => !u.CopyExists))
        {
            swap.Report(use.Original.Name, SwapPhase.CreatingCopy);
            // A copy left by an interrupted attempt before this stage was recorded is empty: start it afresh.
            await swap.ExecAsync($"DROP TABLE IF EXISTS {engine.Dialect.Quote(use.Names.Copy)}", "drop stale copy");
            await swap.ExecAllAsync(engine.CreateCopy(use.Original, use.Model, use.Names), $"create copy of {use.Original.Name}");
            await engine.CheckCopyAsync(swap.Connection, swap.Transaction, use.Original, use.Names, swap.Token);
            created.Add(use);
        }
        var specs = await BuildSpecsAsync();
        foreach (var spec in specs.Where(s => created.Any(u => ReferenceEquals(u.Original, s.Original))))
            await engine.CheckDeferredIndexesAsync(swap.Connection, swap.Transaction, spec, swap.Token);
        if (swap.Data.RevertWindow is not null)
            await windows.RefuseUnlessRevertibleAsync(swap.Uses, specs);
        await swap.SaveAsync(SwapStage.CopyCreated);
        return specs;
    }

    /// <summary>
    /// On resume, before the next step: capture removed behind Swap's back sends the swap back to
    /// <see cref="SwapStage.CopyCreated"/>; a cut-over attempt interrupted after <see cref="SwapStage.Verified"/>
    /// is undone where the engine left something of it (MySQL: triggers moved to the copy).
    /// </summary>
    private async Task RecoverAsync()
    {
        if (!swap.Online)
            return;
        if (Stage >= SwapStage.CaptureInstalled && Stage < SwapStage.Swapped)
            await capture.RecoverIfLostAsync();
        if (Stage == SwapStage.Verified)
            await swap.Engine.UndoCutOverAttemptAsync(swap.Connection, swap.Specs, swap.Token);
    }

    private async Task<List<SwapSpec>> BuildSpecsAsync()
    {
        var engine = swap.Engine;
        var built = new List<SwapSpec>();
        // Killed between a cut-over that commits on its own (MySQL RENAME) and its journal row:
        // the copy is gone and the old table is there, so the swap did happen.
        if (swap.Online && Stage >= SwapStage.Verified && Stage < SwapStage.Swapped)
        {
            var swappedAll = true;
            foreach (var use in swap.Uses)
            {
                var probe = new SwapSpec { Original = use.Original, Copy = use.Original, Names = use.Names, Key = [], CopyKey = [], Mapping = [] };
                swappedAll &= await engine.IsSwappedAsync(swap.Connection, swap.Transaction, probe, swap.Token);
            }
            if (swappedAll)
            {
                EngineLog.SwapFoundDone(swap.Logger, swap.Tables);
                await swap.SaveAsync(SwapStage.Swapped);
            }
        }
        foreach (var use in swap.Uses)
        {
            var swapped = Stage >= SwapStage.Swapped;
            var copyName = swapped ? use.Original.Name : use.Names.Copy;
            var copy = await engine.LoadTableAsync(swap.Connection, swap.Transaction, copyName, swap.Token)
                ?? throw new SwapException(
                    SwapErrorKind.Failure,
                    $"The copy {use.Names.Copy} of '{use.Original.Name}' is missing, though the journal says it was made. Run 'swap cleanup --script {swap.ScriptId}' to start this swap over.")
                { ScriptId = swap.ScriptId };
            built.Add(SwapSpecBuilder.Build(engine, use, copy with { Name = use.Names.Copy }, swap.Data.IndexesAfterCopy) with { Captured = swap.Online });
        }
        return built;
    }

    private async Task<SwapController> StartControllerAsync()
    {
        if (swap.Options.PostponeCutOver)
            swap.Data.PostponeCutOver = true;
        var c = SwapController.Create(swap.Run, swap.ScriptId, swap.TableNames, swap.Engine.Online && !swap.InTransaction);
        c.Postponed = swap.Data.PostponeCutOver && !swap.Data.CutOverApproved;
        c.Backlog = CountBacklogAsync;
        try
        {
            await c.StartAsync(swap.Token);
        }
        catch
        {
            await c.DisposeAsync();
            throw;
        }
        swap.Controller = c;
        return c;
    }

    /// <summary>The change-log rows not applied yet, for the live status (on the controller's connection; estimated beyond <see cref="ChangeLogSize.CountedUpTo"/>).</summary>
    private async Task<long> CountBacklogAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // The change logs exist from capture's installation until its removal.
        if (Stage < SwapStage.CaptureInstalled || Stage >= SwapStage.CaptureRemoved)
            return 0;
        var total = 0L;
        foreach (var spec in swap.Specs)
            total += await ChangeLogSize.RowsAsync(connection, swap.Engine.Dialect.Quote, spec.Names.Log, cancellationToken);
        return total;
    }
}
