using System.Data.Common;

namespace Swap.Scenarios.Faults;

/// <summary>
/// A transaction of the "application" that holds a lock until released: a row lock (a chunk that
/// reaches the row waits inside its transaction) or a table lock (a long transaction that read
/// the table: the cut-over cannot take its exclusive lock while it lives).
/// </summary>
public sealed class TableLocker : IAsyncDisposable
{
    private readonly FaultTarget target;
    private readonly DbConnection connection;
    private DbTransaction? transaction;

    private TableLocker(FaultTarget target, DbConnection connection)
    {
        this.target = target;
        this.connection = connection;
    }

    /// <summary>Opens the holder's connection ahead of time, so taking the lock later is one statement.</summary>
    public static async Task<TableLocker> OpenAsync(FaultTarget target)
    {
        var connection = await target.OpenAsync();
        // SQLite: the application's writer may hold the only write lock for a moment when the holder
        // begins; wait for it as an application would, instead of failing the trial with SQLITE_BUSY.
        if (target.Engine == DatabaseEngine.Sqlite)
            await Db.ExecAsync(connection, "PRAGMA busy_timeout = 10000", null, default);
        return new(target, connection);
    }

    /// <summary>Locks one row for update (PostgreSQL, MariaDB) until released.</summary>
    public static async Task<TableLocker> RowAsync(FaultTarget target, string table, long id)
    {
        var holder = await OpenAsync(target);
        await holder.LockRowAsync(table, id);
        return holder;
    }

    /// <summary>
    /// A long transaction that has read the table (PostgreSQL ACCESS SHARE, MariaDB shared metadata
    /// lock) or, on SQLite, holds the database's write lock.
    /// </summary>
    public static async Task<TableLocker> TableAsync(FaultTarget target, string table)
    {
        var holder = await OpenAsync(target);
        await holder.LockTableAsync(table);
        return holder;
    }

    public async Task LockRowAsync(string table, long id)
    {
        transaction ??= await connection.BeginTransactionAsync();
        await Db.QueryAsync(connection, $"SELECT id FROM {target.Quote(table)} WHERE id = @id FOR UPDATE", transaction, default, ("id", id));
    }

    /// <summary>
    /// Makes the next chunk wait inside its transaction until the holder ends. Chunks read the
    /// original without locks, so a lock on the original no longer stops them. MariaDB: the holder
    /// inserts one key into the copy <c>_t_swap_new</c> and the chunk that copies it waits on the
    /// copy's primary key. PostgreSQL fills a copy without indexes (nothing for a chunk to wait on
    /// row by row): the holder takes a SHARE lock on the copy, which every insert waits for.
    /// </summary>
    public async Task HoldCopyKeyAsync(string table, long id)
    {
        transaction ??= await connection.BeginTransactionAsync();
        var copy = Swap.Engine.SwapNames.For(table, 63).Copy;
        if (target.Engine == DatabaseEngine.PostgreSql)
        {
            await Db.ExecAsync(connection, $"LOCK TABLE {target.Quote(copy)} IN SHARE MODE", transaction, default);
            return;
        }
        await Db.ExecAsync(connection, $"INSERT INTO {target.Quote(copy)} (id, grp, name, qty, note) SELECT id, grp, name, qty, note FROM {target.Quote(table)} WHERE id = @id", transaction, default, ("id", id));
    }

    public async Task LockTableAsync(string table)
    {
        transaction ??= await connection.BeginTransactionAsync();
        if (target.Engine == DatabaseEngine.Sqlite)
            await Db.ExecAsync(connection, $"UPDATE {target.Quote(table)} SET qty = qty WHERE id = -1", transaction, default);
        else
            await Db.QueryAsync(connection, $"SELECT id FROM {target.Quote(table)} ORDER BY id LIMIT 1", transaction, default);
    }

    /// <summary>
    /// A long read transaction that has read the table: on SQLite in rollback-journal mode its
    /// shared lock keeps any writer from committing until it ends; elsewhere the same as <see cref="LockTableAsync"/>.
    /// </summary>
    public async Task ReadTableAsync(string table)
    {
        if (target.Engine != DatabaseEngine.Sqlite)
        {
            await LockTableAsync(table);
            return;
        }
        transaction ??= ((Microsoft.Data.Sqlite.SqliteConnection)connection).BeginTransaction(deferred: true);
        await Db.QueryAsync(connection, $"SELECT id FROM {target.Quote(table)} ORDER BY id LIMIT 1", transaction, default);
    }

    /// <summary>Ends the transaction (rollback); safe when the server already ended it.</summary>
    public async Task ReleaseAsync()
    {
        if (transaction is null)
            return;
        try
        {
            await transaction.RollbackAsync();
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException)
        {
            // The session is gone (a restart or a kill): its locks went with it.
        }
        await transaction.DisposeAsync();
        transaction = null;
    }

    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync();
        await connection.DisposeAsync();
    }
}
