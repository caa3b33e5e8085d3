using System.Data.Common;
using Swap.Data;
using Swap.Locking;

namespace Swap.Sqlite.Internal;

/// <summary>
/// The run lock on SQLite: an exclusive OS lock on a file next to the database
/// (<c>&lt;db&gt;.swap-lock</c>), released by the OS when the holder dies, plus a row in the
/// lock info table that says who holds it since when.
/// </summary>
internal sealed class SqliteRunLock(SqliteDatabase database, string lockInfoTable) : RunLock
{
    private FileStream? file;

    private static string LockPath(SqliteDatabase database) => database.Path + ".swap-lock";

    public override async Task<bool> TryAcquireAsync(string holder, DateTime sinceUtc, CancellationToken cancellationToken)
    {
        if (database.Path == ":memory:")
            return true;
        database.RefuseFolder();
        try
        {
            file = new FileStream(LockPath(database), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (DirectoryNotFoundException)
        {
            throw new SwapException(SwapErrorKind.Connection, $"The folder of the SQLite database {database.Path} does not exist. Create it, or fix the path in --db or SWAP_DB.");
        }
        catch (UnauthorizedAccessException)
        {
            // Not a held lock: this user may not create or write the lock file (a read-only folder, a file of another user).
            throw new SwapException(
                SwapErrorKind.Connection,
                $"Swap cannot create or open its run lock file {LockPath(database)}: access is denied. " +
                $"Run swap as a user that may write the database and its folder {System.IO.Path.GetDirectoryName(database.Path)} " +
                "(SQLite creates its journal files there too). Nothing was changed.");
        }
        catch (IOException)
        {
            return false;
        }
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await LockInfo.WriteAsync(connection, database.Dialect, lockInfoTable, holder, sinceUtc, cancellationToken);
            return true;
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public override async Task<LockHolder?> DescribeHolderAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadInfoAsync(database, connection, lockInfoTable, cancellationToken) ?? new LockHolder(null, null, "lock file " + LockPath(database));
    }

    public override Task<bool> StillHeldAsync(CancellationToken cancellationToken) => Task.FromResult(file is not null || database.Path == ":memory:");

    public override async ValueTask DisposeAsync()
    {
        if (file is null)
            return;
        try
        {
            // A refused first run removed the file it had created: opening it would make it again.
            if (database.StoreExists)
            {
                await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
                await LockInfo.ClearAsync(database, connection, lockInfoTable);
            }
        }
        catch (SwapException)
        {
            // The info row is advisory; the OS lock below is what counts.
        }
        await file.DisposeAsync();
        file = null;
    }

    /// <summary>Who holds the lock, without keeping it: a brief try on the lock file tells whether anyone does.</summary>
    public static async Task<LockHolder?> PeekAsync(SqliteDatabase database, DbConnection connection, string lockInfoTable, CancellationToken cancellationToken)
    {
        if (database.Path == ":memory:")
            return null;
        try
        {
            // Read access is enough to try the exclusive lock, so a user who may only read the database can ask.
            await using (new FileStream(LockPath(database), FileMode.Open, FileAccess.Read, FileShare.None))
            {
                return null;
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            // This user cannot open the lock file at all: the info row is all there is to go on.
            return await ReadInfoAsync(database, connection, lockInfoTable, cancellationToken);
        }
        catch (IOException)
        {
            return await ReadInfoAsync(database, connection, lockInfoTable, cancellationToken) ?? new LockHolder(null, null, "lock file " + LockPath(database));
        }
    }

    private static Task<LockHolder?> ReadInfoAsync(SqliteDatabase database, DbConnection connection, string lockInfoTable, CancellationToken cancellationToken) =>
        LockInfo.ReadAsync(database, connection, lockInfoTable, null, cancellationToken);
}
