using Swap.Rehearsal;
namespace Swap;
/// <summary>
/// What a rehearsal on a staging database found: every pending script run there by the real
/// engine, step by step, with a verdict per script and, when production was read, a projection
/// of each step's duration there.
/// </summary>
public sealed record RehearsalReport
{
    /// <summary>The staging target (password removed).</summary>
    public required string Staging { get; init; }

    /// <summary>The production target that was read (never written), or null.</summary>
    public string? Production { get; init; }

    /// <summary>What the staging database was cloned from by this rehearsal, or null.</summary>
    public string? ClonedFrom { get; init; }

    /// <summary>The engine's name: <c>MySql</c>, <c>PostgreSql</c> or <c>Sqlite</c>.</summary>
    public required string Engine { get; init; }

    /// <summary>The staging server's version string, or null when it could not be read.</summary>
    public string? StagingVersion { get; init; }

    /// <summary>The production server's version string, or null without production.</summary>
    public string? ProductionVersion { get; init; }

    /// <summary>When the rehearsal started, from the migrator's clock.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Wall time of the scripts on staging.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Every pending script in the order it ran; after a failure, the rest with the outcome <c>not-run</c>.</summary>
    public required IReadOnlyList<ScriptRehearsal> Scripts { get; init; }

    /// <summary>Production sizes of the tables the scripts touched (empty without production).</summary>
    public IReadOnlyList<TableSize> ProductionTables { get; init; } = [];

    /// <summary>The projected wall time in production, or null without production.</summary>
    public TimeSpan? ProjectedDuration { get; init; }

    /// <summary>What the projection rests on, in words.</summary>
    public IReadOnlyList<string> ProjectionNotes { get; init; } = [];

    /// <summary>Each table staging has after the rehearsal against what <c>plan</c> promised for it just before its script ran.</summary>
    public IReadOnlyList<SchemaCheck> SchemaChecks { get; init; } = [];

    /// <summary><c>status</c> on staging after the rehearsal against what it will be on production after <c>up</c>.</summary>
    public StatusCheck? Status { get; init; }

    /// <summary>
    /// With <c>--load</c>: the writer's rate, and its writes' latency before the rehearsal and during each step
    /// (<see cref="StepRehearsal.Load"/>); null without a load.
    /// </summary>
    public LoadSummary? Load { get; init; }

    /// <summary>The exit code of the rehearsal: 0 when every script ran, else the failing script's (see docs/cli.md).</summary>
    public int ExitCode { get; init; }

    /// <summary>Every pending script ran on staging.</summary>
    public bool Succeeded => ExitCode == 0;
}

/// <summary>How one script went on staging.</summary>
public sealed record ScriptRehearsal
{
    /// <summary>The script's id.</summary>
    public required string Id { get; init; }

    /// <summary><c>sql</c> or <c>cs</c>.</summary>
    public required string Kind { get; init; }

    /// <summary><c>one transaction</c> or <c>journaled steps</c> (the mode it ended in).</summary>
    public string? Mode { get; init; }

    /// <summary><c>applied</c>, <c>failed</c>, <c>refused</c> or <c>not-run</c>.</summary>
    public required string Outcome { get; init; }

    /// <summary>The failure's kind (<see cref="SwapErrorKind"/>), when it failed.</summary>
    public string? ErrorKind { get; init; }

    /// <summary>The error message when the script failed or was refused, else null.</summary>
    public string? Error { get; init; }

    /// <summary>When the script started, from the start of the rehearsal.</summary>
    public TimeSpan Start { get; init; }

    /// <summary>How long the script ran on staging.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>The script's steps in order; empty for a script that was not run.</summary>
    public IReadOnlyList<StepRehearsal> Steps { get; init; } = [];

    /// <summary>The projected duration in production, or null without production.</summary>
    public TimeSpan? ProjectedDuration { get; init; }

    /// <summary>In words: will run online; needs a lock of N ms at cut-over; refused because ...</summary>
    public required string Verdict { get; init; }
}

/// <summary>One step of a script: a statement, or a table swap with its phases.</summary>
public sealed record StepRehearsal
{
    /// <summary>The step's number in the script, from 1, as in the journal.</summary>
    public required int Step { get; init; }

    /// <summary><c>execute</c> or <c>swap</c>.</summary>
    public required string Op { get; init; }

    /// <summary>What the step did: the statement (shortened), or <c>swap in</c> and the tables swapped.</summary>
    public required string Description { get; init; }

    /// <summary>online copy-and-swap, table rebuild in one transaction, SQL in the script's transaction, plain SQL (journaled step).</summary>
    public required string Method { get; init; }

    /// <summary>When the step started, from the start of the rehearsal.</summary>
    public required TimeSpan Start { get; init; }

    /// <summary>How long the step took on staging.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Tables the step works on (swapped, or named by its statement).</summary>
    public IReadOnlyList<string> Tables { get; init; } = [];

    /// <summary>Rows copied into the copies (swaps only).</summary>
    public long? RowsCopied { get; init; }

    /// <summary>Rows copied per second of copying (swaps only).</summary>
    public double? RowsPerSecond { get; init; }

    /// <summary>Change-log rows (writes captured during the copy) applied to the copies (online swaps only).</summary>
    public long? LogRowsApplied { get; init; }

    /// <summary>The swap's phases per table, in order (swaps only).</summary>
    public IReadOnlyList<PhaseSpan> Phases { get; init; } = [];

    /// <summary>Every attempt to cut over, failed ones included (swaps only).</summary>
    public IReadOnlyList<CutOverAttempt> CutOverAttempts { get; init; } = [];

    /// <summary>The error message when the step failed, else null.</summary>
    public string? Error { get; init; }

    /// <summary>The step's projected duration in production, or null without production.</summary>
    public TimeSpan? ProjectedDuration { get; init; }

    /// <summary>With <c>--load</c>: the writes that ran during the step (started in it, or still waiting when it began) and their latency.</summary>
    public WriteLatency? Load { get; init; }

    /// <summary>What the step's projection rests on.</summary>
    public string? ProjectionBasis { get; init; }
}

/// <summary>One phase of a table swap (copying, verifying, cutting over...).</summary>
public sealed record PhaseSpan(string Phase, string Table, TimeSpan Start, TimeSpan Duration);

/// <summary>One attempt to take the cut-over's locks and rename; the successful one's duration bounds the lock held.</summary>
public sealed record CutOverAttempt(int Attempt, TimeSpan Duration, bool Succeeded);

/// <summary>A table's size on a database, read without writing.</summary>
/// <param name="RowsBasis"><c>estimate</c> (catalog statistics) or <c>count</c> (COUNT(*)).</param>
public sealed record TableSize(string Table, long Rows, string RowsBasis, long? TableBytes, long? IndexBytes)
{
    /// <summary>The same table's rows on staging when the step ran (rows copied, or read the same way).</summary>
    public long? StagingRows { get; init; }
}

/// <summary>One table staging has after the rehearsal, compared with what <c>plan</c> promised for it.</summary>
/// <param name="Table">The table (<c>-</c> for a script that could not be planned).</param>
/// <param name="Script">The script whose plan promised it.</param>
/// <param name="Outcome"><see cref="Matches"/>, <see cref="Differs"/> or <see cref="NotCompared"/>.</param>
/// <param name="Differences">Each difference in words, or why it was not compared.</param>
public sealed record SchemaCheck(string Table, string Script, string Outcome, IReadOnlyList<string> Differences)
{
    /// <summary>Columns, types, nullability, key and indexes are as promised.</summary>
    public const string Matches = "matches";

    /// <summary>Something differs; see <see cref="Differences"/>.</summary>
    public const string Differs = "differs";

    /// <summary>No promise to compare with (see <see cref="Differences"/> for why).</summary>
    public const string NotCompared = "not compared";
}

/// <summary><c>status</c> on staging after the rehearsal, against what it will be on production after <c>up</c>.</summary>
public sealed record StatusCheck
{
    /// <summary>What the expectation starts from: production's history, or staging's before the rehearsal.</summary>
    public required string Basis { get; init; }

    /// <summary>Each script's status on staging now, <c>id: status</c>.</summary>
    public required IReadOnlyList<string> Staging { get; init; }

    /// <summary>Each way staging's status differs from production's after <c>up</c>; empty when they are the same.</summary>
    public required IReadOnlyList<string> Differences { get; init; }
}

/// <summary>The latency of the load's writes over a span of the rehearsal.</summary>
/// <param name="Writes">Writes started in the span.</param>
/// <param name="Failed">Of those, writes that failed (a lock timeout, a lost connection...).</param>
/// <param name="P50">The median latency.</param>
/// <param name="P99">The 99th percentile latency (nearest rank: with fewer than 100 writes, the slowest).</param>
/// <param name="Max">The slowest write.</param>
public sealed record WriteLatency(int Writes, int Failed, TimeSpan P50, TimeSpan P99, TimeSpan Max)
{
    /// <summary>The latency of <paramref name="writes"/>, or null when there are none.</summary>
    internal static WriteLatency? Of(IReadOnlyCollection<(TimeSpan Latency, bool Failed)> writes)
    {
        if (writes.Count == 0)
            return null;
        var sorted = writes.Select(w => w.Latency).Order().ToList();
        TimeSpan Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
        return new WriteLatency(writes.Count, writes.Count(w => w.Failed), Rank(0.50), Rank(0.99), sorted[^1]);
    }
}

/// <summary>What <c>rehearse --load</c> ran: a writer on the staging tables and what its writes felt.</summary>
public sealed record LoadSummary
{
    /// <summary>The writes per second asked for.</summary>
    public required double Rate { get; init; }

    /// <summary>The tables written to (one-column primary key, some rows).</summary>
    public required IReadOnlyList<string> Tables { get; init; }

    /// <summary>Tables not written to, each with why.</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];

    /// <summary>The writes before the first script started: what the application feels without Swap.</summary>
    public WriteLatency? Baseline { get; init; }

    /// <summary>Every write from the start of the first script to the end of the rehearsal.</summary>
    public WriteLatency? During { get; init; }
}
