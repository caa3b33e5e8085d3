using Swap.History;
using Swap.Running;

namespace Swap;

public sealed partial class Migrator
{
    /// <summary>
    /// Reverts the last <see cref="DownOptions.Count"/> applied scripts (newest first), or every
    /// script of <see cref="DownOptions.Batch"/>. Refuses (<see cref="SwapErrorKind.Refused"/>)
    /// before reverting anything when one of them has no down, its script is gone, or a script
    /// still applied depends on it.
    /// </summary>
    public async Task<DownResult> DownAsync(DownOptions? down = null, CancellationToken cancellationToken = default)
    {
        down ??= new DownOptions();
        if (down.Batch is null && down.Count <= 0)
            throw new SwapException(SwapErrorKind.Usage, $"The number of scripts to revert must be 1 or more, not {down.Count}.");
        Callbacks.Placeholders.Check(Catalog, new Dictionary<string, string>(options.Placeholders, StringComparer.Ordinal));
        var started = options.TimeProvider.GetTimestamp();
        var run = Context(cancellationToken) with
        {
            BudgetEnds = down.TimeBudget is { } limit ? started + (long)(limit.TotalSeconds * options.TimeProvider.TimestampFrequency) : null,
        };
        await using var runLock = await LockAsync(cancellationToken);
        run = run with { RunLockHeld = runLock.StillHeldAsync };
        var connection = await OpenAsync(cancellationToken);
        var newToSwap = false;
        try
        {
            newToSwap = await NewToSwapAsync(connection, cancellationToken);
            await CloseExpiredWindowsAsync(run, connection);
            // A script whose revert window is open is taken back through it: no copy, no down.
            var windowed = (await Windows.ReadAllAsync(connection, cancellationToken)).GroupBy(w => w.ScriptId, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<Engine.Revert.RevertWindow>)g.OrderBy(w => w.Seq).ToList(), StringComparer.Ordinal);
            var recorded = await history.ReadAsync(connection, cancellationToken);
            var applied = recorded
                .Where(h => h.Status == HistoryStatus.Applied)
                .OrderByDescending(h => h.ApplyOrder)
                .ToList();
            var targets = down.Batch is { } batch
                ? applied.Where(h => h.Batch == batch).ToList()
                : applied.Take(down.Count).ToList();
            if (targets.Count == 0)
            {
                if (down.Batch is { } b && applied.Count > 0)
                    throw new SwapException(SwapErrorKind.Usage, $"No applied script belongs to batch {b}. Run 'swap status' to see the batches.");
                return new DownResult([]);
            }
            CheckRevertible(targets.Where(t => !windowed.ContainsKey(t.ScriptId)).ToList(), applied, targets);
            await RefuseWhileUnfinishedAsync(connection, recorded, cancellationToken);

            var reverted = new List<ScriptOutcome>();
            try
            {
                foreach (var entry in targets)
                {
                    var script = Catalog.Find(entry.ScriptId)!;
                    if (down.TimeBudget is { } budget && reverted.Count > 0 && options.TimeProvider.GetElapsedTime(started) >= budget)
                    {
                        Log.BudgetSpent(logger, Durations.Format(budget), reverted[^1].Id);
                        return new DownResult(reverted) { BudgetSpent = true };
                    }
                    await EnsureStillLockedAsync(runLock, cancellationToken);
                    var scriptStarted = options.TimeProvider.GetTimestamp();
                    if (windowed.TryGetValue(entry.ScriptId, out var windows))
                    {
                        await RevertWindowsAsync(run, connection, entry.ScriptId, windows);
                        var took = options.TimeProvider.GetElapsedTime(scriptStarted);
                        Log.ScriptReverted(logger, entry.ScriptId, Durations.Format(took));
                        reverted.Add(new ScriptOutcome(entry.ScriptId, took, null));
                        continue;
                    }
                    if (entry.Checksum != script.Checksum)
                        Log.RevertingChanged(logger, script.Id, entry.Checksum[..12], script.Checksum[..12]);
                    var attempt = 0;
                    try
                    {
                        await RetryPipeline(script.Id).ExecuteAsync(
                            async token =>
                            {
                                if (attempt++ > 0)
                                    connection = await ReconnectAsync(runLock, connection, token);
                                await ScriptRunner.RunAsync(run, script, Direction.Down, connection, ScriptRunner.MarkReverted(history, run));
                            },
                            cancellationToken);
                    }
                    catch (BudgetSpentException)
                    {
                        Log.BudgetSpent(logger, Durations.Format(down.TimeBudget!.Value), script.Id);
                        return new DownResult(reverted) { BudgetSpent = true };
                    }
                    catch (SwapAbortedException e)
                    {
                        // The abort reached the down's swap: its copy and capture go, the script stays applied.
                        Log.ScriptFailed(logger, script.Id, e.Message);
                        connection = await AbandonAbortedSwapAsync(runLock, connection, script.Id, e.Tables, down: true);
                        throw new SwapAbortedException(
                            $"{script.Id}: its 'swap down' was aborted by {e.AbortedBy ?? "an operator"} during the swap of {string.Join(", ", e.Tables)}. The table is as the up left it; the down's copy, capture and change log are removed and the script stays applied ('swap down' starts its down over).",
                            e)
                        {
                            ScriptId = script.Id,
                            Tables = e.Tables,
                            AbortedBy = e.AbortedBy,
                        };
                    }
                    var elapsed = options.TimeProvider.GetElapsedTime(scriptStarted);
                    Log.ScriptReverted(logger, script.Id, Durations.Format(elapsed));
                    reverted.Add(new ScriptOutcome(script.Id, elapsed, null));
                }
            }
            catch (SwapException e)
            {
                // What this run reverted before the error stays reverted: say which.
                e.Finished = reverted.ToList();
                throw;
            }
            return new DownResult(reverted);
        }
        finally
        {
            await connection.DisposeAsync();
            if (newToSwap)
                await DropUnusedTablesAsync(runLock, quiet: true);
        }
    }

    /// <summary>
    /// A script that failed or was interrupted after some of its journaled steps stays part-way
    /// applied, and its journal says which steps are done: reverting a script before it would take
    /// away what those steps changed (a table dropped with their columns in it) while the journal
    /// still counts them done, so the next 'up' would skip them. Finish or abandon it first.
    /// </summary>
    private async Task RefuseWhileUnfinishedAsync(System.Data.Common.DbConnection connection, IReadOnlyList<HistoryEntry> recorded, CancellationToken cancellationToken)
    {
        var unfinished = recorded.Where(h => h.Status != HistoryStatus.Applied).ToList();
        if (unfinished.Count == 0)
            return;
        var journal = await new Journal.JournalStore(database, options.Tables).ReadAllAsync(connection, cancellationToken);
        foreach (var entry in unfinished)
        {
            var steps = journal.Count(j => j.ScriptId == entry.ScriptId);
            if (steps == 0)
                continue;
            var done = journal.Count(j => j.ScriptId == entry.ScriptId && j.IsDone);
            throw new SwapException(
                SwapErrorKind.Refused,
                $"{entry.ScriptId} {(entry.Status == HistoryStatus.Failed ? "failed" : "stopped")} part-way ({done} journaled step(s) done, which stay in the database); nothing was reverted, since a down before it would undo what those steps changed while its journal still counts them done. Finish it first with 'swap up', or abandon it with 'swap cleanup --script {entry.ScriptId}' (its done steps stay: undo them by hand), then run 'swap down' again.")
            { ScriptId = entry.ScriptId };
        }
    }

    /// <param name="targets">The scripts that need a down (those with an open revert window do not).</param>
    /// <param name="applied">Every applied script.</param>
    /// <param name="leavingAll">Every script this down takes back.</param>
    private void CheckRevertible(List<HistoryEntry> targets, List<HistoryEntry> applied, List<HistoryEntry> leavingAll)
    {
        foreach (var entry in targets)
        {
            var script = Catalog.Find(entry.ScriptId)
                ?? throw new SwapException(SwapErrorKind.Refused, $"{entry.ScriptId} cannot be reverted: its script is no longer in any migrations folder or assembly. Restore the file, or remove its history with 'swap sync'.") { ScriptId = entry.ScriptId };
            if (!script.HasDown && script.Sql is { HasEmptyDown: true })
            {
                throw new SwapException(SwapErrorKind.Refused, $"{script.Id} cannot be reverted: its down section holds no statement (only comments), so it has no down; nothing was reverted. Write the statements that undo it under '-- swap:down' (or delete the section), or undo it with a new forward migration.") { ScriptId = script.Id };
            }
            if (!script.HasDown)
            {
                var how = script.Kind == ScriptKind.Sql ? "add a '-- swap:down' section (or a .down.sql file)" : "override DownAsync";
                throw new SwapException(SwapErrorKind.Refused, $"{script.Id} has no down, so it cannot be reverted; nothing was reverted. To make it revertible, {how}; or undo it with a new forward migration.") { ScriptId = script.Id };
            }
        }
        var leaving = leavingAll.Select(t => t.ScriptId).ToHashSet(StringComparer.Ordinal);
        foreach (var remaining in applied.Where(a => !leaving.Contains(a.ScriptId)))
        {
            var script = Catalog.Find(remaining.ScriptId);
            var blocked = script?.Dependencies.FirstOrDefault(leaving.Contains);
            if (blocked is not null)
            {
                throw new SwapException(
                    SwapErrorKind.Refused,
                    $"{blocked} cannot be reverted while {remaining.ScriptId}, which runs after it, stays applied; nothing was reverted. Revert {remaining.ScriptId} first (a larger count, or its batch).")
                { ScriptId = blocked };
            }
        }
    }
}
