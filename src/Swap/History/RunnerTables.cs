using Swap.History;
namespace Swap;

/// <summary>Names of the tables Swap keeps in the target database.</summary>
/// <param name="History">One row per script: status, checksum, batch, times, errors.</param>
/// <param name="Journal">Completed steps of scripts that run step by step, so an interrupted run resumes.</param>
/// <param name="LockInfo">Who holds the run lock, since when.</param>
public sealed record RunnerTables(string History, string Journal, string LockInfo)
{
    /// <summary>The tables with the prefix <c>swap</c>: <c>swap_history</c>, <c>swap_journal</c>, <c>swap_lock</c>, <c>swap_control</c>, <c>swap_live</c>, <c>swap_heartbeat</c>.</summary>
    public static RunnerTables Default { get; } = FromPrefix("swap");

    /// <summary>Operators' commands to a running swap (pause, resume, set, cut-over, abort), who sent each, when, and what became of it.</summary>
    public string Control { get; init; } = "swap_control";

    /// <summary>The live status of the swap that runs now, written by its runner about once a second.</summary>
    public string LiveStatus { get; init; } = "swap_live";

    /// <summary>The heartbeat row the runner writes on the primary and reads on replicas to measure their lag.</summary>
    public string Heartbeat { get; init; } = "swap_heartbeat";

    /// <summary><c>prefix_history</c>, <c>prefix_journal</c>, <c>prefix_lock</c>, <c>prefix_control</c>, <c>prefix_live</c>, <c>prefix_heartbeat</c>.</summary>
    public static RunnerTables FromPrefix(string prefix) => new(prefix + "_history", prefix + "_journal", prefix + "_lock")
    {
        Control = prefix + "_control",
        LiveStatus = prefix + "_live",
        Heartbeat = prefix + "_heartbeat",
    };

    /// <summary>All six names: history, journal, lock info, control, live status, heartbeat.</summary>
    public IEnumerable<string> All => [History, Journal, LockInfo, Control, LiveStatus, Heartbeat];
}
