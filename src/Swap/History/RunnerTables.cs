using Swap.History;
namespace Swap;

/// <summary>Names of the tables Swap keeps in the target database.</summary>
/// <param name="History">One row per script: status, checksum, batch, times, errors.</param>
/// <param name="Journal">Completed steps of scripts that run step by step, so an interrupted run resumes.</param>
/// <param name="LockInfo">Who holds the run lock, since when.</param>
public sealed record RunnerTables(string History, string Journal, string LockInfo)
{
    /// <summary><c>swap_history</c>, <c>swap_journal</c> and <c>swap_lock</c>.</summary>
    public static RunnerTables Default { get; } = FromPrefix("swap");

    /// <summary><c>prefix_history</c>, <c>prefix_journal</c>, <c>prefix_lock</c>.</summary>
    public static RunnerTables FromPrefix(string prefix) => new(prefix + "_history", prefix + "_journal", prefix + "_lock");

    /// <summary>The three names: history, journal, lock info.</summary>
    public IEnumerable<string> All => [History, Journal, LockInfo];
}
