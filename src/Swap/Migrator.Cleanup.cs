using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;
using Swap.History;
using Swap.Journal;
using Swap.Reports;
using Swap.Running;

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
public sealed record CleanupResult(IReadOnlyList<Leftover> Removed, IReadOnlyList<(Leftover Leftover, string Reason)> Kept, IReadOnlyList<string> DiscardedSteps, bool DryRun);

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
        var engine = database.TableEngine;
        var recorded = (await history.ReadAsync(connection, cancellationToken)).ToDictionary(h => h.ScriptId, StringComparer.Ordinal);
        var journal = await new JournalStore(database, options.Tables).ReadAllAsync(connection, cancellationToken);
        if (cleanup.Script is { } only && !recorded.ContainsKey(only) && journal.All(j => j.ScriptId.Split('@')[0] != only))
            throw new SwapException(SwapErrorKind.Usage, $"'{only}' has no history or journal here; 'swap status' lists the scripts.");

        // Tables each unfinished script is swapping, from its journaled "use table" steps.
        var tablesOf = journal
            .SelectMany(j => TablesIn(j).Select(t => (Script: j.ScriptId.Split('@')[0], Table: t)))
            .GroupBy(x => x.Script, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Table).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var unfinished = journal.Select(j => j.ScriptId.Split('@')[0]).Distinct(StringComparer.Ordinal)
            .Where(id => !recorded.TryGetValue(id, out var h) || h.Status != HistoryStatus.Applied)
            .ToHashSet(StringComparer.Ordinal);
        var abandon = cleanup.Script;

        string? Owner(Leftover leftover) => tablesOf
            .Where(kv => kv.Value.Any(t => NamesOf(t).Contains(leftover.Name, StringComparer.Ordinal)))
            .Select(kv => kv.Key)
            .FirstOrDefault();

        var removed = new List<Leftover>();
        var kept = new List<(Leftover, string)>();
        foreach (var leftover in await engine.FindLeftoversAsync(connection, cancellationToken))
        {
            var owner = Owner(leftover);
            var isOld = leftover.Name.EndsWith(SwapNames.Marker + "old", StringComparison.Ordinal) && leftover.Kind == "table";
            if (isOld && !cleanup.DropOldTables && (owner is null || !unfinished.Contains(owner)))
                kept.Add((leftover, "an old table kept for rollback; pass --drop-old to drop it"));
            else if (owner is not null && unfinished.Contains(owner) && owner != abandon)
                kept.Add((leftover, $"{owner} is still in progress and resumes with it; pass --script {owner} to abandon that swap"));
            else
                removed.Add(leftover);
        }

        var discard = journal
            .Where(j => (abandon is not null && j.ScriptId.Split('@')[0] == abandon) || !unfinished.Contains(j.ScriptId.Split('@')[0]))
            .ToList();
        var discardedSteps = discard.Where(j => j.ScriptId.Split('@')[0] == abandon)
            .Select(j => $"{j.ScriptId} step {j.Seq}: {StepData.Description(j.Data) ?? j.Op} ({j.State})")
            .ToList();
        if (!cleanup.DryRun)
        {
            foreach (var leftover in removed)
            {
                foreach (var sql in engine.Remove(leftover))
                    await connection.ExecuteAsync(sql, cancellationToken);
            }
            if (discard.Count > 0)
            {
                await using var tx = await database.BeginTransactionAsync(connection, cancellationToken);
                var store = new JournalStore(database, options.Tables);
                foreach (var key in discard.Select(j => j.ScriptId).Distinct(StringComparer.Ordinal))
                    await store.DeleteAsync(connection, tx, key, cancellationToken);
                await tx.CommitAsync(cancellationToken);
            }
        }
        return new CleanupResult(removed, kept, discardedSteps, cleanup.DryRun);

        static IEnumerable<string> TablesIn(Journal.JournalEntry j) => j.Op switch
        {
            "use-table" when StepData.Result(j.Data) is { } json => [SchemaJson.Read(json).Name],
            "swap" => SwapJournalData.Read(StepData.Result(j.Data)).Schemas.Keys,
            _ => [],
        };

        IEnumerable<string> NamesOf(string table)
        {
            var n = SwapNames.For(table, database.Dialect.MaxIdentifierLength);
            return [n.Copy, n.Old, n.Function, n.InsertTrigger, n.UpdateTrigger, n.DeleteTrigger];
        }
    }
}
