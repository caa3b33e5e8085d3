using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Swap.Data;
using Swap.Engine;

namespace Swap.Sqlite.Internal;

/// <summary>
/// The swap's connection during an online swap on SQLite. Every chunk dirties about one page per
/// row in each of the copy's indexes, and by default the connection that commits past 1,000 WAL
/// pages copies them back into the database file at once (an automatic checkpoint, with its
/// fsync), and that time counts as the chunk's. In WAL mode this session turns the swap's
/// automatic checkpoint off and checkpoints itself (PASSIVE: it takes no write lock, the
/// application writes meanwhile, and an application connection's own automatic checkpoint
/// finds this one running and returns at once) after every <see cref="CheckpointAfter"/> of write
/// transactions, during the writers' turn, so a chunk's time is its lock time; it commits
/// without an fsync (<c>synchronous = NORMAL</c>, which WAL keeps consistent: a power cut loses
/// the last chunks and their journal rows together, and the resumed swap copies them again);
/// and it gives the connection a page cache large enough for the copy's indexes. The connection's
/// settings are put back when the session ends. In rollback-journal mode only the cache changes.
/// </summary>
internal sealed class SqliteWriteSession : WriteSession
{
    /// <summary>
    /// Write-transaction time between two checkpoints: zero, after every one. Checkpointing less
    /// often would copy a page dirtied by several chunks once, but the application's connections
    /// would then run the automatic checkpoint of the chunks' pages after their own commits.
    /// </summary>
    internal static readonly TimeSpan CheckpointAfter = TimeSpan.Zero;

    /// <summary>The page cache the swap's connection gets at least, in KiB (<c>PRAGMA cache_size</c> takes a negative number for KiB).</summary>
    internal const long CacheKib = 64 * 1024;

    private readonly DbConnection connection;
    private readonly TimeProvider time;
    private readonly long cacheSize;
    private readonly long? synchronous;
    private readonly long? autoCheckpoint;
    private TimeSpan sinceCheckpoint;

    private SqliteWriteSession(DbConnection connection, TimeProvider time, long cacheSize, long? synchronous, long? autoCheckpoint)
    {
        this.connection = connection;
        this.time = time;
        this.cacheSize = cacheSize;
        this.synchronous = synchronous;
        this.autoCheckpoint = autoCheckpoint;
    }

    public static async Task<WriteSession> OpenAsync(DbConnection connection, TimeProvider time, CancellationToken cancellationToken)
    {
        var cacheSize = await NumberAsync(connection, "PRAGMA cache_size", cancellationToken);
        var pageSize = await NumberAsync(connection, "PRAGMA page_size", cancellationToken);
        var wal = string.Equals(Convert.ToString(await connection.ScalarAsync("PRAGMA journal_mode", cancellationToken), CultureInfo.InvariantCulture), "wal", StringComparison.OrdinalIgnoreCase);
        long? synchronous = wal ? await NumberAsync(connection, "PRAGMA synchronous", cancellationToken) : null;
        long? autoCheckpoint = wal ? await NumberAsync(connection, "PRAGMA wal_autocheckpoint", cancellationToken) : null;
        var session = new SqliteWriteSession(connection, time, cacheSize, synchronous, autoCheckpoint);
        // A positive cache_size counts pages, a negative one KiB.
        var cacheKib = cacheSize >= 0 ? cacheSize * pageSize / 1024 : -cacheSize;
        if (cacheKib < CacheKib)
            await connection.ExecuteAsync($"PRAGMA cache_size = -{CacheKib.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
        if (wal)
        {
            // NORMAL is 1; FULL (2) and EXTRA (3) sync every commit. Never raise a lower setting.
            if (synchronous > 1)
                await connection.ExecuteAsync("PRAGMA synchronous = NORMAL", cancellationToken);
            await connection.ExecuteAsync("PRAGMA wal_autocheckpoint = 0", cancellationToken);
        }
        return session;
    }

    public override async Task<TimeSpan> AfterWriteAsync(TimeSpan held, CancellationToken cancellationToken)
    {
        if (autoCheckpoint is null)
            return TimeSpan.Zero;
        sinceCheckpoint += held;
        if (sinceCheckpoint < CheckpointAfter)
            return TimeSpan.Zero;
        sinceCheckpoint = TimeSpan.Zero;
        var start = time.GetTimestamp();
        await connection.QueryAsync("PRAGMA wal_checkpoint(PASSIVE)", null, null, cancellationToken);
        return time.GetElapsedTime(start);
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await connection.ExecuteAsync($"PRAGMA cache_size = {cacheSize.ToString(CultureInfo.InvariantCulture)}", CancellationToken.None);
            if (autoCheckpoint is { } pages)
            {
                await connection.ExecuteAsync($"PRAGMA wal_autocheckpoint = {pages.ToString(CultureInfo.InvariantCulture)}", CancellationToken.None);
                await connection.ExecuteAsync($"PRAGMA synchronous = {synchronous!.Value.ToString(CultureInfo.InvariantCulture)}", CancellationToken.None);
                await connection.QueryAsync("PRAGMA wal_checkpoint(PASSIVE)", null, null, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException)
        {
            // The connection broke or is closed: its settings go with it.
        }
    }

    private static async Task<long> NumberAsync(DbConnection connection, string pragma, CancellationToken cancellationToken) =>
        Convert.ToInt64(await connection.ScalarAsync(pragma, cancellationToken), CultureInfo.InvariantCulture);
}
