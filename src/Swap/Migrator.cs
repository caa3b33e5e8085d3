using System.Data.Common;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Swap.Dialects;
using Swap.Discovery;
using Swap.History;
using Swap.Locking;
using Swap.Running;

namespace Swap;

/// <summary>
/// Runs versioned migrations against one database: <c>status</c>, <c>up</c>, <c>down</c>,
/// <c>plan</c>, <c>sync</c>, <c>validate</c>. Verbs that write take the run lock first, and
/// compute what is pending only once they hold it.
/// </summary>
public sealed partial class Migrator
{
    private readonly SwapDatabase database;
    private readonly MigratorOptions options;
    private readonly ILogger logger;
    private readonly HistoryStore history;
    private MigrationCatalog? catalog;

    /// <summary>
    /// A migrator for <paramref name="database"/>. It reads nothing until a verb runs; the migrations in
    /// <see cref="MigratorOptions.Sources"/> are loaded and checked once, by the first verb that needs them.
    /// </summary>
    /// <exception cref="SwapException">A name in <see cref="MigratorOptions.Tables"/> is not a valid table name on this engine (<see cref="SwapErrorKind.Refused"/>).</exception>
    public Migrator(SwapDatabase database, MigratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        this.database = database;
        this.options = options;
        logger = (options.LoggerFactory ?? database.LoggerFactory).CreateLogger("Swap.Migrator");
        history = new HistoryStore(database, options.Tables);
        foreach (var table in options.Tables.All)
            Identifiers.Validate(table, "history table", database.Dialect);
        CheckReplicas(database, options.Swap.Throttle.Replicas);
    }

    /// <summary>
    /// A replica's lag is the age of the heartbeat written on the target, so a replica of another
    /// engine (or any on SQLite, which has none) could never show it: the swap would throttle forever.
    /// </summary>
    private static void CheckReplicas(SwapDatabase database, IEnumerable<SwapDatabase> replicas)
    {
        foreach (var replica in replicas)
        {
            if (database.Engine == DatabaseEngine.Sqlite)
                throw new SwapException(SwapErrorKind.Usage, $"--replica {replica.DisplayName} is a {replica.Engine.ProductName()} database: SQLite has no replicas to watch; leave out --replica.");
            if (replica.Engine != database.Engine)
                throw new SwapException(SwapErrorKind.Usage, $"--replica {replica.DisplayName} is a {replica.Engine.ProductName()} database, but the target is {database.Engine.ProductName()}: give a replica (or standby) of the target itself, whose lag Swap reads from the heartbeat it writes on the target.");
            if (string.Equals(replica.DisplayName, database.DisplayName, StringComparison.Ordinal))
                throw new SwapException(SwapErrorKind.Usage, $"--replica {replica.DisplayName} is the target database itself, whose lag always reads 0: give the URL of a replica (or standby) of it.");
        }
    }


    /// <summary>The migrations, loaded and checked once per <see cref="Migrator"/>.</summary>
    internal MigrationCatalog Catalog
    {
        get
        {
            if (catalog is null)
            {
                catalog = MigrationCatalog.Load(options.Sources, database.Dialect.Syntax);
                foreach (var warning in catalog.Warnings)
                    Log.NameOrdered(logger, warning);
            }
            return catalog;
        }
    }

    private RunContext Context(CancellationToken cancellationToken) =>
        new(database, options.Tables, options, options.TimeProvider, logger, cancellationToken)
        {
            Listener = Listener,
            Callbacks = Catalog.Callbacks,
            Placeholders = new Dictionary<string, string>(options.Placeholders, StringComparer.Ordinal),
            OnProgress = ReportProgress,
        };

    /// <summary>Where a swap or a revert is: kept as <see cref="Progress"/> and passed to the options' listeners.</summary>
    private void ReportProgress(SwapProgress progress)
    {
        Progress = progress;
        options.OnProgress?.Invoke(progress);
        options.Swap.Progress?.Report(progress);
    }

    /// <summary>Hears the scripts, steps and cut-overs of this migrator's runs (a rehearsal's recorder).</summary>
    internal IRunListener? Listener { get; set; }

    /// <summary>The latest snapshot of the table swap in progress (phase, rows, rate, ETA), or null.</summary>
    public SwapProgress? Progress { get; private set; }

    /// <summary>Opens a connection with the run's session settings (bounded lock waits).</summary>
    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            await database.ApplyLockTimeoutAsync(connection, options.StatementLockTimeout, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Takes the run lock (waiting up to <see cref="MigratorOptions.LockTimeout"/>).</summary>
    private Task<RunLock> LockAsync(CancellationToken cancellationToken) =>
        RunLockAcquirer.AcquireAsync(database, options.Tables.LockInfo, options.LockTimeout, options.TimeProvider, logger, cancellationToken);

    /// <summary>Retries transient failures (deadlocks, lock timeouts, lost connections) with backoff; nothing else.</summary>
    private ResiliencePipeline RetryPipeline(string what) =>
        Retries.Pipeline(options.TimeProvider, options.TransientRetries, new RetryStrategyOptions
            {
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                OnRetry = args =>
                {
                    Log.Retrying(logger, what, args.AttemptNumber + 1, Durations.Format(args.RetryDelay), args.Outcome.Exception?.Message ?? "");
                    return ValueTask.CompletedTask;
                },
            });

    private bool IsTransient(Exception e) => e switch
    {
        SwapException s => s.IsTransient,
        _ when database.IsDatabaseError(e) => database.IsTransient(e),
        _ => false,
    };

    private static DateTime UtcNow(TimeProvider time) => time.GetUtcNow().UtcDateTime;
}
