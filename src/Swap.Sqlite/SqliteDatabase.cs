using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Swap.Data;
using Swap.Dialects;
using Swap.Locking;
using Swap.Sqlite.Internal;

namespace Swap.Sqlite;

/// <summary>A SQLite database file as a Swap target.</summary>
public sealed partial class SqliteDatabase : SwapDatabase
{
    private readonly string connectionString;

    /// <summary>
    /// The database file at <paramref name="path"/>, made absolute (<c>:memory:</c> is kept as is). The
    /// file is created by the first connection unless <see cref="MustExist"/> is set.
    /// </summary>
    public SqliteDatabase(string path, ILoggerFactory? loggerFactory = null)
        : base(loggerFactory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path == ":memory:" ? path : System.IO.Path.GetFullPath(path);
        connectionString = SqliteConnectionString.From(Path);
    }

    /// <summary>From a <c>sqlite:path/to.db</c> URL.</summary>
    public SqliteDatabase(DatabaseUrl url, ILoggerFactory? loggerFactory = null)
        : this(url?.Database ?? throw new ArgumentNullException(nameof(url)), loggerFactory)
    {
    }

    /// <summary>The database file's full path.</summary>
    public string Path { get; }

    /// <summary>When true, a missing file is read as an empty database and never created (for verbs that only read).</summary>
    public bool MustExist { get; init; }

    /// <summary><see cref="DatabaseEngine.Sqlite"/>.</summary>
    public override DatabaseEngine Engine => DatabaseEngine.Sqlite;

    internal override SqlDialect Dialect => SqliteDialect.Instance;

    /// <summary><c>sqlite:</c> and the file's full path.</summary>
    public override string DisplayName => "sqlite:" + Path;

    internal override Task<bool> IsSameDatabaseAsync(SwapDatabase other, CancellationToken cancellationToken) =>
        Task.FromResult(other is SqliteDatabase o && (string.Equals(RealPath(Path), RealPath(o.Path), StringComparison.Ordinal) || IsSameFile(Path, o.Path)));

    /// <summary>
    /// Two paths to one file that no path comparison sees (a hard link, a bind mount): .NET locks a
    /// file opened without sharing for the file itself (flock on Unix, a share mode on Windows), so
    /// while <paramref name="first"/> is held that way, <paramref name="second"/> cannot be opened so
    /// when it is the same file. Only opened for reading; SQLite's own locks are another kind and
    /// are not touched. A second path that stays locked once the first is let go is held by someone
    /// else: nothing can be told then, and the paths count as different.
    /// </summary>
    private static bool IsSameFile(string first, string second)
    {
        if (!File.Exists(first) || !File.Exists(second))
            return false;
        FileStream? held;
        try
        {
            held = new FileStream(first, FileMode.Open, FileAccess.Read, FileShare.None);
        }
        catch (IOException)
        {
            return false;
        }
        using (held)
        {
            try
            {
                using var probe = new FileStream(second, FileMode.Open, FileAccess.Read, FileShare.None);
                return false;
            }
            catch (IOException)
            {
                // Locked: by the hold on the first path, or by someone else; tell them apart below.
            }
        }
        try
        {
            using var again = new FileStream(second, FileMode.Open, FileAccess.Read, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The file a path leads to, through symbolic links.</summary>
    private static string RealPath(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(full);
        var realFolder = folder is null ? null : new DirectoryInfo(folder).ResolveLinkTarget(true)?.FullName ?? folder;
        var inFolder = realFolder is null ? full : System.IO.Path.Combine(realFolder, System.IO.Path.GetFileName(full));
        return File.Exists(inFolder) ? new FileInfo(inFolder).ResolveLinkTarget(true)?.FullName ?? inFolder : inFolder;
    }

    /// <summary>The file's full path: one runner at a time per file.</summary>
    public override string LockScope => Path;

    /// <summary>True: DDL runs in the script's transaction and rolls back with it.</summary>
    public override bool TransactionalDdl => true;

    /// <summary>With <see cref="MustExist"/> and no file, connections go to an empty in-memory database.</summary>
    internal override bool ReadsEmptyStandIn => MustExist && Path != ":memory:" && !File.Exists(Path);

    /// <summary>False while the file does not exist (the first connection creates it).</summary>
    internal override bool StoreExists => Path == ":memory:" || File.Exists(Path);

    /// <summary>Deletes the file, and SQLite's files beside it, when it holds no table (nor view, index or trigger).</summary>
    internal override async Task<bool> RemoveEmptyStoreAsync(CancellationToken cancellationToken)
    {
        if (Path == ":memory:" || !File.Exists(Path))
            return false;
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            if (Convert.ToInt64(await connection.ScalarAsync("SELECT COUNT(*) FROM sqlite_master", cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0)
                return false;
        }
        foreach (var file in new[] { Path, Path + "-journal", Path + "-wal", Path + "-shm" })
            File.Delete(file);
        return true;
    }

    /// <summary>A new unpooled connection to the file; with <see cref="MustExist"/> and no file, to an empty in-memory database (logged once).</summary>
    protected override DbConnection CreateConnection()
    {
        RefuseFolder();
        if (ReadsEmptyStandIn)
        {
            // A verb that only reads must not create a file at a mistyped path: it reads an empty
            // database instead, and says so.
            if (!warnedMissing)
            {
                var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
                if (folder is { Length: > 0 } && !Directory.Exists(folder))
                    SqliteLog.MissingFolder(LoggerFactory.CreateLogger("Swap.Sqlite"), Path, folder);
                else
                    SqliteLog.MissingFile(LoggerFactory.CreateLogger("Swap.Sqlite"), Path);
                warnedMissing = true;
            }
            return new SqliteConnection(SqliteConnectionString.From(":memory:"));
        }
        return new SqliteConnection(connectionString);
    }

    private bool warnedMissing;

    /// <summary>A path that names a folder is no database, and no file can be created there: said as such, not as a missing or unopenable file.</summary>
    internal void RefuseFolder()
    {
        if (Path != ":memory:" && Directory.Exists(Path))
        {
            throw new SwapException(
                SwapErrorKind.Connection,
                $"Could not open {DisplayName}: it is a folder, not a file. Name the database file, for example sqlite:{System.IO.Path.Combine(Path, "app.db")}.");
        }
    }

    /// <summary>Applies a 10 s lock timeout (<see cref="ApplyLockTimeoutAsync"/>) and reads the schema, so that a file that is not a database fails here with a connection error.</summary>
    protected override async Task InitializeConnectionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await ApplyLockTimeoutAsync(connection, TimeSpan.FromSeconds(10), cancellationToken);
        // SQLite reads the file lazily: read the schema now, so that a file that is not a database
        // fails here, as a connection error that names the file, not at the first statement.
        await connection.ExecuteAsync("SELECT count(*) FROM sqlite_master", cancellationToken);
    }

    /// <summary>
    /// Sets <c>PRAGMA busy_timeout</c> to <paramref name="timeout"/> in milliseconds (how long a statement
    /// waits for another connection's write lock), and Microsoft.Data.Sqlite's command timeout to the
    /// same bound in whole seconds, at least 1.
    /// </summary>
    public override async Task ApplyLockTimeoutAsync(DbConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync($"PRAGMA busy_timeout = {(long)timeout.TotalMilliseconds}", cancellationToken);
        // Microsoft.Data.Sqlite retries a busy statement (and BEGIN) by itself until the command
        // timeout, 30 s unless set: keep that to the same bound (whole seconds; 0 would be forever).
        if (connection is SqliteConnection sqlite)
            sqlite.DefaultTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
    }

    /// <summary>SQLite has one level: every transaction is serializable.</summary>
    public override System.Data.IsolationLevel DefaultIsolation => System.Data.IsolationLevel.Serializable;

    /// <summary>
    /// A deferred transaction that Swap always rolls back. SQLite has no read-only transaction: writes in
    /// it succeed until the rollback undoes them.
    /// </summary>
    public override async Task<DbTransaction> BeginReadOnlyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // A deferred transaction that is always rolled back: a dry run leaves nothing behind.
        return await Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));
    }

    /// <summary>Looks for a table or view of that name in <c>sqlite_master</c>.</summary>
    public override async Task<bool> TableExistsAsync(DbConnection connection, string table, CancellationToken cancellationToken) =>
        await connection.ScalarAsync("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = @name COLLATE NOCASE", new { name = table }, null, cancellationToken) is not null;

    /// <summary><c>SQLite</c> and <c>sqlite_version()</c>, e.g. <c>SQLite 3.46.1</c>.</summary>
    public override async Task<string> ServerVersionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        "SQLite " + await connection.ScalarAsync("SELECT sqlite_version()", cancellationToken);

    internal override Swap.Engine.TableEngine TableEngine => tableEngine ??= new SqliteTableEngine(this);

    private SqliteTableEngine? tableEngine;

    internal override RunLock CreateRunLock(string lockInfoTable) => new SqliteRunLock(this, lockInfoTable);

    internal override Task<LockHolder?> PeekLockHolderAsync(DbConnection connection, string lockInfoTable, CancellationToken cancellationToken) =>
        SqliteRunLock.PeekAsync(this, connection, lockInfoTable, cancellationToken);
}
