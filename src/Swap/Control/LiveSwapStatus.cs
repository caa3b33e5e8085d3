namespace Swap;

/// <summary>
/// What a running swap publishes about itself, about once a second, in Swap's live-status table:
/// readable from any host with the database URL (<c>swap status --live</c>), without parsing logs.
/// </summary>
public sealed record LiveSwapStatus
{
    /// <summary>The script whose swap this is.</summary>
    public required string ScriptId { get; init; }

    /// <summary>What runs: <c>swap</c> (a copy-and-swap of <c>up</c>, <c>down</c> or <c>rehearse</c>) or <c>revert</c> (<c>swap revert</c> taking one back).</summary>
    public string Operation { get; init; } = "swap";

    /// <summary>The tables swapped together.</summary>
    public required IReadOnlyList<string> Tables { get; init; }

    /// <summary>The table being worked on now.</summary>
    public required string Table { get; init; }

    /// <summary>The phase (<see cref="SwapPhase"/>'s name).</summary>
    public required string Phase { get; init; }

    /// <summary>Rows copied (or verified) so far in this phase, for this table.</summary>
    public long Rows { get; init; }

    /// <summary>The row estimate, raised to <see cref="Rows"/> when the engine's estimate was low.</summary>
    public long RowsEstimated { get; init; }

    /// <summary>True when more rows were copied than the engine estimated: the percentage stays at most 100 and the ETA is not told.</summary>
    public bool EstimateExceeded { get; init; }

    /// <summary>0 to 100, never more.</summary>
    public double Percent { get; init; }

    /// <summary>The rate over the last half minute or so.</summary>
    public double RowsPerSecond { get; init; }

    /// <summary>Seconds left in this phase at the recent rate; null when it cannot be told. Never negative.</summary>
    public double? EtaSeconds { get; init; }

    /// <summary>Change-log rows not applied yet (all tables of the swap).</summary>
    public long? Backlog { get; init; }

    /// <summary>True while a throttle holds the copy back (replica lag, load, your query).</summary>
    public bool Throttled { get; init; }

    /// <summary>Why it is throttled, in words; null when it is not.</summary>
    public string? ThrottleReason { get; init; }

    /// <summary>When the current throttling started (UTC); null when not throttled.</summary>
    public DateTime? ThrottledSinceUtc { get; init; }

    /// <summary>True while paused, by <c>swap pause</c> or by critical load, until <c>swap resume</c>.</summary>
    public bool Paused { get; init; }

    /// <summary>Who paused it: the sender of <c>swap pause</c>, or <c>swap (reason)</c> for critical load; null when not paused.</summary>
    public string? PausedBy { get; init; }

    /// <summary>When the pause started (UTC); null when not paused.</summary>
    public DateTime? PausedSinceUtc { get; init; }

    /// <summary>The swap waits for <c>swap cut-over</c> (<c>up --postpone-cut-over</c>).</summary>
    public bool Postponed { get; init; }

    /// <summary>
    /// A <c>swap cut-over</c> approved the postponed cut-over and the swap has not cut over yet: it does so
    /// as soon as it is ready, or, while <see cref="Paused"/>, after <c>swap resume</c>.
    /// </summary>
    public bool CutOverApproved { get; init; }

    /// <summary>The live settings in force (chunk-time, max-replica-lag, max-load, critical-load).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The host that runs the swap.</summary>
    public required string Host { get; init; }

    /// <summary>The process id of the runner on <see cref="Host"/>.</summary>
    public int Pid { get; init; }

    /// <summary>user@host pid N, as the run lock records it.</summary>
    public required string Runner { get; init; }

    /// <summary>When this runner started the swap (UTC, by the runner's clock).</summary>
    public DateTime StartedAtUtc { get; init; }

    /// <summary>When the runner last wrote this (by the runner's clock).</summary>
    public DateTime UpdatedAtUtc { get; init; }
}
