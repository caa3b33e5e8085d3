using System.Data.Common;
using System.Globalization;
using Swap.Data;
using Swap.Locking;

namespace Swap.MySql.Internal;

/// <summary>
/// The run lock on MySQL: <c>GET_LOCK</c> on a dedicated connection (asked with a zero wait and
/// polled, so the wait is bounded and cancellable), released by the server when its session ends.
/// </summary>
internal sealed class MySqlRunLock(MySqlDatabase database, string lockInfoTable) : RunLock
{
    private DbConnection? connection;

    public override async Task<bool> TryAcquireAsync(string holder, DateTime sinceUtc, CancellationToken cancellationToken)
    {
        connection ??= await database.OpenConnectionAsync(cancellationToken);
        var got = await connection.ScalarAsync("SELECT GET_LOCK(@name, 0)", new { name = database.LockName }, null, cancellationToken);
        if (Convert.ToInt64(got, CultureInfo.InvariantCulture) != 1)
            return false;
        await LockInfo.WriteAsync(connection, database.Dialect, lockInfoTable, holder, sinceUtc, cancellationToken);
        return true;
    }

    public override async Task<LockHolder?> DescribeHolderAsync(CancellationToken cancellationToken)
    {
        connection ??= await database.OpenConnectionAsync(cancellationToken);
        return await PeekAsync(database, connection, lockInfoTable, cancellationToken);
    }

    public override async Task<bool> StillHeldAsync(CancellationToken cancellationToken)
    {
        if (connection is null)
            return false;
        try
        {
            var mine = await connection.ScalarAsync("SELECT IS_USED_LOCK(@name) = CONNECTION_ID()", new { name = database.LockName }, null, cancellationToken);
            return mine is not null && Convert.ToInt64(mine, CultureInfo.InvariantCulture) == 1;
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            return false;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (connection is null)
            return;
        await LockInfo.ClearAsync(database, connection, lockInfoTable);
        try
        {
            await connection.ScalarAsync("SELECT RELEASE_LOCK(@name)", new { name = database.LockName }, null, CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // Closing the session releases the lock anyway.
        }
        await connection.DisposeAsync();
        connection = null;
    }

    public static async Task<LockHolder?> PeekAsync(MySqlDatabase database, DbConnection connection, string lockInfoTable, CancellationToken cancellationToken)
    {
        var id = await connection.ScalarAsync("SELECT IS_USED_LOCK(@name)", new { name = database.LockName }, null, cancellationToken);
        if (id is null)
            return null;
        var sessions = await connection.QueryAsync("SELECT USER, HOST, TIME FROM information_schema.PROCESSLIST WHERE ID = @id", new { id }, cancellationToken);
        var session = sessions.Count == 0 ? $"connection {id}" : $"connection {id}, user {sessions[0].String("USER")} from {sessions[0].String("HOST")}";
        return await LockInfo.ReadAsync(database, connection, lockInfoTable, session, cancellationToken) ?? new LockHolder(null, null, session);
    }
}
