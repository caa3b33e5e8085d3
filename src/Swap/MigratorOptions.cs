using Swap.Discovery;
using Swap.History;

namespace Swap;

/// <summary>What a <see cref="Migrator"/> runs and how. Per-run choices (such as <c>--to</c>) go in <see cref="UpOptions"/>.</summary>
public sealed class MigratorOptions
{
    /// <summary>Module folders, migrations folders and assemblies to load migrations from.</summary>
    public IList<MigrationSource> Sources { get; } = [];

    /// <summary>Names of Swap's own tables in the target (default <c>swap_history</c>, <c>swap_journal</c>, <c>swap_lock</c>).</summary>
    public RunnerTables Tables { get; set; } = RunnerTables.Default;

    /// <summary>How long to wait for another runner's lock; zero (the default) fails at once.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The longest a script's statement waits for a table lock (MySQL <c>lock_wait_timeout</c>,
    /// PostgreSQL <c>lock_timeout</c>, SQLite busy timeout) before it gives up and is retried, so
    /// that a DDL statement never queues the application's queries behind it for long.
    /// </summary>
    public TimeSpan StatementLockTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times a script (or a resumed step) is retried after a transient error.</summary>
    public int TransientRetries { get; set; } = 5;

    /// <summary>The first delay between retries; it doubles each time, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Run <c>up</c> even when applied scripts changed since they were applied.</summary>
    public bool AllowChangedScripts { get; set; }

    /// <summary>
    /// Values of <c>${name}</c> placeholders in SQL scripts and SQL callbacks. They are text put
    /// into the SQL as is (a schema or table name, say); every placeholder a script uses must have
    /// a value, or <c>up</c>, <c>plan</c> and <c>down</c> refuse before anything runs.
    /// </summary>
    public IDictionary<string, string> Placeholders { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The schema builder's <c>CreateIndexAsync</c> and <c>AddForeignKeyAsync</c> change a MySQL or
    /// PostgreSQL table with at least this many rows (the engine's estimate) through the online
    /// copy-and-swap, and smaller ones with one statement. Default 100,000.
    /// </summary>
    public long OnlineChangeMinRows { get; set; } = 100_000;

    /// <summary>Settings of the online copy-and-swap engine (chunk time, cut-over lock wait, keep old tables...).</summary>
    public OnlineSwapOptions Swap { get; } = new();

    /// <summary>The clock for lock timeouts, retry delays, budgets and recorded times.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Where the migrator, its runs and the online engine log (categories <c>Swap.Migrator</c>,
    /// <c>Swap.Engine</c>, ...); when null, the database object's logger factory.
    /// </summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Called with every progress snapshot of a table swap, synchronously and in order, on the
    /// run's own flow (keep it short: the swap waits for it). <see cref="OnlineSwapOptions.Progress"/>
    /// gets the same snapshots through <see cref="IProgress{T}"/>; a <see cref="Progress{T}"/> posts
    /// them to the thread pool, where they may arrive out of order.
    /// </summary>
    public Action<SwapProgress>? OnProgress { get; set; }

    /// <summary>Copy every changed table, even where the engine could change it instantly or in place (<c>up --always-copy</c>).</summary>
    public bool AlwaysCopy { get; set; }

    /// <summary>
    /// From how many rows (the engine's estimate) <c>plan</c> and <c>validate</c> warn about an
    /// ALTER TABLE or index statement that a SQL script runs as written (default 100,000).
    /// </summary>
    public long LargeTableRows { get; set; } = 100_000;
}

/// <summary>Limits for one <c>up</c> run.</summary>
public sealed record UpOptions
{
    /// <summary>Apply up to and including this script id.</summary>
    public string? To { get; init; }

    /// <summary>Apply at most this many scripts.</summary>
    public int? Steps { get; init; }

    /// <summary>Stop cleanly after the step in progress once this much time is spent.</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>
    /// Apply only pending scripts that carry one of these tags (none: every pending script). A
    /// selected script whose dependency is pending and not selected is refused before anything runs.
    /// </summary>
    public IReadOnlyList<string>? Tags { get; init; }
}

/// <summary>What one <c>down</c> run reverts: the last <see cref="Count"/> applied scripts, or a whole batch.</summary>
public sealed record DownOptions
{
    /// <summary>How many applied scripts to revert, newest first (default 1; 1 or more). Ignored when <see cref="Batch"/> is set.</summary>
    public int Count { get; init; } = 1;

    /// <summary>Reverts every applied script of this batch (the number <c>status</c> shows) instead of the last <see cref="Count"/>.</summary>
    public int? Batch { get; init; }

    /// <summary>Stop cleanly once this much time is spent: between scripts, or inside a table swap after the chunk in progress (the next <c>down</c> continues).</summary>
    public TimeSpan? TimeBudget { get; init; }
}
