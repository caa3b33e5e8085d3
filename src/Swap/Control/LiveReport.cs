namespace Swap;

/// <summary>The answer to <c>swap status --live</c>.</summary>
/// <param name="Target">The database, without its password.</param>
/// <param name="Swaps">The live rows; each was written by its runner about once a second while it ran.</param>
/// <param name="LockHolder">Who holds the run lock; null when no run does, and then every live row is the last word of a run that stopped (killed).</param>
/// <param name="RecentCommands">The newest commands, newest first.</param>
public sealed record LiveReport(string Target, IReadOnlyList<LiveSwapStatus> Swaps, string? LockHolder, IReadOnlyList<ControlRecord> RecentCommands)
{
    /// <summary>The swaps that run now (a run holds the lock).</summary>
    public IReadOnlyList<LiveSwapStatus> Running => LockHolder is null ? [] : Swaps;

    /// <summary>
    /// The newest pause when no resume came after it (an operator's, or one <c>--critical-load</c> made):
    /// a swap that starts now starts paused. Null when no pause is in force.
    /// </summary>
    public ControlRecord? PauseInForce { get; init; }
}
