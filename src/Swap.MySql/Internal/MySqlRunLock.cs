using System.Data.Common;
using System.Globalization;
using Swap.Data;
using Swap.Locking;

namespace Swap.MySql.Internal;

/// <summary>
/// The run lock on MySQL: <c>GET_LOCK</c> on a dedicated connection (asked with a zero wait and
/// polled, so the wait is bounded and cancellable), released by the server when its session ends.
/// </summary>
internal sealed class MySqlRunLock(MySqlDatabase database, string lockInfoTable) : SessionRunLock(database, lockInfoTable)
{
    protected override async Task<bool> TryTakeAsync(DbConnection session, CancellationToken cancellationToken) =>
        Convert.ToInt64(await session.ScalarAsync("SELECT GET_LOCK(@name, 0)", new { name = database.LockName }, null, cancellationToken), CultureInfo.InvariantCulture) == 1;

    protected override async Task<bool> IsHeldByAsync(DbConnection session, CancellationToken cancellationToken) =>
        await session.ScalarAsync("SELECT IS_USED_LOCK(@name) = CONNECTION_ID()", new { name = database.LockName }, null, cancellationToken) is { } mine
        && Convert.ToInt64(mine, CultureInfo.InvariantCulture) == 1;

    protected override Task ReleaseAsync(DbConnection session) =>
        session.ScalarAsync("SELECT RELEASE_LOCK(@name)", new { name = database.LockName }, null, CancellationToken.None);

    protected override async Task<long?> HoldingSessionAsync(DbConnection session, CancellationToken cancellationToken) =>
        await session.ScalarAsync("SELECT IS_USED_LOCK(@name)", new { name = database.LockName }, null, cancellationToken) is { } id
            ? Convert.ToInt64(id, CultureInfo.InvariantCulture)
            : null;

    protected override async Task TerminateSessionAsync(DbConnection session, long id, CancellationToken cancellationToken)
    {
        try
        {
            await session.ExecuteAsync("KILL CONNECTION " + id.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }
        catch (MySqlConnector.MySqlException e) when (e.ErrorCode == MySqlConnector.MySqlErrorCode.NoSuchThread)
        {
            // It ended on its own meanwhile.
        }
    }

    protected override Task<LockHolder?> PeekAsync(DbConnection session, CancellationToken cancellationToken) =>
        PeekAsync(database, session, LockInfoTable, cancellationToken);

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
