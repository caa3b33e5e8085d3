using System.Data.Common;
using Swap.Data;
using Swap.Dialects;

namespace Swap.Locking;

/// <summary>The row that says who holds the run lock, since when: written by the holder, read by whoever is refused.</summary>
internal static class LockInfo
{
    public static async Task WriteAsync(DbConnection connection, SqlDialect dialect, string table, string holder, DateTime sinceUtc, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(dialect.CreateLockInfoTable(table), cancellationToken);
        await connection.ExecuteAsync($"DELETE FROM {dialect.Quote(table)} WHERE lock_name = 'run'", cancellationToken);
        await connection.ExecuteAsync($"INSERT INTO {dialect.Quote(table)} (lock_name, holder, since) VALUES ('run', @holder, @since)", new { holder, since = sinceUtc }, null, cancellationToken);
    }

    /// <summary>The holder as recorded, with the engine's view of the holding session; null when nothing is recorded.</summary>
    public static async Task<LockHolder?> ReadAsync(SwapDatabase database, DbConnection connection, string table, string? session, CancellationToken cancellationToken)
    {
        if (!await database.TableExistsAsync(connection, table, cancellationToken))
            return null;
        var rows = await connection.QueryAsync($"SELECT holder, since FROM {database.Dialect.Quote(table)} WHERE lock_name = 'run'", null, cancellationToken);
        return rows.Count == 0 ? null : new LockHolder(rows[0].String("holder"), rows[0].Timestamp("since"), session);
    }

    /// <summary>Removes the row on release; never throws (the engine's lock is what counts).</summary>
    public static async Task ClearAsync(SwapDatabase database, DbConnection connection, string table)
    {
        try
        {
            if (await database.TableExistsAsync(connection, table, CancellationToken.None))
                await connection.ExecuteAsync($"DELETE FROM {database.Dialect.Quote(table)} WHERE lock_name = 'run'", CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or SwapException or InvalidOperationException)
        {
            // The row is advisory; a stale one is overwritten by the next holder.
        }
    }
}
