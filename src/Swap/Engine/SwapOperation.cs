using System.Data.Common;
using Microsoft.Extensions.Logging;
using Swap.Data;
using Swap.Engine.Schema;
using Swap.Running;

namespace Swap.Engine;

/// <summary>
/// One <c>DoneUsingTablesAsync</c>: the tables' copies are created and altered, capture starts,
/// rows are copied in chunks, the copies are verified against the originals, all tables are
/// swapped in at once, capture stops and the old tables are dropped. Each phase is recorded in
/// the journal before the next starts; a resumed run continues from the last recorded phase,
/// and the copy from its last committed chunk.
/// </summary>
internal sealed partial class SwapOperation
{
    private readonly ScriptSession session;
    private readonly TableEngine engine;
    private readonly IReadOnlyList<TableUse> uses;
    private readonly OnlineSwapOptions options;
    private readonly ILogger logger;
    private OperationState state = null!;
    private SwapJournalData data = new();
    private List<SwapSpec> specs = [];
    private readonly ChangeLogApplier applier;
    private readonly Revert.RevertWindowOpener windows;

    /// <summary>True for the online path (capture, chunks in their own transactions, applier, short cut-over); false for one rebuild transaction.</summary>
    private readonly bool online;

    public SwapOperation(ScriptSession session, IReadOnlyList<TableUse> uses, bool online)
    {
        this.session = session;
        this.uses = uses;
        this.online = online;
        engine = session.Database.TableEngine;
        options = session.Run.Options.Swap;
        logger = (session.Run.Options.LoggerFactory ?? session.Database.LoggerFactory).CreateLogger("Swap.Engine");
        applier = new ChangeLogApplier(engine, options.ApplyBatchSize);
        windows = new Revert.RevertWindowOpener(session, engine);
    }

    private CancellationToken Token => session.CancellationToken;

    private DbConnection Connection => session.Connection;

    /// <summary>The last completed stage, as the journal records it.</summary>
    private SwapStage Stage => SwapStages.Parse(state.Phase);

    private IReadOnlyList<string> TableNames => uses.Select(u => u.Original.Name).ToList();

    public async Task<string> RunAsync(OperationState operation)
    {
        state = operation;
        data = SwapJournalData.Read(state.Data);
        foreach (var use in uses)
            data.Schemas.TryAdd(use.Original.Name, SchemaJson.Write(use.Original));
        if (Stage == SwapStage.VerifyFailed)
        {
            throw new SwapException(
                SwapErrorKind.VerificationFailed,
                $"{session.Script.Id}: an earlier run found the copy of {string.Join(", ", TableNames)} different from the original ({data.Failure}); nothing was swapped. " +
                $"Find the cause, then run 'swap cleanup --script {session.Script.Id}' to drop the copies and start the swap over.")
            { ScriptId = session.Script.Id };
        }
        if (Stage > SwapStage.Started)
            EngineLog.Resuming(logger, session.Script.Id, string.Join(", ", TableNames), state.Phase);
        await using var control = await StartControllerAsync();

        if (Stage < SwapStage.CopyCreated)
        {
            // Decided once, when the swap starts: a resumed run keeps the window it started with.
            data.RevertWindow = session.RevertWindow ?? options.RevertWindow;
            await windows.RefuseTablesInWindowsAsync(TableNames, data.RevertWindow is not null);
            await CreateCopiesAsync();
            if (data.RevertWindow is not null)
                await windows.RefuseUnlessRevertibleAsync(uses, await BuildSpecsAsync());
            await SaveAsync(SwapStage.CopyCreated);
        }
        specs = await BuildSpecsAsync();

        if (online && Stage >= SwapStage.CaptureInstalled && Stage < SwapStage.Swapped)
            await RecoverLostCaptureAsync();
        if (online && Stage == SwapStage.Verified)
            await engine.UndoCutOverAttemptAsync(Connection, specs, Token);
        if (Stage < SwapStage.CaptureInstalled)
        {
            if (online)
            {
                Report(specs[0], SwapPhase.InstallingCapture, 0, 0);
                foreach (var spec in specs)
                {
                    await ExecAllAsync(engine.RemoveCapture(spec), "remove stale capture");
                    foreach (var sql in engine.InstallCapture(spec))
                    {
                        await ExecAsync(sql, $"install capture on {spec.Original.Name}");
                        FaultPoints.Hit("capture");
                    }
                }
                // Rows capture wrote before it was whole (an interrupted attempt left some triggers,
                // or a write fell between one trigger and the next) may be stale, and no chunk ever
                // overwrites a row capture wrote. Capture is whole now and no chunk has run: empty the
                // copies; the chunks bring every row and capture keeps each one current.
                foreach (var spec in specs)
                    await ExecAsync($"DELETE FROM {engine.Dialect.Quote(spec.Names.Copy)}", $"empty the copy of {spec.Original.Name}");
            }
            await SaveAsync(SwapStage.CaptureInstalled);
        }
        if (Stage < SwapStage.Copied)
        {
            foreach (var spec in specs)
                await CopyTableAsync(spec);
            if (!specs.Any(s => s.KeyDeferred))
                await CatchUpAsync();
            await SaveAsync(SwapStage.Copied);
        }
        if (Stage < SwapStage.Indexed && CanVerifyWhileIndexing)
        {
            await IndexAndVerifyAsync();
        }
        if (Stage < SwapStage.Indexed)
        {
            foreach (var spec in specs.Where(HasIndexWork))
                await BuildIndexesAsync(Connection, spec, Token);
            await SaveAsync(SwapStage.Indexed);
        }
        if (Stage < SwapStage.Verified)
        {
            // The applier paused while the indexes were built; catch up before comparing.
            await CatchUpAsync();
            foreach (var spec in specs)
                await VerifyTableAsync(spec);
            await SaveAsync(SwapStage.Verified);
        }
        if (Stage < SwapStage.Swapped)
            await WaitForCutOverAsync();
        if (Stage < SwapStage.Swapped)
        {
            if (data.RevertWindow is not null)
                await windows.InstallReverseCaptureAsync(uses, specs);
            await CutOverAsync();
        }
        if (Stage < SwapStage.CaptureRemoved)
        {
            foreach (var spec in specs)
            {
                Report(spec, SwapPhase.RemovingCapture, 0, 0);
                if (online)
                    await ExecAllAsync(engine.RemoveCapture(spec), $"remove capture of {spec.Original.Name}");
                await ExecAllAsync(engine.AfterCutOver(spec), $"finish {spec.Original.Name}");
                await engine.AfterSwapAsync(Connection, spec, options, session.Run.Time, Token);
            }
            if (data.RevertWindow is { } window)
                await windows.OpenAsync(uses, specs, window);
            await SaveAsync(SwapStage.CaptureRemoved);
        }
        if (Stage < SwapStage.OldDropped)
        {
            foreach (var spec in specs)
            {
                Report(spec, SwapPhase.DroppingOld, 0, 0);
                // An open revert window keeps the old table until 'swap finish' or 'swap revert'.
                if (!options.KeepOldTables && data.RevertWindow is null)
                    await ExecAllAsync(engine.DropOld(spec), $"drop {spec.Names.Old}");
            }
            await SaveAsync(SwapStage.OldDropped);
        }
        session.Run.Listener?.LogApplied(session.Script.Id, applier.Applied);
        foreach (var spec in specs)
            Report(spec, SwapPhase.Done, data.Table(spec.Original.Name).Copied, spec.Original.EstimatedRows);
        return data.Write();
    }

    private async Task CreateCopiesAsync()
    {
        foreach (var use in uses)
        {
            Report(use.Original.Name, SwapPhase.Preflight);
            await SwapPreflight.CheckAsync(engine, use, Connection, state.Transaction, Token);
        }
        foreach (var use in uses.Where(u => !u.CopyExists))
        {
            Report(use.Original.Name, SwapPhase.CreatingCopy);
            // A copy left by an interrupted attempt before this phase was recorded is empty: start it afresh.
            await ExecAsync($"DROP TABLE IF EXISTS {engine.Dialect.Quote(use.Names.Copy)}", "drop stale copy");
            await ExecAllAsync(engine.CreateCopy(use.Original, use.Model, use.Names), $"create copy of {use.Original.Name}");
            await engine.CheckCopyAsync(Connection, use.Original, use.Names, Token);
        }
    }

    private async Task<List<SwapSpec>> BuildSpecsAsync()
    {
        var built = new List<SwapSpec>();
        // Killed between a cut-over that commits on its own (MySQL RENAME) and its journal row:
        // the copy is gone and the old table is there, so the swap did happen.
        if (online && Stage >= SwapStage.Verified && Stage < SwapStage.Swapped)
        {
            var swappedAll = true;
            foreach (var use in uses)
            {
                var probe = new SwapSpec { Original = use.Original, Copy = use.Original, Names = use.Names, Key = [], CopyKey = [], Mapping = [] };
                swappedAll &= await engine.IsSwappedAsync(Connection, state.Transaction, probe, Token);
            }
            if (swappedAll)
            {
                EngineLog.SwapFoundDone(logger, string.Join(", ", TableNames));
                await SaveAsync(SwapStage.Swapped);
            }
        }
        foreach (var use in uses)
        {
            var swapped = Stage >= SwapStage.Swapped;
            var copyName = swapped ? use.Original.Name : use.Names.Copy;
            var copy = await engine.LoadTableAsync(Connection, state.Transaction, copyName, Token)
                ?? throw new SwapException(
                    SwapErrorKind.Failure,
                    $"The copy {use.Names.Copy} of '{use.Original.Name}' is missing, though the journal says it was made. Run 'swap cleanup --script {session.Script.Id}' to start this swap over.")
                { ScriptId = session.Script.Id };
            built.Add(SwapSpecBuilder.Build(engine, use, copy with { Name = use.Names.Copy }) with { Captured = online });
        }
        return built;
    }

    /// <summary>
    /// Stops the run when its run lock is gone: another runner may hold it now, and two runners
    /// must never copy, verify or cut over the same table at once. Asked before every chunk
    /// (each attempt), every verification chunk, every recorded phase and the cut-over; the
    /// question also keeps the lock's session from going idle.
    /// </summary>
    private async Task EnsureRunLockAsync()
    {
        if (state.InTransaction || session.Run.RunLockHeld is not { } held)
            return;
        if (!await held(Token))
        {
            throw new SwapException(
                SwapErrorKind.LockHeld,
                $"The run lock on {session.Database.DisplayName} was lost (its connection ended) while {session.Script.Id} was swapping {string.Join(", ", TableNames)}, and another runner may have taken it. Stopped before the next step; run 'swap up' again to resume.")
            { ScriptId = session.Script.Id };
        }
    }

    /// <summary>
    /// If capture was removed behind Swap's back while the copy was being filled, the copy may have
    /// missed writes: empty it, reinstall capture and copy again, rather than swap in stale rows.
    /// </summary>
    private async Task RecoverLostCaptureAsync()
    {
        foreach (var spec in specs)
        {
            if (await engine.CaptureInstalledAsync(Connection, spec, Token))
                continue;
            EngineLog.CaptureLost(logger, spec.Original.Name);
            foreach (var s in specs)
            {
                await ExecAsync($"DELETE FROM {engine.Dialect.Quote(s.Names.Copy)}", "empty the copy");
                var p = data.Table(s.Original.Name);
                p.Watermark = null;
                p.Copied = 0;
                p.Done = false;
            }
            await SaveAsync(SwapStage.CopyCreated);
            return;
        }
    }

    /// <summary>Records <paramref name="stage"/> as complete (with the per-table progress), in <paramref name="transaction"/> when given.</summary>
    private async Task SaveAsync(SwapStage stage, DbTransaction? transaction = null)
    {
        if (transaction is null)
            await EnsureRunLockAsync();
        await state.SaveAsync(stage.Name(), data.Write(), transaction);
        if (transaction is null && stage != SwapStage.Swapped)
            FaultPoints.Hit("phase:" + stage.Name());
    }

    private async Task ExecAllAsync(IEnumerable<string> statements, string what)
    {
        foreach (var sql in statements)
            await ExecAsync(sql, what);
    }

    private async Task<int> ExecAsync(string sql, string what, object? parameters = null, DbTransaction? transaction = null)
    {
        try
        {
            return await Connection.ExecuteAsync(sql, parameters, transaction ?? state.Transaction, Token);
        }
        catch (Exception e) when (session.Database.IsDatabaseError(e))
        {
            throw session.Database.Translate(e, $"{session.Script.Id}: {what}");
        }
    }

    private void Report(string table, SwapPhase phase)
    {
        var progress = new SwapProgress(session.Script.Id, TableNames, table, phase, 0, 0, 0, null, 0);
        controller?.Observe(progress);
        session.Run.OnProgress?.Invoke(progress);
    }

    private void Report(SwapSpec spec, SwapPhase phase, long rows, double rate, int chunkSize = 0)
    {
        var estimated = Math.Max(spec.Original.EstimatedRows, rows);
        TimeSpan? eta = rate > 0 && estimated > rows ? TimeSpan.FromSeconds((estimated - rows) / rate) : null;
        var progress = new SwapProgress(session.Script.Id, TableNames, spec.Original.Name, phase, rows, estimated, rate, eta, chunkSize);
        controller?.Observe(progress);
        session.Run.OnProgress?.Invoke(progress);
    }
}
