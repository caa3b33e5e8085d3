using System.Data.Common;
using Swap.Dialects;
using Swap.Engine.Revert;
using Swap.History;
using Swap.Instant;

namespace Swap.Journal;

/// <summary>
/// The journal's part of <c>cleanup</c> and of an aborted swap: which rows are scripts' progress,
/// which scripts are still in progress, which rows are forgotten, and forgetting them. A journal
/// key is a script's id, or the id and a suffix after '@' (<c>@down</c>, <c>@window</c>, <c>@methods</c>).
/// </summary>
internal sealed class JournalCleanup(SwapDatabase database, RunnerTables tables)
{
    private readonly JournalStore store = new(database, tables);

    /// <summary>The script a journal key belongs to.</summary>
    public static string ScriptOf(string key) => key.Split('@')[0];

    /// <summary>The rows that are scripts' progress: revert windows and the methods applied scripts used outlive their scripts, and are not.</summary>
    public static List<JournalEntry> Progress(IEnumerable<JournalEntry> journal) =>
        journal.Where(j => !RevertWindow.IsKey(j.ScriptId) && !ChangeMethodRecords.IsKey(j.ScriptId)).ToList();

    /// <summary>The journal key suffix of a script's down run (<c>Id@down</c>).</summary>
    public const string DownSuffix = "@down";

    /// <summary>True for the key of a down run: its rows go with the history row when the down ends, so any left are a down in progress.</summary>
    public static bool IsDown(string key) => key.EndsWith(DownSuffix, StringComparison.Ordinal);

    /// <summary>
    /// The scripts with progress in the journal that the history does not record as applied, and
    /// the applied scripts whose down stopped part-way (a later <c>swap down</c> resumes it).
    /// </summary>
    public static HashSet<string> Unfinished(IEnumerable<JournalEntry> progress, IReadOnlyDictionary<string, HistoryEntry> recorded) =>
        progress.Where(j => IsDown(j.ScriptId) || !recorded.TryGetValue(ScriptOf(j.ScriptId), out var h) || h.Status != HistoryStatus.Applied)
            .Select(j => ScriptOf(j.ScriptId))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The rows <c>cleanup</c> forgets: those of scripts no longer in progress, and all of <paramref name="abandon"/>'s.</summary>
    public static IEnumerable<JournalEntry> Forgotten(IEnumerable<JournalEntry> progress, IReadOnlySet<string> unfinished, string? abandon) =>
        progress.Where(j => (abandon is not null && ScriptOf(j.ScriptId) == abandon) || !unfinished.Contains(ScriptOf(j.ScriptId)));

    /// <summary>The forgotten rows of scripts no longer in progress, one leftover per key, as <c>status</c> and <c>cleanup</c> list them.</summary>
    public static IEnumerable<Leftover> Leftovers(IEnumerable<JournalEntry> forgotten, IReadOnlySet<string> unfinished) =>
        forgotten.Where(j => !unfinished.Contains(ScriptOf(j.ScriptId)))
            .GroupBy(j => j.ScriptId, StringComparer.Ordinal)
            .Select(g => new Leftover("journal", g.Key, $"{g.Count()} journaled step(s) of a script that is no longer in progress"));

    /// <summary>The steps of <paramref name="abandon"/> among the forgotten rows, as <c>cleanup</c> reports them (a later <c>up</c> runs them again).</summary>
    public static List<string> DiscardedSteps(IEnumerable<JournalEntry> forgotten, string? abandon) =>
        forgotten.Where(j => ScriptOf(j.ScriptId) == abandon)
            .Select(j => $"{j.ScriptId} step {j.Seq}: {StepData.Description(j.Data) ?? j.Op} ({j.State})")
            .ToList();

    /// <summary>Deletes every key of the forgotten rows, in one transaction of its own.</summary>
    public async Task ForgetAsync(DbConnection connection, IReadOnlyCollection<JournalEntry> forgotten, CancellationToken cancellationToken)
    {
        if (forgotten.Count == 0)
            return;
        await using var tx = await database.BeginTransactionAsync(connection, cancellationToken);
        await DeleteAsync(connection, tx, forgotten.Select(j => j.ScriptId).Distinct(StringComparer.Ordinal), cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>Every journal key of a script (its up and down runs, windows and methods).</summary>
    public async Task<List<string>> KeysOfAsync(DbConnection connection, string scriptId, CancellationToken cancellationToken) =>
        (await store.ReadAllAsync(connection, cancellationToken)).Select(j => j.ScriptId).Where(id => ScriptOf(id) == scriptId).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Deletes the rows of these keys, in the given transaction.</summary>
    public async Task DeleteAsync(DbConnection connection, DbTransaction transaction, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
            await store.DeleteAsync(connection, transaction, key, cancellationToken);
    }
}
