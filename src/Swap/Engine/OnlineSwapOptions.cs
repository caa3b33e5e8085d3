using Swap.Engine;
namespace Swap;
/// <summary>Settings of the online copy-and-swap engine.</summary>
public sealed class OnlineSwapOptions
{
    /// <summary>
    /// The time one chunk should take; the chunk size adapts to it. Unset, the engine's default:
    /// 100 ms on MySQL/MariaDB (the application's commits wait while a chunk's rows are written to
    /// the binary log), 500 ms on PostgreSQL, 50 ms on SQLite, where a chunk holds the database's only
    /// write lock and the application's writers wait for it.
    /// </summary>
    public TimeSpan? ChunkTargetTime { get; set; }

    /// <summary>
    /// On SQLite, which can also rebuild a table in one transaction: a swap whose tables all have
    /// fewer rows than this runs as that one transaction (faster, and its write lock lasts about as
    /// long as one online chunk); a larger one runs online. 0 makes every SQLite swap online,
    /// <see cref="long.MaxValue"/> none. Default 10,000. MySQL and PostgreSQL always swap online.
    /// </summary>
    public long OneTransactionBelowRows { get; set; } = 10_000;

    /// <summary>
    /// SQLite: when the copy's secondary indexes are built. A copy filled bare is many times faster
    /// (SQLite inserts into a bare table in key order; with the indexes in place every row dirties a
    /// random page of each index), but SQLite builds an index under its only write lock, so the
    /// application's writes wait for each build (about a second per index per million rows).
    /// <list type="bullet">
    /// <item><c>null</c> (default): bare, until the application writes the table during the copy;
    /// at the first write seen, the indexes are built on the rows copied so far and kept current
    /// from then on. A table nobody writes is copied bare and indexed after the copy.</item>
    /// <item><c>true</c>: always after the copy, one <c>CREATE INDEX</c> each, whatever the writes.</item>
    /// <item><c>false</c>: always kept current from the empty copy on.</item>
    /// </list>
    /// Decided when a swap starts; a resumed swap keeps it. MySQL and PostgreSQL always build after the copy.
    /// </summary>
    public bool? SqliteIndexesAfterCopy { get; set; }

    /// <summary>
    /// What <see cref="SqliteIndexesAfterCopy"/> means on <paramref name="engine"/>: whether the copy
    /// is filled without its deferrable indexes, and whether they come at the application's first
    /// write. Only where writers take turns with one lock (SQLite) does the choice exist.
    /// </summary>
    internal (bool AfterCopy, bool AtFirstWrite) IndexTiming(TableEngine engine)
    {
        var atFirstWrite = SqliteIndexesAfterCopy is null && engine.OneWriterAtATime;
        return (SqliteIndexesAfterCopy == true || atFirstWrite, atFirstWrite);
    }

    /// <summary>Rows in the first chunk (default 1,000); fewer when the table's rows are wide (see <see cref="Chunker.FirstChunkSize"/>).</summary>
    public int InitialChunkSize { get; set; } = 1000;

    /// <summary>The fewest rows the adaptive chunk size goes down to (default 50); lower, down to one, for a table whose rows are so wide that a first chunk is smaller.</summary>
    public int MinChunkSize { get; set; } = 50;

    /// <summary>The most rows the adaptive chunk size goes up to (default 200,000); it at most doubles from one chunk to the next.</summary>
    public int MaxChunkSize { get; set; } = 200_000;

    /// <summary>
    /// The longest a chunk waits for a row lock the application holds (default 1 s) before it
    /// rolls back and is retried with backoff. While it waits, the rows it already read stay
    /// locked and the application's writes to them wait too.
    /// </summary>
    public TimeSpan ChunkLockTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest the cut-over waits for its table locks per attempt (default 1 s).</summary>
    public TimeSpan CutOverLockTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times a cut-over that could not take its locks is retried (default 10).</summary>
    public int CutOverRetries { get; set; } = 10;

    /// <summary>First delay between cut-over attempts; doubles each time with jitter (default 500 ms).</summary>
    public TimeSpan CutOverRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Change-log rows the applier reads and applies per transaction (default 1,000).</summary>
    public int ApplyBatchSize { get; set; } = 1000;

    /// <summary>
    /// The cut-over takes its locks only once the change log is shorter than this many rows
    /// (default 1,000), so that applying the rest under the lock is short.
    /// </summary>
    public int CutOverBacklog { get; set; } = 1000;

    /// <summary>Keep the original tables (renamed <c>_t_swap_old</c>) after the swap, for a rollback window.</summary>
    public bool KeepOldTables { get; set; }

    /// <summary>
    /// Keep a revert window this long after each cut-over (<c>up --revert-window 24h</c>): the old
    /// table stays and a reverse capture keeps it in sync with the new one, so <c>swap revert</c> can
    /// swap it back until <c>swap finish</c> or the window's end. Null (the default) opens none.
    /// </summary>
    public TimeSpan? RevertWindow { get; set; }

    /// <summary>
    /// Run everything up to the cut-over, then keep capture and the applier running (re-verifying
    /// recently changed keys every <see cref="PostponedVerifyInterval"/>) until an operator's
    /// <c>swap cut-over</c>. Recorded in the journal: a resumed run keeps waiting.
    /// </summary>
    public bool PostponeCutOver { get; set; }

    /// <summary>How often a postponed swap re-verifies the keys the applier changed since the last check (default 10 s; only those keys are read).</summary>
    public TimeSpan PostponedVerifyInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Replica lag, server load and query throttles, asked at every chunk and applier-batch boundary.</summary>
    public ThrottleOptions Throttle { get; } = new();

    /// <summary>Decides whether to pause between chunks (replication lag, load). The default never pauses.</summary>
    public IThrottler Throttler { get; set; } = NoThrottler.Instance;

    /// <summary>Receives a snapshot after each chunk and phase change.</summary>
    public IProgress<SwapProgress>? Progress { get; set; }
}

/// <summary>Pauses the copy when the database needs relief. Called before each chunk.</summary>
public interface IThrottler
{
    /// <summary>
    /// Completes when the next chunk may run: at once when the database is fine, later when it needs
    /// relief. Stop waiting when <paramref name="cancellationToken"/> is cancelled (the run was).
    /// </summary>
    ValueTask WaitAsync(CancellationToken cancellationToken);
}

/// <summary>The default: never pauses.</summary>
public sealed class NoThrottler : IThrottler
{
    /// <summary>The shared instance.</summary>
    public static NoThrottler Instance { get; } = new();

    /// <summary>Completes at once.</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
