using Swap.Dialects;
using System.Data;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Swap;
/// <summary>
/// The I/O half of a dialect: one target database. It opens connections, takes the run lock,
/// reads the catalog and turns driver errors into <see cref="SwapException"/>s that carry the
/// server's code and say whether a retry may help. SQL text comes from <see cref="Dialect"/>.
/// </summary>
public abstract partial class SwapDatabase
{
    /// <summary>Sets where this database logs; with null it logs nothing.</summary>
    protected SwapDatabase(ILoggerFactory? loggerFactory)
    {
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <summary>
    /// Where this database logs, and where a <see cref="Migrator"/>, its runs and the online engine
    /// log when <see cref="MigratorOptions.LoggerFactory"/> is not set; <see cref="NullLoggerFactory"/>
    /// when none was given.
    /// </summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The engine this target runs on.</summary>
    public abstract DatabaseEngine Engine { get; }

    internal abstract SqlDialect Dialect { get; }

    /// <summary>A description safe to print: the URL without its password.</summary>
    public abstract string DisplayName { get; }

    /// <summary>A stable name of the target (database, and schema where there is one) for the run lock.</summary>
    public abstract string LockScope { get; }

    /// <summary>False on MySQL, where DDL commits implicitly.</summary>
    public abstract bool TransactionalDdl { get; }

    /// <summary>
    /// True when <paramref name="other"/> reaches the same database as this one, however its URL
    /// spells the host or path (a rehearsal must never run on production). The servers tell it by a
    /// lock one session takes and the other sees; SQLite by the file the paths lead to.
    /// </summary>
    internal virtual Task<bool> IsSameDatabaseAsync(SwapDatabase other, CancellationToken cancellationToken) => Task.FromResult(false);

    /// <summary>Opens a new connection. Failures come back as <see cref="SwapException"/> of kind <see cref="SwapErrorKind.Connection"/>.</summary>
    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        DbConnection? connection = null;
        try
        {
            connection = CreateConnection();
            await connection.OpenAsync(cancellationToken);
            await InitializeConnectionAsync(connection, cancellationToken);
            return connection;
        }
        catch (Exception e) when (e is not OperationCanceledException && e is not SwapException)
        {
            if (connection is not null)
                await connection.DisposeAsync();
            throw TranslateConnectError(e);
        }
    }

    /// <summary>A new, closed connection to the target.</summary>
    protected abstract DbConnection CreateConnection();

    /// <summary>Session settings every Swap connection needs (time zone, SQL mode...).</summary>
    protected virtual Task InitializeConnectionAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Turns a failure to connect into a message that says what to check; never shows the password.</summary>
    protected abstract SwapException TranslateConnectError(Exception error);

    /// <summary>Wraps a driver error in a <see cref="SwapException"/> with code, SQL state and transience.</summary>
    public abstract SwapException Translate(Exception error, string context);

    /// <summary>
    /// The end of a transient error's hint. The same message is kept while the error is retried and
    /// when it ends the run after the last retry, so it says both.
    /// </summary>
    internal const string RetriedThenRunAgain = " Swap retries this; when it ends the run, the retries ran out: run again once the other session is done.";

    /// <summary>
    /// True when <paramref name="error"/> came from the database or its driver: a server error,
    /// and also what a driver throws for a connection lost mid-statement (an <see cref="IOException"/>
    /// on MySqlConnector, for example). The core asks this instead of assuming <see cref="DbException"/>.
    /// </summary>
    public virtual bool IsDatabaseError(Exception error) => error is DbException || IsConnectionLost(error);

    /// <summary>True for errors a retry may cure: deadlocks, lock timeouts, lost connections.</summary>
    public abstract bool IsTransient(Exception error);

    /// <summary>True when a statement gave up waiting for a lock (MySQL 1205, PostgreSQL 55P03, SQLite busy).</summary>
    public abstract bool IsLockTimeout(Exception error);

    /// <summary>True when the error says the connection itself is gone and must be reopened.</summary>
    public abstract bool IsConnectionLost(Exception error);

    /// <summary>True when connecting failed because the URL's database does not exist on the server (MySQL 1049, PostgreSQL 3D000).</summary>
    internal virtual bool IsUnknownDatabase(Exception error) => false;

    /// <summary>True when connecting failed because the server refused the URL's user or password (MySQL 1045/1044, PostgreSQL 28P01/28000).</summary>
    internal virtual bool IsLoginRefused(Exception error) => false;

    /// <summary>
    /// True when an error from re-running an interrupted DDL statement shows that its work had
    /// already been done (table exists, duplicate column, unknown index on drop...).
    /// </summary>
    public abstract bool IsAlreadyDone(Exception error);

    /// <summary>A unique index or key met a value twice (PostgreSQL 23505, MySQL 1062), also inside a <see cref="SwapException"/>.</summary>
    public virtual bool IsUniqueViolation(Exception error) => false;

    /// <summary>
    /// A value written to a column does not fit it (<see cref="ValueMisfit"/>), also inside a
    /// <see cref="SwapException"/> or another wrapper; null for any other error.
    /// </summary>
    internal virtual ValueMisfit? ValueNotFitting(Exception error) => null;

    /// <summary>The isolation level of every transaction Swap begins; set explicitly, never left to the driver.</summary>
    public virtual IsolationLevel DefaultIsolation => IsolationLevel.ReadCommitted;

    /// <summary>Begins a transaction at <see cref="DefaultIsolation"/>.</summary>
    public virtual async Task<DbTransaction> BeginTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(DefaultIsolation, cancellationToken);

    /// <summary>Starts a transaction in which writes fail, for dry runs.</summary>
    public abstract Task<System.Data.Common.DbTransaction> BeginReadOnlyAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Bounds how long statements on this connection wait for locks (MySQL lock_wait_timeout, PostgreSQL lock_timeout, SQLite busy timeout).</summary>
    public abstract Task ApplyLockTimeoutAsync(DbConnection connection, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Who holds the run lock, without taking it; null when nobody does.</summary>
    internal abstract Task<LockHolder?> PeekLockHolderAsync(DbConnection connection, string lockInfoTable, CancellationToken cancellationToken);

    /// <summary>The online copy-and-swap engine of this dialect.</summary>
    internal abstract Engine.TableEngine TableEngine { get; }

    /// <summary>Copies, triggers and functions left by interrupted table swaps.</summary>
    internal Task<IReadOnlyList<Leftover>> FindLeftoversAsync(DbConnection connection, CancellationToken cancellationToken) =>
        TableEngine.FindLeftoversAsync(connection, cancellationToken);

    /// <summary>A run lock bound to its own connection, released when that connection ends.</summary>
    internal abstract Locking.RunLock CreateRunLock(string lockInfoTable);

    /// <summary>
    /// True when the database is not there and an empty stand-in is read instead (a SQLite file
    /// opened by a verb that must not create it): nothing written to it would last.
    /// </summary>
    internal virtual bool ReadsEmptyStandIn => false;

    /// <summary>False while the database's storage is not there yet (a SQLite file the first connection would create); a server's database always is.</summary>
    internal virtual bool StoreExists => true;

    /// <summary>
    /// Removes the storage a run created, when it holds no table (a SQLite file made by a refused
    /// first run); returns whether it did. Called under the run lock, with no connection of the run
    /// open. A server's database is never removed.
    /// </summary>
    internal virtual Task<bool> RemoveEmptyStoreAsync(CancellationToken cancellationToken) => Task.FromResult(false);

    /// <summary>Whether a table (or view) of that name exists in the target schema.</summary>
    public abstract Task<bool> TableExistsAsync(DbConnection connection, string table, CancellationToken cancellationToken);

    /// <summary>The table that has an index of that name, or null when none or several do (for <c>DROP INDEX</c> without a table).</summary>
    public virtual async Task<string?> TableOfIndexAsync(DbConnection connection, DbTransaction? transaction, string index, CancellationToken cancellationToken)
    {
        var rows = await Data.DbCommands.QueryAsync(connection, Dialect.TableOfIndexQuery, new { name = index }, transaction, cancellationToken);
        return rows.Count == 1 ? rows[0].String("table_name") : null;
    }

    /// <summary>The server's version string, for status and logs.</summary>
    public abstract Task<string> ServerVersionAsync(DbConnection connection, CancellationToken cancellationToken);
}
