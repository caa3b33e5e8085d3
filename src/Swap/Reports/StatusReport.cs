using Swap.Discovery;
using Swap.History;
using Swap.Locking;

namespace Swap;
/// <summary>One script's line in <c>status</c>.</summary>
public sealed record ScriptState(
    string Id,
    string Module,
    string? Group,
    ScriptStatus Status,
    MigrationScript? Script,
    HistoryEntry? History,
    int JournaledSteps)
{
    /// <summary>Why the status is what it is, in words (for failed, changed, missing, interrupted scripts).</summary>
    public string? Note { get; init; }

    /// <summary>For a script that stopped inside a table swap: where the next <c>up</c> resumes it.</summary>
    public ResumePoint? ResumesAt { get; init; }

    /// <summary>
    /// How the script's table changes were made, one entry per change in order, with the reason:
    /// "items: instant: ...", "items: in place: ...", "copy-and-swap of items: ...". Empty for scripts
    /// that changed no table this way (or ran before Swap recorded it).
    /// </summary>
    public IReadOnlyList<string> Methods { get; init; } = [];
}

/// <summary>Where an interrupted table swap resumes: the step, its tables, the last phase it recorded and the rows it had copied.</summary>
public sealed record ResumePoint(int Step, IReadOnlyList<string> Tables, string Phase, long RowsCopied)
{
    /// <summary>For a script that stopped inside an instant or in-place change (no copy): the tables and their methods, "items in place"; null inside a swap.</summary>
    public string? Method { get; init; }

    /// <summary>For output: "step 2 (swap of items) after phase capture-installed, 12,000 rows copied", or "step 1 (instant/in-place change: items in place)".</summary>
    public override string ToString() => Method is { } method
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"step {Step} (instant/in-place change: {method})")
        : string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"step {Step} (swap of {string.Join(", ", Tables)}) after phase {Phase}, {RowsCopied:N0} rows copied");
}

/// <summary>Something an interrupted run left in the database, with the command that removes it.</summary>
/// <param name="Kind">table, trigger, function or journal.</param>
/// <param name="Name">The object's name.</param>
/// <param name="Detail">What it belongs to.</param>
public sealed record Leftover(string Kind, string Name, string Detail);

/// <summary>The answer to <c>status</c>.</summary>
public sealed record StatusReport(
    string Target,
    IReadOnlyList<ScriptState> Scripts,
    LockHolder? Lock,
    IReadOnlyList<Leftover> Leftovers)
{
    /// <summary>Open revert windows (and interrupted reverts), each with its age, backlog and the command that ends it.</summary>
    public IReadOnlyList<RevertWindowReport> RevertWindows { get; init; } = [];

    /// <summary>The script the next <c>up</c> starts with, or null when nothing is pending.</summary>
    public ScriptState? Next => Scripts.FirstOrDefault(s => s.Status is ScriptStatus.Pending or ScriptStatus.Failed or ScriptStatus.Running or ScriptStatus.Interrupted);

    /// <summary>How many scripts have <paramref name="status"/>.</summary>
    public int Count(ScriptStatus status) => Scripts.Count(s => s.Status == status);
}
