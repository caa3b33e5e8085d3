namespace Swap;
/// <summary>Where a script stands, comparing the migration folders with the history table.</summary>
public enum ScriptStatus
{
    /// <summary>Applied, and the script is unchanged since.</summary>
    Applied,
    /// <summary>Not applied yet.</summary>
    Pending,
    /// <summary>Applied, but the script's content changed since (checksum differs).</summary>
    Changed,
    /// <summary>The last attempt failed; <c>up</c> retries or resumes it.</summary>
    Failed,
    /// <summary>Started and not finished, and a run holds the lock: running now.</summary>
    Running,
    /// <summary>Recorded in the history, but no folder or assembly has the script any more.</summary>
    Missing,
    /// <summary>Started and stopped before it finished (Ctrl+C, a killed process, a lost connection) with no run holding the lock: the next <c>up</c> resumes it where it stopped.</summary>
    Interrupted,
}
