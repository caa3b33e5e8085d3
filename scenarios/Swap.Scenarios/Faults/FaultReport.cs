using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Swap.Scenarios.Faults;

/// <summary>The summary of a harness run: JSON for machines, a Markdown matrix for docs/reliability.md.</summary>
public static class FaultReport
{
    public static void Write(string folder, IReadOnlyList<TrialResult> results, string command, TimeSpan elapsed)
    {
        Directory.CreateDirectory(folder);
        var json = results.Select(r => new
        {
            engine = r.Engine.ToString(),
            fault = r.Spec.Fault.ToString(),
            point = r.Spec.Point,
            table = r.Spec.Table,
            seed = r.Spec.Seed,
            rows = r.Spec.Rows,
            where = r.Where,
            landed = r.Landed,
            exits = r.Exits(),
            finishedBy = r.FinishedBy,
            passed = r.Passed,
            seconds = Math.Round(r.Seconds, 1),
            writes = r.Writes is { } w ? new { acknowledged = w.Acknowledged, failed = w.Failed, ambiguousApplied = w.AmbiguousApplied, ambiguousNotApplied = w.AmbiguousNotApplied, reconnects = w.Reconnects, longestWriteMs = (long)w.LongestWrite.TotalMilliseconds, byKind = w.ByKind } : null,
            problems = r.Problems,
        });
        File.WriteAllText(Path.Combine(folder, "faults.json"), JsonSerializer.Serialize(new { command, seconds = (long)elapsed.TotalSeconds, trials = json }, new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText(Path.Combine(folder, "faults.md"), Markdown(results, command, elapsed));
    }

    private static IEnumerable<string> Exits(this TrialResult r) => r.Runs.Select(x => x.Killed ? "killed" : x.ExitCode.ToString(CultureInfo.InvariantCulture));

    public static string Markdown(IReadOnlyList<TrialResult> results, string command, TimeSpan elapsed)
    {
        var engines = new[] { DatabaseEngine.MySql, DatabaseEngine.PostgreSql, DatabaseEngine.Sqlite }.Where(e => results.Any(r => r.Engine == e)).ToList();
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"Fault harness: `{command}`, {results.Count} trials in {elapsed.TotalMinutes:0.0} min, {results.Count(r => r.Passed)} passed, {results.Count(r => !r.Passed)} failed.");
        s.AppendLine();
        s.AppendLine("Each cell: trials passed / trials run; exits of the faulted run and the resumes in brackets.");
        s.AppendLine();
        s.AppendLine("| fault | where | " + string.Join(" | ", engines.Select(Name)) + " |");
        s.AppendLine("|---|---|" + string.Concat(engines.Select(_ => "---|")));
        foreach (var group in results.GroupBy(Row).OrderBy(g => g.Min(r => (int)r.Spec.Fault)).ThenBy(g => g.Key.Where, StringComparer.Ordinal))
        {
            var cells = engines.Select(e =>
            {
                var rs = group.Where(r => r.Engine == e).ToList();
                if (rs.Count == 0)
                    return "n/a";
                var exits = string.Join(", ", rs.Select(r => string.Join("→", r.Exits())).Distinct());
                return $"{rs.Count(r => r.Passed)}/{rs.Count} ({exits})";
            });
            s.AppendLine($"| {Describe(group.Key.Fault)} | {group.Key.Where} | {string.Join(" | ", cells)} |");
        }
        var random = results.Where(r => r.Spec.Fault == FaultKind.KillAtRandom).ToList();
        if (random.Count > 0)
        {
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"Random kills that landed (the process was killed before it finished): {string.Join(", ", engines.Select(e => $"{Name(e)} {random.Count(r => r.Engine == e && r.Landed)} of {random.Count(r => r.Engine == e)}"))}. By the phase they hit (from the journal after the kill; SQLite from the last progress line):");
            s.AppendLine();
            s.AppendLine("| phase hit | " + string.Join(" | ", engines.Select(Name)) + " |");
            s.AppendLine("|---|" + string.Concat(engines.Select(_ => "---|")));
            foreach (var phase in random.Select(Phase).Distinct().Order(StringComparer.Ordinal))
                s.AppendLine($"| {phase} | {string.Join(" | ", engines.Select(e => random.Count(r => r.Engine == e && Phase(r) == phase).ToString(CultureInfo.InvariantCulture)))} |");
        }
        var failed = results.Where(r => !r.Passed).ToList();
        if (failed.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("Failures:");
            s.AppendLine();
            s.AppendLine("```");
            foreach (var r in failed)
                s.AppendLine(r.Describe());
            s.AppendLine("```");
        }
        var writes = results.Where(r => r.Writes is not null).ToList();
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Writer: {writes.Sum(r => r.Writes!.Acknowledged)} acknowledged writes checked, {writes.Sum(r => r.Writes!.AmbiguousApplied + r.Writes!.AmbiguousNotApplied)} ambiguous (connection lost mid-write) resolved by re-reading, longest single write {writes.Select(r => r.Writes!.LongestWrite.TotalMilliseconds).DefaultIfEmpty(0).Max():0} ms.");
        return s.ToString();
    }

    private static (FaultKind Fault, string Where) Row(TrialResult r)
    {
        var (fault, where) = PlainRow(r);
        return r.Spec.Shape == TableShape.Plain ? (fault, where) : (fault, $"{where}, {Describe(r.Spec.Shape)}");
    }

    private static string Describe(TableShape shape) => shape switch
    {
        TableShape.ForeignKeys => "a child's foreign key on the table",
        TableShape.Partitioned => "converted to a partitioned table",
        TableShape.PartitionedSwap => "a partitioned table swapped",
        TableShape.CompositeKey => "composite key (grp, id), rows moved between groups",
        TableShape.UniqueKey => "no primary key, keyed by a unique index on id",
        TableShape.TwoTables => "two tables in one swap",
        _ => shape.ToString(),
    };

    private static (FaultKind Fault, string Where) PlainRow(TrialResult r) => r.Spec.Fault switch
    {
        FaultKind.KillAtPoint => (r.Spec.Fault, "`" + r.Spec.Point + "`"),
        FaultKind.KillAtRandom => (r.Spec.Fault, "seeded random moments"),
        FaultKind.KillTwiceAtRandom => (r.Spec.Fault, "seeded random moments, twice"),
        FaultKind.KillSessionMidChunk or FaultKind.KillAllSessionsMidChunk => (r.Spec.Fault, "inside a chunk"),
        FaultKind.KillSessionMidCutOver => (r.Spec.Fault, "cut-over waiting for its lock"),
        FaultKind.KillLockSessionMidCopy => (r.Spec.Fault, "inside a chunk"),
        FaultKind.RestartMidCopy or FaultKind.CrashMidCopy => (r.Spec.Fault, "inside a chunk"),
        FaultKind.RowLockDuringCopy => (r.Spec.Fault, "a chunk waits 2-4 s for a row"),
        FaultKind.LockAtCutOverReleased or FaultKind.LockAtCutOverHeld or FaultKind.ReaderAtCutOver or FaultKind.CopyHeldAtRename => (r.Spec.Fault, "cut-over"),
        FaultKind.LockAtStart => (r.Spec.Fault, "start"),
        _ => (r.Spec.Fault, "-"),
    };

    private static string Phase(TrialResult r) => r.Where.Split(" (aimed", StringSplitOptions.None)[0];

    private static string Name(DatabaseEngine e) => e switch
    {
        DatabaseEngine.MySql => "MariaDB 10.11",
        DatabaseEngine.PostgreSql => "PostgreSQL 15",
        _ => "SQLite",
    };

    private static string Describe(FaultKind fault) => fault switch
    {
        FaultKind.None => "none (baseline under the writer)",
        FaultKind.KillAtPoint => "SIGKILL at a fault point",
        FaultKind.KillAtRandom => "kill -9 from outside",
        FaultKind.KillTwiceAtRandom => "kill -9, then kill -9 of the resuming run",
        FaultKind.KillSessionMidChunk => "server kills Swap's chunk connection",
        FaultKind.KillAllSessionsMidChunk => "server kills all Swap connections (run lock too)",
        FaultKind.KillSessionMidCutOver => "server kills Swap's cut-over connection",
        FaultKind.KillLockSessionMidCopy => "server kills only the run lock's connection; a second runner starts",
        FaultKind.RowLockDuringCopy => "application transaction holds a row the copy needs",
        FaultKind.RestartMidCopy => "server restart (clean)",
        FaultKind.CrashMidCopy => "server crash (SIGKILL / immediate)",
        FaultKind.LockAtCutOverReleased => "long transaction at cut-over, ends during retries",
        FaultKind.LockAtCutOverHeld => "long transaction at cut-over, held throughout",
        FaultKind.ReaderAtCutOver => "long read transaction at cut-over (SQLite), ends during retries",
        FaultKind.CopyHeldAtRename => "copy held by another session when the RENAME is issued (MariaDB)",
        FaultKind.LockAtStart => "long write transaction when the swap starts (SQLite)",
        _ => fault.ToString(),
    };
}
