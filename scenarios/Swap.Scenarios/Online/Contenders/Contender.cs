namespace Swap.Scenarios.Online.Contenders;

/// <summary>One tool (or the hand-written floor) that makes the benchmark's schema change on a workspace.</summary>
internal abstract class Contender
{
    /// <summary>Short id: native, ptosc, repack, rebuild, swap, limit.</summary>
    public abstract string Id { get; }

    /// <summary>What it runs, for the tables.</summary>
    public abstract string Title { get; }

    /// <summary>
    /// False for the floor (<c>INSERT ... SELECT</c> plus index builds), which does not carry
    /// concurrent writes over and so only runs idle.
    /// </summary>
    public virtual bool KeepsWrites => true;

    /// <summary>
    /// True for a floor that runs under the writer all the same, to show what the physical work
    /// alone (the copy and the index builds, no capture) costs the application's writes; its
    /// content is not compared in a loaded group, since the writes made meanwhile are lost.
    /// </summary>
    public virtual bool RunsUnderLoad => KeepsWrites;

    /// <summary>True for a variant that runs only when <c>--contenders</c> names it (not in the default set).</summary>
    public virtual bool OnRequest => false;

    public abstract Task<ContenderOutcome> RunAsync(RunContext context, CancellationToken ct);
}

/// <summary>What a contender reports beyond the wall time the runner measures.</summary>
internal sealed record ContenderOutcome
{
    /// <summary>Peak RSS of the tool's own process (MB), when it runs one.</summary>
    public double? PeakRssMb { get; init; }

    /// <summary>User + system CPU seconds of the tool's process.</summary>
    public double? CpuSeconds { get; init; }

    /// <summary>How the peak was measured.</summary>
    public string? MemorySource { get; init; }

    public string? Version { get; init; }

    /// <summary>Per-chunk records (Swap): seconds since start, rows copied so far, chunk size.</summary>
    public IReadOnlyList<ChunkRecord>? Chunks { get; init; }

    public string? Notes { get; init; }

    /// <summary>Swap's cut-over attempts, as it reported them (the library's run listener).</summary>
    public IReadOnlyList<CutOverAttemptRecord>? CutOverAttempts { get; init; }

    /// <summary>Swap's change-log backlog over time.</summary>
    public IReadOnlyList<BacklogPoint>? Backlog { get; init; }
}

internal sealed record ChunkRecord(double T, long Rows, int ChunkSize);

/// <summary>
/// One cut-over attempt: its number, how long it ran (from asking for the write locks to the
/// rename and the journal record, or to giving up), and whether it swapped.
/// </summary>
internal sealed record CutOverAttemptRecord(int Attempt, double Ms, bool Succeeded);
