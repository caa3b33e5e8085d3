using Swap.Discovery;
using Swap.History;
using Swap.Journal;

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
        var states = Compare(Catalog.Scripts, recorded, journal, holder is not null);
        // A run holding the lock owns whatever it has in progress; otherwise list what 'cleanup'
        // would remove (or drop with --drop-old), and nothing an interrupted script resumes with.
        IReadOnlyList<Leftover> leftovers = [];
        if (holder is null)
        {
            var sorted = await ClassifyLeftoversAsync(connection, recorded, journal, abandon: null, dropOld: false, cancellationToken);
            leftovers = sorted.Removed.Concat(sorted.OldTables).ToList();
        }
        if (recorded.Count == 0 && await FlywayHistory.ReadAsync(database, connection, FlywayHistory.TableName, cancellationToken) is { HasAnything: true } flyway)
            states = states.Select(s => FlywayNote(s, flyway)).ToList();
        var methods = Instant.ChangeMethodRecords.FromJournal(journal);
        states = states.Select(s => methods.TryGetValue(s.Id, out var m) ? s with { Methods = m } : s).ToList();
        var shown = tags is { Count: > 0 } ? states.Where(s => s.Script is not null && s.Script.HasAnyTag(tags)).ToList() : states;
        return new StatusReport(database.DisplayName, shown, holder, leftovers) { RevertWindows = await ReadWindowsAsync(connection, cancellationToken) };
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
            var resumesAt = ResumePointOf(script.Id, journal);
            var downAt = h is { Status: HistoryStatus.Applied } ? DownPointOf(script.Id, journal) : null;
            var (status, note) = h switch
            {
                null when script.Sql is { HasUpStatements: false } => (ScriptStatus.Pending, (string?)"no statements in its up section yet: write them before 'swap up' runs it"),
                null => (ScriptStatus.Pending, (string?)null),
                { Status: HistoryStatus.Applied } when downAt is not null =>
                    (ScriptStatus.Applied, $"a 'swap down' of it stopped part-way, at {downAt.Value.At}; 'swap down' resumes it ({downAt.Value.Done} journaled step(s) done), or 'swap cleanup --script {script.Id}' abandons it"),
                { Status: HistoryStatus.Applied } when h.Checksum != script.Checksum =>
                    (ScriptStatus.Changed, $"changed since it was applied (recorded checksum {h.Checksum[..12]}, now {script.Checksum[..12]})"),
                { Status: HistoryStatus.Applied, DurationMs: null } => (ScriptStatus.Applied, "baselined: recorded as applied by 'swap baseline', never run here"),
                { Status: HistoryStatus.Applied } => (ScriptStatus.Applied, null),
                // Ctrl+C is recorded as a failure 'cancelled' where the history row could still be
                // written, and leaves the row 'running' where it could not: both are an interruption.
                { Status: HistoryStatus.Failed } when h.Error == CancelledError => (ScriptStatus.Interrupted, InterruptedNote(done, resumesAt)),
                { Status: HistoryStatus.Failed } => (ScriptStatus.Failed, FailedNote(h, done)),
                _ when lockHeld => (ScriptStatus.Running, $"running now ({done} step(s) done)"),
                _ => (ScriptStatus.Interrupted, InterruptedNote(done, resumesAt)),
            };
            states.Add(new ScriptState(script.Id, script.Module, script.Group, status, script, h, done)
            {
                Note = note,
                ResumesAt = status is ScriptStatus.Interrupted or ScriptStatus.Failed ? resumesAt : downAt?.Point,
            });
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

    /// <summary>A pending script whose version Flyway's history has: say so, and what adopts it.</summary>
    private static ScriptState FlywayNote(ScriptState state, FlywayHistory flyway)
    {
        if (state is not { Status: ScriptStatus.Pending, Script.Version: { } version })
            return state;
        if (flyway.Failed.Count > 0)
            return state with { Note = $"{FlywayHistory.TableName} has failed row(s) for {string.Join(", ", flyway.Failed)}: the database is half-migrated, and 'swap up' refuses until that is repaired" };
        var applied = flyway.Applied.Any(a => a.Version.Equals(version)) || (flyway.Baseline is { } b && version.CompareTo(b) <= 0);
        return applied
            ? state with { Note = $"applied by Flyway ({FlywayHistory.TableName}), not in Swap's history: 'swap baseline --from-flyway' records it; 'swap up' refuses until then" }
            : state;
    }

    /// <summary>The history's error text for a run cancelled inside a script.</summary>
    internal const string CancelledError = "cancelled";

    // With no step done (a script in one transaction, or one whose journal 'swap cleanup --script' removed), up starts it over: say so.
    private static string InterruptedNote(int done, ResumePoint? at) =>
        at is not null ? $"interrupted; 'swap up' resumes it at {at}"
        : done == 0 ? "interrupted; nothing of it is left done, and 'swap up' runs it again from the start"
        : $"interrupted; 'swap up' resumes it after {done} journaled step(s)";

    /// <summary>Where a down of an applied script stopped (its journal rows outlive it only while it is unfinished), or null.</summary>
    private static (string At, int Done, ResumePoint? Point)? DownPointOf(string scriptId, IReadOnlyList<JournalEntry> journal)
    {
        var key = Running.ScriptRunner.JournalKey(scriptId, Running.Direction.Down);
        var rows = journal.Where(j => j.ScriptId == key).ToList();
        if (rows.Count == 0)
            return null;
        var point = ResumePointOf(key, journal);
        var done = rows.Count(r => r.IsDone);
        return (point?.ToString() ?? $"step {rows.Max(r => r.Seq)}", done, point);
    }

    /// <summary>The table swap a script stopped inside, from its journal: the unfinished swap step with its last recorded phase and rows copied.</summary>
    private static ResumePoint? ResumePointOf(string scriptId, IReadOnlyList<JournalEntry> journal)
    {
        var entry = journal.LastOrDefault(j => j.ScriptId == scriptId && j.Op is "swap" or "instant" && !j.IsDone);
        if (entry is null)
            return null;
        if (entry.Op == "instant")
        {
            var schemas = StepData.Result(entry.Data) is { } json ? System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(json) : null;
            return new ResumePoint(entry.Seq, schemas?.Keys.ToList() ?? [], entry.State, 0) { Method = StepData.Description(entry.Data) };
        }
        var data = Engine.SwapJournalData.Read(StepData.Result(entry.Data));
        var tables = data.Schemas.Keys.Concat(data.Tables.Keys).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new ResumePoint(entry.Seq, tables, entry.State, data.Tables.Values.Sum(t => t.Copied));
    }

    private static string FailedNote(HistoryEntry h, int done)
    {
        var partial = done > 0 ? $" after {done} journaled step(s); 'swap up' resumes it" : "; 'swap up' retries it";
        return $"failed{partial}: {h.Error}";
    }
}
