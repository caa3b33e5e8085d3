using Swap.Rehearsal;
using Swap.Dialects;

namespace Swap;
/// <summary>What a rehearsal reads besides the staging target, and the load it puts on staging.</summary>
public sealed record RehearsalOptions
{
    /// <summary>Production, read only (row estimates, sizes, version) to project durations; null for none.</summary>
    public SwapDatabase? Production { get; init; }

    /// <summary>Where the staging database was cloned from, for the report (password removed).</summary>
    public string? ClonedFrom { get; init; }

    /// <summary>
    /// Writes per second of a simple writer on the staging tables during the rehearsal (one-row
    /// updates of tables with a one-column primary key), whose latency the report gives per step; null for none.
    /// </summary>
    public double? LoadRate { get; init; }

    /// <summary>How long the writer runs before the first script, for the latency without Swap (with <see cref="LoadRate"/>).</summary>
    public TimeSpan LoadBaseline { get; init; } = TimeSpan.FromSeconds(1);
}
