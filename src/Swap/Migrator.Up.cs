using System.Data.Common;
using Swap.Callbacks;
using Swap.Discovery;
using Swap.History;
using Swap.Locking;
using Swap.Running;

namespace Swap;

public sealed partial class Migrator
{
    /// <summary>
    /// Applies pending scripts in order, as one batch. A failed or interrupted script is retried,
    /// resuming after its last journaled step. Stops at <see cref="UpOptions.To"/>, after
    /// <see cref="UpOptions.Steps"/> scripts, or once <see cref="UpOptions.TimeBudget"/> is spent.
    /// </summary>
    public async Task<UpResult> UpAsync(UpOptions? up = null, CancellationToken cancellationToken = default)
    {
        up ??= new UpOptions();
        if (up.Steps is <= 0)
            throw new SwapException(SwapErrorKind.Usage, $"--steps must be 1 or more, not {up.Steps}.");
        var scripts = Catalog.Scripts;
        if (up.To is not null)
            Catalog.Require(up.To, "--to");
        if (up.Tags is { Count: > 0 })
            CheckKnownTags(up.Tags);
        Placeholders.Check(Catalog, new Dictionary<string, string>(options.Placeholders, StringComparer.Ordinal));

        var started = options.TimeProvider.GetTimestamp();
        var run = Context(cancellationToken) with
        {
            BudgetEnds = up.TimeBudget is { } b ? started + (long)(b.TotalSeconds * options.TimeProvider.TimestampFrequency) : null,
        };
        // A SQLite file that is not there yet: taking the lock creates it, and a refusal removes it again.
        var storeExisted = database.StoreExists;
        await using var runLock = await LockAsync(cancellationToken);
        run = run with { RunLockHeld = runLock.StillHeldAsync };
        var connection = await OpenAsync(cancellationToken);
        var removeStore = false;
        // A database that never saw Swap: a run refused before it wrote anything leaves it so.
        var firstRun = !await database.TableExistsAsync(connection, options.Tables.History, cancellationToken);
        try
        {
            await CloseExpiredWindowsAsync(run, connection);
            // An interrupted revert may have swapped the old tables back already: 'up' must not look
            // like everything is in place ("Nothing to apply") without saying so.
            foreach (var reverting in (await Windows.ReadAllAsync(connection, cancellationToken)).Where(w => w.Stage != Engine.Revert.RevertStage.Open))
                Engine.Revert.RevertLog.RevertInterrupted(logger, reverting.ScriptId, string.Join(", ", reverting.TableNames), Engine.Revert.RevertWindow.Name(reverting.Stage));
            // Read (which never creates a table) and refuse before Swap's tables are created.
            var recorded = (await history.ReadAsync(connection, cancellationToken)).ToDictionary(h => h.ScriptId, StringComparer.Ordinal);
            if (!options.AllowChangedScripts)
                RefuseChanged(scripts, recorded);
            await RefuseUnadoptedFlywayAsync(connection, recorded.Count, cancellationToken);

            var pending = scripts.Where(s => !recorded.TryGetValue(s.Id, out var h) || h.Status != HistoryStatus.Applied).ToList();
            // Counted before --tags and --to cut the list: the scripts left out are still pending.
            var pendingTotal = pending.Count;
            pending = UpTo(SelectTagged(pending, up.Tags, recorded), up.To, up.Tags);
            // An unwritten stub among the scripts this run would apply: refuse before any of them runs.
            if (pending.Take(up.Steps ?? int.MaxValue).FirstOrDefault(s => s.Sql is { HasUpStatements: false }) is { } stub)
                throw stub.Sql!.EmptyUpError(stub.Id);
            bool created;
            try
            {
                created = await history.EnsureTablesAsync(connection, cancellationToken);
            }
            catch (Exception e) when (database.IsDatabaseError(e))
            {
                throw database.Translate(e, $"Creating Swap's tables ({string.Join(", ", options.Tables.All)})");
            }
            if (created)
                Log.HistoryCreated(logger, options.Tables.History);
            var batch = recorded.Count == 0 ? 1 : recorded.Values.Max(h => h.Batch) + 1;
            var order = recorded.Count == 0 ? 0 : recorded.Values.Max(h => h.ApplyOrder);
            var applied = new List<ScriptOutcome>();
            var stopped = StopReason.Completed;
            if (pending.Count > 0)
                await RunCallbacksAsync(run, connection, CallbackEvent.BeforeMigrate);

            try
            {
                foreach (var script in pending)
                {
                    if (up.Steps is { } steps && applied.Count >= steps)
                    {
                        stopped = StopReason.StepsDone;
                        break;
                    }
                    if (up.TimeBudget is { } budget && applied.Count > 0 && options.TimeProvider.GetElapsedTime(started) >= budget)
                    {
                        Log.BudgetSpent(logger, Durations.Format(budget), applied[^1].Id);
                        stopped = StopReason.BudgetSpent;
                        break;
                    }
                    await EnsureStillLockedAsync(runLock, cancellationToken);
                    await PlanAheadAsync(run, script, connection);
                    (connection, var outcome) = await ApplyAsync(run, runLock, connection, script, batch, ++order, recorded.GetValueOrDefault(script.Id));
                    if (outcome is null)
                    {
                        Log.BudgetSpent(logger, Durations.Format(up.TimeBudget!.Value), script.Id);
                        stopped = StopReason.BudgetSpent;
                        break;
                    }
                    applied.Add(outcome);
                    if (script.Id == up.To)
                        stopped = StopReason.ReachedTarget;
                }
                if (stopped == StopReason.Completed && up.To is not null && applied.Count > 0)
                    stopped = StopReason.ReachedTarget;
                if (applied.Count > 0)
                {
                    await EnsureStillLockedAsync(runLock, cancellationToken);
                    await RunCallbacksAsync(run, connection, CallbackEvent.AfterMigrate);
                }
            }
            catch (SwapException e)
            {
                // What this run applied before the error stays applied: say which.
                e.Finished = applied.ToList();
                throw;
            }
            return new UpResult(batch, applied, stopped, pendingTotal - applied.Count);
        }
        catch (SwapException e) when (firstRun && IsRefusal(e) && e.Finished is not { Count: > 0 })
        {
            await DropUnusedTablesAsync(runLock);
            removeStore = !storeExisted;
            throw;
        }
        finally
        {
            await connection.DisposeAsync();
            if (removeStore)
                await RemoveCreatedStoreAsync(runLock);
        }
    }

    /// <summary>
    /// For a rehearsal: the script's dry run on the database as the scripts before it left it (what
    /// <c>plan</c> would say then), told to the listener. A plan that fails does not stop the run.
    /// </summary>
    private async Task PlanAheadAsync(RunContext run, MigrationScript script, DbConnection connection)
    {
        if (run.Listener is not { PlansAhead: true } listener)
            return;
        try
        {
            var dryRun = await ScriptRunner.PlanAsync(run with { Listener = null, OnProgress = null }, script, connection);
            listener.ScriptPlanned(script.Id, dryRun.Promised, null);
        }
        catch (Exception e) when (e is SwapException || database.IsDatabaseError(e))
        {
            listener.ScriptPlanned(script.Id, [], e.Message);
        }
    }

    /// <summary>Journaled steps of the script that are done (they stay applied after a failure); 0 when they cannot be read.</summary>
    private async Task<int> DoneStepsAsync(DbConnection connection, string scriptId, CancellationToken cancellationToken)
    {
        try
        {
            var journal = await new Journal.JournalStore(database, options.Tables).ReadAllAsync(connection, cancellationToken);
            return journal.Count(j => j.ScriptId == scriptId && j.IsDone);
        }
        catch (Exception e) when (database.IsDatabaseError(e))
        {
            return 0;
        }
    }

    /// <summary>
    /// A refusal of a later step of a journaled script: that step wrote nothing, but the steps
    /// before it did and stay applied; say so instead of "nothing was changed".
    /// </summary>
    private static SwapException RefusedAfterSteps(SwapException refused, string scriptId, int done)
    {
        var message = refused.Message
            .Replace("Nothing was changed.", "This step changed nothing.", StringComparison.Ordinal)
            .Replace("nothing was changed.", "this step changed nothing.", StringComparison.Ordinal);
        return new SwapException(
            SwapErrorKind.Refused,
            message + $" {scriptId} had finished {done} earlier step(s) before this one, and they stay applied ('swap status' lists where it stopped); once this is fixed, 'swap up' goes on after them.",
            refused)
        { ScriptId = refused.ScriptId ?? scriptId, ServerCode = refused.ServerCode, SqlState = refused.SqlState };
    }

    /// <summary>Applies one script; a null outcome means the time budget ran out inside it (it resumes on the next run).</summary>
    /// <param name="earlier">The script's history row before this run (failed or interrupted), or null.</param>
    private async Task<(DbConnection Connection, ScriptOutcome? Outcome)> ApplyAsync(RunContext run, RunLock runLock, DbConnection connection, MigrationScript script, int batch, long order, HistoryEntry? earlier)
    {
        var ct = run.CancellationToken;
        var started = options.TimeProvider.GetTimestamp();
        await history.BeginAsync(connection, script, batch, order, UtcNow(options.TimeProvider), RunIdentity.User(), earlier is not null, ct);
        Resumption? resumed = null;
        var attempt = 0;
        try
        {
            await RetryPipeline(script.Id).ExecuteAsync(
                async token =>
                {
                    if (attempt++ > 0)
                        connection = await ReconnectAsync(runLock, connection, token);
                    resumed = await ScriptRunner.RunAsync(run, script, Direction.Up, connection, ScriptRunner.MarkApplied(history, run, started));
                },
                ct);
        }
        catch (BudgetSpentException)
        {
            return (connection, null);
        }
        catch (SwapAbortedException e)
        {
            Log.ScriptFailed(logger, script.Id, e.Message);
            run.Listener?.ScriptFinished(script.Id, options.TimeProvider.GetElapsedTime(started), e);
            connection = await AbandonAbortedSwapAsync(runLock, connection, script.Id, e.Tables);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var error = e is SwapException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            Log.ScriptFailed(logger, script.Id, error);
            run.Listener?.ScriptFinished(script.Id, options.TimeProvider.GetElapsedTime(started), e);
            if (!(IsRefusal(e) && await ForgetRefusedAsync(runLock, connection, script.Id, earlier)))
                connection = await RecordFailureAsync(runLock, connection, script.Id, started, error);
            if (e is SwapException { Kind: SwapErrorKind.Refused } refused && await DoneStepsAsync(connection, script.Id, ct) is > 0 and var done)
                throw RefusedAfterSteps(refused, script.Id, done);
            throw e as SwapException ?? database.Translate(e, script.Id);
        }
        catch (OperationCanceledException)
        {
            await RecordFailureAsync(runLock, connection, script.Id, started, CancelledError);
            throw;
        }
        var elapsed = options.TimeProvider.GetElapsedTime(started);
        Log.ScriptApplied(logger, script.Id, Durations.Format(elapsed));
        run.Listener?.ScriptFinished(script.Id, elapsed, null);
        return (connection, new ScriptOutcome(script.Id, elapsed, resumed));
    }

    /// <summary>After a transient failure: a fresh connection, but only while the run lock is still ours.</summary>
    private async Task<DbConnection> ReconnectAsync(RunLock runLock, DbConnection old, CancellationToken cancellationToken)
    {
        await old.DisposeAsync();
        await EnsureStillLockedAsync(runLock, cancellationToken);
        return await OpenAsync(cancellationToken);
    }

    /// <summary>
    /// Before each script: the lock's session may have ended (killed by an admin, network cut)
    /// and another runner may hold the lock now, so no further script may start.
    /// </summary>
    private async Task EnsureStillLockedAsync(RunLock runLock, CancellationToken cancellationToken)
    {
        if (!await runLock.StillHeldAsync(cancellationToken))
        {
            throw new SwapException(
                SwapErrorKind.LockHeld,
                $"The run lock on {database.DisplayName} was lost (its connection ended) and another runner may have taken it. Stopping; run 'swap up' again to resume.");
        }
    }

    /// <summary>Marks the script failed, on a fresh connection if the old one is broken. Never throws over the original error.</summary>
    private async Task<DbConnection> RecordFailureAsync(RunLock runLock, DbConnection connection, string scriptId, long started, string error)
    {
        var elapsed = (long)options.TimeProvider.GetElapsedTime(started).TotalMilliseconds;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        // Without the lock another runner may own the script now (and may have applied it): its
        // history row is not ours to overwrite.
        if (!await runLock.StillHeldAsync(cts.Token))
            return connection;
        try
        {
            await history.MarkFailedAsync(connection, scriptId, UtcNow(options.TimeProvider), elapsed, error, cts.Token);
            return connection;
        }
        catch (Exception e) when (CannotRecord(e) && !cts.IsCancellationRequested)
        {
            try
            {
                await connection.DisposeAsync();
                if (!await runLock.StillHeldAsync(cts.Token))
                    return connection;
                var fresh = await OpenAsync(cts.Token);
                await history.MarkFailedAsync(fresh, scriptId, UtcNow(options.TimeProvider), elapsed, error, cts.Token);
                return fresh;
            }
            catch (Exception again) when (CannotRecord(again))
            {
                return connection;
            }
        }
        catch (Exception e) when (CannotRecord(e))
        {
            // Out of time: on SQLite another writer may hold the database's write lock all along
            // (the very reason a cut-over timed out); the original error is what the user needs.
            return connection;
        }
    }

    /// <summary>
    /// Bad input the script met (a missing table, no usable key, a misused table API): refused
    /// before the work it asked for. Whether anything was written yet is for the journal to say.
    /// </summary>
    private static bool IsRefusal(Exception e) =>
        e is SwapException { Kind: SwapErrorKind.Refused or SwapErrorKind.InvalidMigration or SwapErrorKind.Usage } and not SwapAbortedException;

    /// <summary>
    /// A refusal before the script's first journaled step wrote nothing (a transaction, if any, was
    /// rolled back): its history row goes back to what it was before this run (none, or the earlier
    /// failure), so 'swap status' does not show a failure of work that never started. Returns false
    /// when the journal shows work that stays (then the failure is recorded as usual), or when that
    /// cannot be told.
    /// </summary>
    private async Task<bool> ForgetRefusedAsync(RunLock runLock, DbConnection connection, string scriptId, HistoryEntry? earlier)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            if (!await runLock.StillHeldAsync(cts.Token))
                return false;
            var journal = await new Journal.JournalStore(database, options.Tables).ReadAsync(connection, null, scriptId, cts.Token);
            if (journal.Count > 0)
                return false;
            await history.RestoreAsync(connection, scriptId, earlier, cts.Token);
            return true;
        }
        catch (Exception e) when (CannotRecord(e))
        {
            return false;
        }
    }

    /// <summary>An error of recording a failure, which must never replace the failure itself.</summary>
    private bool CannotRecord(Exception e) =>
        e is OperationCanceledException or SwapException or InvalidOperationException || database.IsDatabaseError(e);

    private static void RefuseChanged(IReadOnlyList<MigrationScript> scripts, Dictionary<string, HistoryEntry> recorded)
    {
        var changed = scripts
            .Where(s => recorded.TryGetValue(s.Id, out var h) && h.Status == HistoryStatus.Applied && h.Checksum != s.Checksum)
            .ToList();
        if (changed.Count == 0)
            return;
        throw new SwapException(
            SwapErrorKind.ValidationFailed,
            $"{changed.Count} applied script(s) changed since they were applied: {string.Join(", ", changed.Select(s => $"{s.Id} ({s.Source})"))}. " +
            "Applied scripts must not be edited: restore them and put the new change in a new script. If the edit is cosmetic, run again with --allow-changed.")
        { ScriptId = changed[0].Id };
    }
}
