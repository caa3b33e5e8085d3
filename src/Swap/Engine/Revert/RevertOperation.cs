using System.Data.Common;
using Swap.Control;
using Swap.Data;
using Swap.Engine.Schema;
using Swap.Running;

namespace Swap.Engine.Revert;

/// <summary>
/// Takes back one swap whose revert window is open: applies the reverse change log into the old
/// tables, swaps them back in under the forward swap's bounded cut-over (the same engine cut-over
/// and retries, in the other direction), removes the reverse capture and drops the swapped-in
/// tables. Each stage is recorded in the window's journal row (the cut-over's in its own
/// transaction where the engine has one), so a revert killed anywhere resumes with
/// <c>swap revert</c>; the reverse log, like the forward one, is its own position.
/// </summary>
internal sealed class RevertOperation(RunContext run, DbConnection connection, RevertWindowStore store, RevertWindow window)
{
    private readonly TableEngine engine = run.Database.TableEngine;
    private readonly OnlineSwapOptions options = run.Options.Swap;
    private readonly ChangeLogApplier applier = new(run.Database.TableEngine, run.Options.Swap.ApplyBatchSize);

    private SwapController? controller;
    private long applied;

    private CancellationToken Token => run.CancellationToken;

    private string Tables => string.Join(", ", window.TableNames);

    public async Task RunAsync()
    {
        if (window.Stage == RevertStage.Reverted)
            return;
        RevertLog.Reverting(run.Logger, window.ScriptId, Tables, RevertWindow.Name(window.Stage));
        // Rows go back as stored (an AUTO_INCREMENT 0, a zero date), as the forward swap copied them.
        await using var exact = await engine.ExactCopySessionAsync(connection, null, Token);
        if (window.Stage < RevertStage.SwappedBack)
        {
            if (await AllSwappedBackAsync())
            {
                // Killed between a rename that commits on its own (MySQL) and its journal row.
                await SaveAsync(RevertStage.SwappedBack);
            }
            else
            {
                var specs = await ReverseSpecsAsync();
                // A killed attempt may have left the table's own triggers on the old tables: the applier must not fire them.
                await engine.UndoCutOverAttemptAsync(connection, specs, Token);
                window.Tables = window.Tables.Zip(specs, (t, s) => t with { Current = SchemaJson.Write(s.Original) }).ToList();
                // Operators steer the revert like a swap until it swaps back (pause, set, abort, throttling).
                await using (controller = await StartControllerAsync(specs))
                {
                    await CatchUpAsync(specs, untilBelow: spec => CatchUp.CutOverBacklog(spec, options));
                    foreach (var spec in specs)
                    {
                        await BoundaryAsync(spec, SwapPhase.Verifying);
                        await RevertVerifier.VerifyAsync(run, connection, spec, window.ScriptId);
                    }
                    await CutOverAsync(specs);
                }
                controller = null;
            }
        }
        if (window.Stage < RevertStage.CaptureRemoved)
        {
            foreach (var spec in await SwappedBackSpecsAsync())
            {
                Report(spec.Original.Name, SwapPhase.RemovingCapture);
                await ExecAllAsync(engine.RemoveCapture(spec), $"remove the reverse capture of {spec.Original.Name}");
                await ExecAllAsync(engine.AfterCutOver(spec), $"finish the revert of {spec.Original.Name}");
                await engine.AfterSwapAsync(connection, spec, options, run.Time, Token);
            }
            await SaveAsync(RevertStage.CaptureRemoved);
        }
        if (window.Stage < RevertStage.Reverted)
        {
            foreach (var spec in await SwappedBackSpecsAsync())
            {
                Report(spec.Original.Name, SwapPhase.DroppingOld);
                await ExecAllAsync(engine.DropOld(spec), $"drop {spec.Names.Old}");
            }
            await SaveAsync(RevertStage.Reverted);
        }
        Report(window.TableNames.First(), SwapPhase.Done);
    }

    /// <summary>Before the swap back: from the live new tables into the live old tables, through the reverse mapping.</summary>
    private async Task<List<SwapSpec>> ReverseSpecsAsync()
    {
        var specs = new List<SwapSpec>();
        foreach (var table in window.Tables)
        {
            var names = SwapNames.Reverse(table.Table, engine.Dialect.MaxIdentifierLength);
            var now = await engine.LoadTableAsync(connection, null, table.Table, Token)
                ?? throw Gone($"the table '{table.Table}' is missing");
            var old = await engine.LoadTableAsync(connection, null, names.Copy, Token)
                ?? throw Gone($"its old table {names.Copy} is missing (dropped outside Swap?)");
            var spec = ReverseMapping.Build(engine, table, now, old);
            if (!await engine.CaptureInstalledAsync(connection, null, spec, Token))
                throw Gone($"the reverse capture on '{table.Table}' is missing (removed outside Swap?), so the old table may have missed writes");
            specs.Add(spec);
        }
        return specs;
    }

    /// <summary>
    /// After the swap back only names matter, the former original's foreign keys (validated after),
    /// and the triggers the swapped-in table had, which the engine may still have to give their
    /// names back on the table (MySQL).
    /// </summary>
    private async Task<List<SwapSpec>> SwappedBackSpecsAsync()
    {
        var specs = new List<SwapSpec>();
        foreach (var table in window.Tables)
        {
            var original = SchemaJson.Read(table.Original);
            var live = await engine.LoadTableAsync(connection, null, table.Table, Token) ?? original;
            // Killed right after a rename that commits on its own, before recording it: the table that
            // went back to _t_swap_new still has them (until it is dropped).
            var triggers = table.Current is { } current
                ? SchemaJson.Read(current).Triggers
                : (await engine.LoadTableAsync(connection, null, SwapNames.Reverse(table.Table, engine.Dialect.MaxIdentifierLength).Old, Token))?.Triggers ?? [];
            specs.Add(Probe(table.Table, live with { Triggers = triggers }) with { TargetForeignKeys = original.ForeignKeys });
        }
        return specs;
    }

    private SwapSpec Probe(string table, TableSchema schema) => new()
    {
        Original = schema with { Name = table },
        Copy = schema,
        Names = SwapNames.Reverse(table, engine.Dialect.MaxIdentifierLength),
        Key = [],
        CopyKey = [],
        Mapping = [],
        Revert = true,
    };

    private async Task<bool> AllSwappedBackAsync()
    {
        foreach (var table in window.Tables)
        {
            var probe = Probe(table.Table, SchemaJson.Read(table.Original));
            if (!await engine.IsSwappedAsync(connection, null, probe, Token))
                return false;
        }
        return true;
    }

    private async Task<SwapController> StartControllerAsync(IReadOnlyList<SwapSpec> specs)
    {
        var c = SwapController.ForRevert(run, window.ScriptId, [.. window.TableNames]);
        c.Backlog = async (lc, ct) =>
        {
            var total = 0L;
            foreach (var spec in specs)
                total += await ChangeLogSize.RowsAsync(lc, engine.Dialect.Quote, spec.Names.Log, ct);
            return total;
        };
        try
        {
            await c.StartAsync(Token);
        }
        catch
        {
            await c.DisposeAsync();
            throw;
        }
        return c;
    }

    /// <summary>A boundary where the operator's commands are taken: waits while paused or throttled, throws on abort.</summary>
    private async Task BoundaryAsync(SwapSpec spec, SwapPhase phase)
    {
        Report(spec.Original.Name, phase);
        if (controller is not null)
            await controller.BoundaryAsync(Token);
    }

    /// <summary>Where the revert is, for the operator's live view and the command's progress lines (the writes applied so far while <see cref="SwapPhase.Reverting"/>).</summary>
    private void Report(string table, SwapPhase phase)
    {
        var progress = new SwapProgress(window.ScriptId, [.. window.TableNames], table, phase, phase == SwapPhase.Reverting ? applied : 0, 0, 0, null, applier.BatchSize);
        controller?.Observe(progress);
        run.OnProgress?.Invoke(progress);
    }

    /// <summary>
    /// Applies the reverse logs until a batch comes back shorter than <paramref name="untilBelow"/>
    /// gives for its table (the rest goes under the lock; the forward cut-over's threshold, in bytes
    /// for wide rows), taking the operator's commands before each batch. A batch cut short by its
    /// bytes (<see cref="ChangeLogApplier.LastBatchLimit"/>) is not the end of the backlog.
    /// </summary>
    private async Task CatchUpAsync(IReadOnlyList<SwapSpec> specs, Func<SwapSpec, int> untilBelow, SwapPhase phase = SwapPhase.Reverting)
    {
        foreach (var spec in specs)
        {
            while (true)
            {
                await BoundaryAsync(spec, phase);
                await EnsureRunLockAsync();
                var batch = await run.RetryTransientAsync($"apply the reverse change log of {spec.Original.Name}", async ct =>
                {
                    try
                    {
                        return await applier.ApplyBatchAsync(connection, null, ownTransaction: true, spec, ct);
                    }
                    catch (Exception e) when (run.Database.IsDatabaseError(e))
                    {
                        throw run.Database.Translate(e, $"{window.ScriptId}: apply the reverse change log of {spec.Original.Name}");
                    }
                });
                applied += batch;
                Report(spec.Original.Name, phase);
                var full = batch >= applier.LastBatchLimit;
                if ((!full && batch < untilBelow(spec)) || applier.LastBatchRefused)
                    break;
            }
        }
    }

    private async Task CatchUpUnderLockAsync(IReadOnlyList<SwapSpec> specs, DbConnection lockConnection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        foreach (var spec in specs)
            await applier.DrainUnderLockAsync(lockConnection, transaction, spec, window.ScriptId, cancellationToken);
        FaultPoints.Hit("revert-catchup");
    }

    private async Task CutOverAsync(List<SwapSpec> specs)
    {
        await EnsureRunLockAsync();
        var attempts = 0;
        var pipeline = CutOverRetry.Build(options, engine, run.Time, run.Logger, Tables);
        try
        {
            await pipeline.ExecuteAsync(
                async ct =>
                {
                    attempts++;
                    if (attempts > 1 && await AllSwappedBackAsync())
                    {
                        await SaveAsync(RevertStage.SwappedBack);
                        return;
                    }
                    // Also after a pause or a throttle taken at the boundary before verification: what
                    // came in meanwhile is applied before the lock, not under it.
                    await CatchUpAsync(specs, untilBelow: spec => CatchUp.CutOverBacklog(spec, options), SwapPhase.CuttingOver);
                    await engine.CutOverAsync(connection, null, specs, options, (c, tx, t) => CatchUpUnderLockAsync(specs, c, tx, t), async tx =>
                    {
                        FaultPoints.Hit("revert-cutover");
                        await SaveAsync(RevertStage.SwappedBack, tx);
                    }, ct);
                },
                Token);
        }
        catch (Exception e) when (CutOverRetry.IsRetryable(engine, e))
        {
            throw new SwapException(
                SwapErrorKind.CutOverTimedOut,
                $"{window.ScriptId}: the revert of {Tables} could not take its locks in {attempts} attempt(s) of {Durations.Format(options.CutOverLockTimeout)} each: " +
                $"a long transaction or query holds the table. The swapped-in table stays in place and the old one is still kept in sync; run 'swap revert {window.ScriptId}' again when the table is quieter.",
                e)
            { ScriptId = window.ScriptId };
        }
        catch (Exception e) when (run.Database.IsDatabaseError(e))
        {
            throw run.Database.Translate(e, $"{window.ScriptId}: revert of {Tables}");
        }
        RevertLog.SwappedBack(run.Logger, window.ScriptId, Tables, attempts);
        FaultPoints.Hit("revert:swapped-back");
    }

    private async Task SaveAsync(RevertStage stage, DbTransaction? transaction = null)
    {
        if (transaction is null)
            await EnsureRunLockAsync();
        window.Stage = stage;
        await store.WriteAsync(connection, transaction, window, run.Time.GetUtcNow().UtcDateTime, Token);
        if (transaction is null && stage != RevertStage.SwappedBack)
            FaultPoints.Hit("revert:" + RevertWindow.Name(stage));
    }

    private async Task EnsureRunLockAsync()
    {
        if (run.RunLockHeld is { } held && !await held(Token))
        {
            throw new SwapException(
                SwapErrorKind.LockHeld,
                $"The run lock on {run.Database.DisplayName} was lost while {window.ScriptId} was being reverted, and another runner may have taken it. Stopped; run 'swap revert {window.ScriptId}' again to resume.")
            { ScriptId = window.ScriptId };
        }
    }

    private async Task ExecAllAsync(IEnumerable<string> statements, string what)
    {
        foreach (var sql in statements)
        {
            try
            {
                await connection.ExecuteAsync(sql, null, null, Token);
            }
            catch (Exception e) when (run.Database.IsDatabaseError(e))
            {
                throw run.Database.Translate(e, $"{window.ScriptId}: {what}");
            }
        }
    }

    private SwapException Gone(string what) => new(
        SwapErrorKind.Refused,
        $"{window.ScriptId} cannot be reverted: {what}. Nothing was changed; 'swap finish {window.ScriptId}' closes the window and keeps the change, and a new migration can change the table back.")
    { ScriptId = window.ScriptId };
}
