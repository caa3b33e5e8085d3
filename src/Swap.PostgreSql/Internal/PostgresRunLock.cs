using System.Buffers.Binary;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Swap.Data;
using Swap.Locking;

namespace Swap.PostgreSql.Internal;

/// <summary>
/// The run lock on PostgreSQL: a session advisory lock (<c>pg_try_advisory_lock</c>) on a
/// dedicated connection, released by the server if the holder's session ends.
/// </summary>
internal sealed class PostgresRunLock(PostgresDatabase database, string lockInfoTable) : SessionRunLock(database, lockInfoTable)
{
    /// <summary>A stable 64-bit key for "swap run on this database and schema".</summary>
    public static long Key(PostgresDatabase database) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("swap-run:" + database.LockScope)));

    protected override async Task<bool> TryTakeAsync(DbConnection session, CancellationToken cancellationToken) =>
        await session.ScalarAsync("SELECT pg_try_advisory_lock(@key)", new { key = Key(database) }, null, cancellationToken) is true;

    protected override async Task<bool> IsHeldByAsync(DbConnection session, CancellationToken cancellationToken)
    {
        var key = Key(database);
        var held = await session.ScalarAsync(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid() AND classid = @hi AND objid = @lo AND objsubid = 1",
            new { hi = HighOid(key), lo = LowOid(key) },
            null,
            cancellationToken);
        return Convert.ToInt64(held, System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    protected override Task ReleaseAsync(DbConnection session) =>
        session.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = Key(database) }, null, CancellationToken.None);

    protected override async Task<long?> HoldingSessionAsync(DbConnection session, CancellationToken cancellationToken)
    {
        var key = Key(database);
        var pid = await session.ScalarAsync(
            """
            SELECT l.pid FROM pg_locks l
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid = @hi AND l.objid = @lo AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """,
            new { hi = HighOid(key), lo = LowOid(key) },
            null,
            cancellationToken);
        return pid is null ? null : Convert.ToInt64(pid, System.Globalization.CultureInfo.InvariantCulture);
    }

    protected override Task TerminateSessionAsync(DbConnection session, long id, CancellationToken cancellationToken) =>
        session.ScalarAsync("SELECT pg_terminate_backend(@pid)", new { pid = (int)id }, null, cancellationToken);

    protected override Task<LockHolder?> PeekAsync(DbConnection session, CancellationToken cancellationToken) =>
        PeekAsync(database, session, LockInfoTable, cancellationToken);

    public static async Task<LockHolder?> PeekAsync(PostgresDatabase database, DbConnection connection, string lockInfoTable, CancellationToken cancellationToken)
    {
        var key = Key(database);
        var sessions = await connection.QueryAsync(
            """
            SELECT a.pid, a.usename, a.client_addr::text AS client, a.application_name, a.backend_start
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid = @hi AND l.objid = @lo AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """,
            new { hi = HighOid(key), lo = LowOid(key) },
            cancellationToken);
        if (sessions.Count == 0)
            return null;
        var s = sessions[0];
        var session = $"PostgreSQL backend pid {s.Int64("pid")}, user {s.String("usename")}, from {s.String("client") ?? "local socket"}, application '{s.String("application_name")}'";
        return await LockInfo.ReadAsync(database, connection, lockInfoTable, session, cancellationToken) ?? new LockHolder(null, s.Timestamp("backend_start"), session);
    }

    // pg_locks shows a bigint advisory key as two oids: the high and the low 32 bits.
    private static long HighOid(long key) => (long)((ulong)key >> 32);

    private static long LowOid(long key) => (long)((ulong)key & 0xFFFFFFFF);
}
