using Swap.History;
namespace Swap;
/// <summary>The recorded state of one script in the history table.</summary>
public enum HistoryStatus
{
    /// <summary>Started and not finished: in progress, or interrupted (it resumes on the next <c>up</c>).</summary>
    Running,
    /// <summary>Finished successfully.</summary>
    Applied,
    /// <summary>Stopped with an error (see <see cref="HistoryEntry.Error"/>); the next <c>up</c> runs it again.</summary>
    Failed,
}

/// <summary>One row of the history table.</summary>
public sealed record HistoryEntry(
    string ScriptId,
    string Module,
    string? Group,
    string Kind,
    string Checksum,
    int Batch,
    long ApplyOrder,
    HistoryStatus Status,
    DateTime StartedAtUtc,
    DateTime? FinishedAtUtc,
    long? DurationMs,
    string? Error,
    string AppliedBy);
