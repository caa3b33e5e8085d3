
namespace Swap.Scenarios.Faults;

/// <summary>One <c>swap</c> process of a trial.</summary>
public sealed record RunRecord(string Arguments, int ExitCode, bool Killed, double Seconds, string Output);

/// <summary>What happened in one trial, and whether the table came out equal to the oracle.</summary>
public sealed class TrialResult
{
    public required TrialSpec Spec { get; init; }

    public DatabaseEngine Engine => Spec.Engine;

    /// <summary>Where the fault hit: the fault point, or the phase the journal showed at the kill.</summary>
    public string Where { get; set; } = "";

    /// <summary>False when the fault did not land (the run had already finished); the trial still checks the result.</summary>
    public bool Landed { get; set; } = true;

    /// <summary>"itself" (the faulted run finished), "next up", or "did not finish".</summary>
    public string FinishedBy { get; set; } = "did not finish";

    public List<RunRecord> Runs { get; } = [];

    public WriterStats? Writes { get; set; }

    /// <summary>Everything that was wrong; empty when the trial passed.</summary>
    public List<string> Problems { get; } = [];

    public bool Passed => Problems.Count == 0;

    public double Seconds { get; set; }

    public string ExitCodes => string.Join(" → ", Runs.Select(r => r.Killed ? "killed" : r.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A readable account for test output and failure messages.</summary>
    public string Describe()
    {
        var w = Writes;
        var lines = new List<string>
        {
            $"{Spec}: {(Passed ? "passed" : "FAILED")} in {Seconds:0.0}s; fault at {Where}{(Landed ? "" : " (did not land)")}; exits {ExitCodes}; finished by {FinishedBy}",
        };
        if (w is not null)
            lines.Add($"  writer: {w.Acknowledged} acknowledged ({string.Join(", ", w.ByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}), {w.Failed} failed cleanly, {w.AmbiguousApplied + w.AmbiguousNotApplied} ambiguous resolved ({w.AmbiguousApplied} applied), {w.Reconnects} reconnects, longest write {w.LongestWrite.TotalMilliseconds:0} ms{(w.ByTable.Count > 0 ? "; by table: " + string.Join(", ", w.ByTable.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key} {t.Value}")) : "")}");
        lines.AddRange(Problems.Select(p => "  problem: " + p));
        if (!Passed || Environment.GetEnvironmentVariable("SWAP_FAULT_VERBOSE") is { Length: > 0 })
        {
            foreach (var run in Runs)
                lines.Add($"  --- swap {run.Arguments} → {(run.Killed ? "killed" : "exit " + run.ExitCode)} ({run.Seconds:0.0}s)\n{Indent(run.Output)}");
        }
        return string.Join('\n', lines);
    }

    private static string Indent(string text) => string.Join('\n', text.Split('\n').TakeLast(40).Select(l => "      " + l));
}
