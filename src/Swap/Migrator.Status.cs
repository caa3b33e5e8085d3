using Swap.Discovery;
using Swap.History;
using Swap.Journal;
using Swap.Reports;

namespace Swap;

public sealed partial class Migrator
{
    /// <summary>
    /// Compares the migrations with the history: applied, pending, changed, failed, running or
    /// interrupted, missing; plus the lock holder and leftovers of interrupted runs. Writes nothing.
    /// </summary>
    public Task<StatusReport> StatusAsync(CancellationToken cancellationToken = default) => StatusAsync(null, cancellationToken);

    /// <summary>
    /// <see cref="StatusAsync(CancellationToken)"/> for the scripts that carry one of
    /// <paramref name="tags"/> (all scripts when none is given); a tag no script carries is a usage error.
    /// </summary>
    public async Task<StatusReport> StatusAsync(IReadOnlyList<string>? tags, CancellationToken cancellationToken = default)
    {
        if (tags is { Count: > 0 })
            CheckKnownTags(tags);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var recorded = await history.ReadAsync(connection, cancellationToken);
        var journal = await new JournalStore(database, options.Tables).ReadAllAsync(connection, cancellationToken);
        var holder = await database.PeekLockHolderAsync(connection, options.Tables.LockInfo, cancellationToken);
        var leftovers = await database.FindLeftoversAsync(connection, cancellationToken);
        var states = Compare(Catalog.Scripts, recorded, journal, holder is not null);
        var journalLeftovers = journal
            .GroupBy(j => j.ScriptId, StringComparer.Ordinal)
            .Where(g => !states.Any(s => s.Id == g.Key.Split('@')[0] && s.Status is ScriptStatus.Running or ScriptStatus.Failed))
            .Select(g => new Leftover("journal", g.Key, $"{g.Count()} journaled step(s) of a script that is no longer in progress"));
        var shown = tags is { Count: > 0 } ? states.Where(s => s.Script is not null && s.Script.HasAnyTag(tags)).ToList() : states;
        return new StatusReport(database.DisplayName, shown, holder, leftovers.Concat(journalLeftovers).ToList());
    }

    internal static List<ScriptState> Compare(IReadOnlyList<MigrationScript> scripts, IReadOnlyList<HistoryEntry> recorded, IReadOnlyList<JournalEntry> journal, bool lockHeld)
    {
        var byId = recorded.ToDictionary(h => h.ScriptId, StringComparer.Ordinal);
        var steps = journal.Where(j => j.IsDone).GroupBy(j => j.ScriptId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var states = new List<ScriptState>();
        foreach (var script in scripts)
        {
            byId.TryGetValue(script.Id, out var h);
            var done = steps.GetValueOrDefault(script.Id);
            var (status, note) = h switch
            {
                null => (ScriptStatus.Pending, (string?)null),
                { Status: HistoryStatus.Applied } when h.Checksum != script.Checksum =>
                    (ScriptStatus.Changed, $"changed since it was applied (recorded checksum {h.Checksum[..12]}, now {script.Checksum[..12]})"),
                { Status: HistoryStatus.Applied, DurationMs: null } => (ScriptStatus.Applied, "baselined: recorded as applied by 'swap baseline', never run here"),
                { Status: HistoryStatus.Applied } => (ScriptStatus.Applied, null),
                { Status: HistoryStatus.Failed } => (ScriptStatus.Failed, FailedNote(h, done)),
                _ => (ScriptStatus.Running, lockHeld
                    ? $"running now ({done} step(s) done)"
                    : $"interrupted after {done} journaled step(s); 'swap up' resumes it"),
            };
            states.Add(new ScriptState(script.Id, script.Module, script.Group, status, script, h, done) { Note = note });
        }
        var known = scripts.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var h in recorded.Where(h => !known.Contains(h.ScriptId)))
        {
            states.Add(new ScriptState(h.ScriptId, h.Module, h.Group, ScriptStatus.Missing, null, h, steps.GetValueOrDefault(h.ScriptId))
            {
                Note = $"recorded as {h.Status.ToString().ToLowerInvariant()}, but no migrations folder or assembly has it; 'swap sync' removes the record",
            });
        }
        return states;
    }

    private static string FailedNote(HistoryEntry h, int done)
    {
        var partial = done > 0 ? $" after {done} journaled step(s); 'swap up' resumes it" : "; 'swap up' retries it";
        return $"failed{partial}: {h.Error}";
    }
}
