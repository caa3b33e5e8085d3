namespace Swap.Running;

/// <summary>How a script's operations reach the database.</summary>
internal enum ExecutionMode
{
    /// <summary>All of the script in one transaction (PostgreSQL, SQLite).</summary>
    Transactional,
    /// <summary>Step by step; each completed step is journaled so an interrupted run resumes after it.</summary>
    Journaled,
    /// <summary>Nothing is written: operations are recorded for <c>plan</c>.</summary>
    DryRun,
}
