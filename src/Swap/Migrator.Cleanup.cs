using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;
using Swap.Journal;
using Swap.Locking;

namespace Swap;

/// <summary>What <c>cleanup</c> removes.</summary>
public sealed record CleanupOptions
{
    /// <summary>Abandon this script's interrupted swap: drop its copies and capture, and forget its journal.</summary>
    public string? Script { get; init; }

    /// <summary>Also drop old tables kept by <c>--keep-old</c>.</summary>
    public bool DropOldTables { get; init; }

    /// <summary>Only report what would be removed.</summary>
    public bool DryRun { get; init; }
}

/// <summary>The answer to <c>cleanup</c>.</summary>
/// <param name="Removed">What was (or, in a dry run, would be) removed.</param>
/// <param name="Kept">Leftovers left alone, with the reason.</param>
/// <param name="DiscardedSteps">Journaled steps forgotten; a later <c>up</c> runs them again.</param>
public sealed record CleanupResult(IReadOnlyList<Leftover> Removed, IReadOnlyList<(Leftover Leftover, string Reason)> Kept, IReadOnlyList<string> DiscardedSteps, bool DryRun)
{
    /// <summary>Revert windows whose time was up, closed (in a dry run: that would be closed) first: the change kept, their old tables and reverse capture dropped.</summary>
    public IReadOnlyList<(string ScriptId, IReadOnlyList<string> Tables, string Why)> ClosedWindows { get; init; } = [];
}

public sealed partial class Migrator
{
    /// <summary>
    /// Removes what interrupted swaps left behind: copies and capture triggers of swaps no script is
    /// resuming (with <see cref="CleanupOptions.Script"/>, that script's too, and its journal), and
    /// journals of applied scripts. Never touches a live table.
    /// </summary>
    public async Task<CleanupResult> CleanupAsync(CleanupOptions? cleanup = null, CancellationToken cancellationToken = default)
    {
        cleanup ??= new CleanupOptions();
        await using var runLock = await LockAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        var newToSwap = await NewToSwapAsync(connection, cancellationToken);
        try
        {
            var engine = database.TableEngine;
            var closed = await CloseExpiredWindowsAsync(new Running.RunContext(database, options.Tables, options, options.TimeProvider, logger, cancellationToken), connection, cleanup.DryRun);
            var recordedRows = await history.ReadAsync(connection, cancellationToken);
            var journal = await new JournalStore(database, options.Tables).ReadAllAsync(connection, cancellationToken);
            if (cleanup.Script is { } only && recordedRows.All(h => h.ScriptId != only) && journal.All(j => JournalCleanup.ScriptOf(j.ScriptId) != only))
                throw new SwapException(SwapErrorKind.Usage, $"'{only}' has no history or journal here; 'swap status' lists the scripts.");
            var abandon = cleanup.Script;
            var sorted = await ClassifyLeftoversAsync(connection, recordedRows, journal, abandon, cleanup.DropOldTables, cancellationToken, closed.Select(c => c.ScriptId).ToHashSet(StringComparer.Ordinal));
            var removed = sorted.Removed;
            var kept = sorted.OldTables.Select(o => (o, "an old table kept for rollback; pass --drop-old to drop it")).Concat(sorted.Owned).ToList();
            var discard = sorted.Journals;
            var discardedSteps = JournalCleanup.DiscardedSteps(discard, abandon);
            if (!cleanup.DryRun)
            {
                foreach (var leftover in TableEngine.InRemovalOrder(removed.Where(l => l.Kind != "journal")))
                {
                    foreach (var sql in engine.Remove(leftover))
                        await connection.ExecuteAsync(sql, cancellationToken);
                }
                await new JournalCleanup(database, options.Tables).ForgetAsync(connection, discard, cancellationToken);
            }
            return new CleanupResult(removed, kept, discardedSteps, cleanup.DryRun) { ClosedWindows = closed };
        }
        finally
        {
            if (newToSwap)
                await DropUnusedTablesAsync(runLock, quiet: true);
        }
    }

    /// <summary>What <c>cleanup</c> does with each leftover; <c>status</c> lists the same <see cref="Removed"/> and <see cref="OldTables"/>.</summary>
    /// <param name="Removed">Leftovers no unfinished script resumes with (and journals of scripts no longer in progress), removed by <c>cleanup</c>.</param>
    /// <param name="OldTables">Old tables kept by <c>--keep-old</c>, dropped only with <c>--drop-old</c>.</param>
    /// <param name="Owned">Leftovers an unfinished script resumes with, kept.</param>
    /// <param name="Journals">Journal rows <c>cleanup</c> forgets.</param>
    private sealed record LeftoverSort(List<Leftover> Removed, List<Leftover> OldTables, List<(Leftover, string)> Owned, List<JournalEntry> Journals);

    /// <param name="closing">Scripts whose expired windows a dry run would close: their leftovers go with the window, listed neither as kept nor as removed.</param>
    private async Task<LeftoverSort> ClassifyLeftoversAsync(System.Data.Common.DbConnection connection, IReadOnlyList<HistoryEntry> history, IReadOnlyList<JournalEntry> journal, string? abandon, bool dropOld, CancellationToken cancellationToken, IReadOnlySet<string>? closing = null)
    {
        // Revert windows live in the journal but are no script's progress: their old tables and
        // reverse capture stay until 'swap finish' or 'swap revert' (or the window's end).
        var windows = Engine.Revert.RevertWindowStore.FromJournal(journal);
        // The methods applied scripts used stay for status, like windows.
        journal = JournalCleanup.Progress(journal);
        string? WindowOf(Leftover leftover) => windows
            .Where(w => w.TableNames.Any(t => WindowNames(t).Contains(leftover.Name, StringComparer.Ordinal)))
            .Select(w => w.ScriptId)
            .FirstOrDefault();
        var recorded = history.ToDictionary(h => h.ScriptId, StringComparer.Ordinal);
        // Tables each unfinished script is swapping, from its journaled "use table" steps.
        var tablesOf = journal
            .SelectMany(j => TablesIn(j).Select(t => (Script: JournalCleanup.ScriptOf(j.ScriptId), Table: t)))
            .GroupBy(x => x.Script, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Table).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var unfinished = JournalCleanup.Unfinished(journal, recorded);
        var downs = journal.Where(j => JournalCleanup.IsDown(j.ScriptId)).Select(j => JournalCleanup.ScriptOf(j.ScriptId)).ToHashSet(StringComparer.Ordinal);

        string? Owner(Leftover leftover) => tablesOf
            .Where(kv => kv.Value.Any(t => NamesOf(t).Contains(leftover.Name, StringComparer.Ordinal)))
            .Select(kv => kv.Key)
            .FirstOrDefault();

        var sort = new LeftoverSort([], [], [], []);
        foreach (var leftover in await database.TableEngine.FindLeftoversAsync(connection, cancellationToken))
        {
            if (WindowOf(leftover) is { } windowScript)
            {
                if (closing?.Contains(windowScript) == true)
                    continue;
                sort.Owned.Add((leftover, $"kept by the open revert window of {windowScript}; 'swap finish {windowScript}' or 'swap revert {windowScript}' ends it"));
                continue;
            }
            var owner = Owner(leftover);
            var isOld = leftover.Name.EndsWith(SwapNames.Marker + "old", StringComparison.Ordinal) && leftover.Kind == "table";
            if (isOld && !dropOld && (owner is null || !unfinished.Contains(owner)))
                sort.OldTables.Add(leftover with { Detail = leftover.Detail + "; 'swap cleanup --drop-old' drops it" });
            else if (owner is not null && unfinished.Contains(owner) && owner != abandon)
                sort.Owned.Add((leftover, downs.Contains(owner)
                    ? $"a 'swap down' of {owner} stopped part-way and 'swap down' resumes it with this; pass --script {owner} to abandon that down"
                    : $"{owner} is still in progress and resumes with it; pass --script {owner} to abandon that swap"));
            else
                sort.Removed.Add(leftover);
        }
        sort.Journals.AddRange(JournalCleanup.Forgotten(journal, unfinished, abandon));
        sort.Removed.AddRange(JournalCleanup.Leftovers(sort.Journals, unfinished));
        return sort;

        static IEnumerable<string> TablesIn(JournalEntry j) => j.Op switch
        {
            "use-table" when StepData.Result(j.Data) is { } json => [SchemaJson.Read(json).Name],
            "swap" => SwapJournalData.Read(StepData.Result(j.Data)).Schemas.Keys,
            _ => [],
        };

        IEnumerable<string> WindowNames(string table)
        {
            var n = SwapNames.Reverse(table, database.Dialect.MaxIdentifierLength);
            return [n.Copy, n.Function, n.InsertTrigger, n.UpdateTrigger, n.DeleteTrigger, n.Log];
        }

        IEnumerable<string> NamesOf(string table)
        {
            var n = SwapNames.For(table, database.Dialect.MaxIdentifierLength);
            return [n.Copy, n.Old, n.Function, n.InsertTrigger, n.UpdateTrigger, n.DeleteTrigger, n.Log];
        }
    }
}

public sealed partial class Migrator
{
    /// <summary>
    /// After <c>swap abort</c> reached a swap: remove its copies, capture and change logs, forget
    /// the script's journal and history row, so the original is as it was and the script is pending.
    /// Never throws over the abort (a failure leaves what 'swap cleanup --script' removes).
    /// </summary>
    /// <param name="down">An abort of the script's down: only the down's journal goes, and the script stays applied.</param>
    private async Task<System.Data.Common.DbConnection> AbandonAbortedSwapAsync(RunLock runLock, System.Data.Common.DbConnection connection, string scriptId, IReadOnlyList<string> tables, bool down = false)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            if (!await runLock.StillHeldAsync(cts.Token))
                return connection;
            var engine = database.TableEngine;
            var names = tables.Select(t => SwapNames.For(t, database.Dialect.MaxIdentifierLength))
                .SelectMany(n => new[] { n.Copy, n.Function, n.InsertTrigger, n.UpdateTrigger, n.DeleteTrigger, n.Log })
                .ToHashSet(StringComparer.Ordinal);
            foreach (var leftover in TableEngine.InRemovalOrder(await engine.FindLeftoversAsync(connection, cts.Token)))
            {
                if (!names.Contains(leftover.Name))
                    continue;
                foreach (var sql in engine.Remove(leftover))
                    await connection.ExecuteAsync(sql, cts.Token);
            }
            var journal = new JournalCleanup(database, options.Tables);
            var keys = await journal.KeysOfAsync(connection, scriptId, cts.Token);
            if (down)
                keys = keys.Where(k => k == Running.ScriptRunner.JournalKey(scriptId, Running.Direction.Down)).ToList();
            await using var tx = await database.BeginTransactionAsync(connection, cts.Token);
            await journal.DeleteAsync(connection, tx, keys, cts.Token);
            if (!down)
                await history.DeleteAsync(connection, tx, scriptId, cts.Token);
            await tx.CommitAsync(cts.Token);
        }
        catch (Exception e) when (database.IsDatabaseError(e) || e is OperationCanceledException or SwapException)
        {
            Log.ScriptFailed(logger, scriptId, "the aborted swap could not be removed completely (" + e.Message + "); 'swap cleanup --script " + scriptId + "' removes the rest");
        }
        return connection;
    }
}
