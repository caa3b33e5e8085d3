namespace Swap;

/// <summary>An open revert window, as <c>status</c> shows it.</summary>
/// <param name="ScriptId">The script whose swap it can take back.</param>
/// <param name="Tables">The tables swapped together (they revert together).</param>
/// <param name="OpenedAtUtc">When the window opened (the swap's cut-over).</param>
/// <param name="ExpiresAtUtc">When it ends: the next <c>swap</c> command that takes the run lock after it closes the window.</param>
/// <param name="Age">How long it has been open.</param>
/// <param name="Backlog">Writes captured since the cut-over not yet applied to the old tables (the reverse change log), or null when the log is gone.</param>
/// <param name="Stage">open, or the stage an interrupted revert reached.</param>
/// <param name="Expired">True once <paramref name="ExpiresAtUtc"/> has passed.</param>
/// <param name="Command">The command that ends it.</param>
public sealed record RevertWindowReport(
    string ScriptId,
    IReadOnlyList<string> Tables,
    DateTime OpenedAtUtc,
    DateTime ExpiresAtUtc,
    TimeSpan Age,
    long? Backlog,
    string Stage,
    bool Expired,
    string Command);

/// <summary>The answer to <c>revert</c>: the script (now pending again) and the tables swapped back.</summary>
public sealed record RevertResult(string ScriptId, IReadOnlyList<string> Tables, TimeSpan Duration);

/// <summary>The answer to <c>finish</c>: the windows closed, by script, with their tables (old tables and reverse capture dropped).</summary>
public sealed record FinishResult(IReadOnlyList<(string ScriptId, IReadOnlyList<string> Tables, string Why)> Closed);
