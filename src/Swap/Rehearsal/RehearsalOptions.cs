using Swap.Rehearsal;
using Swap.Dialects;

namespace Swap;
/// <summary>What a rehearsal reads besides the staging target.</summary>
public sealed record RehearsalOptions
{
    /// <summary>Production, read only (row estimates, sizes, version) to project durations; null for none.</summary>
    public SwapDatabase? Production { get; init; }

    /// <summary>Where the staging database was cloned from, for the report (password removed).</summary>
    public string? ClonedFrom { get; init; }
}
