using Swap.Discovery;
using Swap.History;
using Swap.Locking;

namespace Swap.Reports;

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
    /// <summary>The script the next <c>up</c> starts with, or null when nothing is pending.</summary>
    public ScriptState? Next => Scripts.FirstOrDefault(s => s.Status is ScriptStatus.Pending or ScriptStatus.Failed or ScriptStatus.Running);

    public int Count(ScriptStatus status) => Scripts.Count(s => s.Status == status);
}
