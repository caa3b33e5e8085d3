using System.Data.Common;
using System.Globalization;
using Swap.Data;

namespace Swap.MySql;

internal sealed partial class MySqlTableEngine
{
    /// <summary>
    /// MySQL/MariaDB show a metadata lock's holder only with a plugin or performance_schema
    /// instrument that is usually off: the sessions that may hold the table are those with an open
    /// transaction or a running statement (not the ones waiting for a metadata lock), oldest first.
    /// </summary>
    public override async Task<IReadOnlyList<string>> LockHoldersAsync(DbConnection connection, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync(
            """
            SELECT p.ID AS id, p.USER AS user, p.HOST AS host, p.COMMAND AS command, p.TIME AS time,
                   DATE_FORMAT(t.trx_started, '%Y-%m-%d %H:%i:%s') AS since, LEFT(REPLACE(p.INFO, '\n', ' '), 200) AS query
            FROM information_schema.PROCESSLIST p LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID
            WHERE p.ID <> CONNECTION_ID() AND p.DB = DATABASE() AND p.COMMAND IN ('Query', 'Sleep', 'Execute')
              AND (t.trx_id IS NOT NULL OR (p.COMMAND <> 'Sleep' AND p.TIME > 0))
              AND COALESCE(p.STATE, '') NOT LIKE 'Waiting for%lock%'
            ORDER BY COALESCE(t.trx_started, NOW() - INTERVAL p.TIME SECOND), p.ID
            LIMIT 5
            """,
            null,
            null,
            cancellationToken);
        return rows.Select(r =>
        {
            var what = r["since"] is string since ? $"in a transaction since {since}" : $"running for {r["time"]} s";
            var query = r["query"] is string q ? $"running: {q}" : "idle";
            return string.Create(CultureInfo.InvariantCulture, $"thread {r["id"]} (user {r["user"]}@{r["host"]}, {what}, {query}; end it with KILL {r["id"]})");
        }).ToList();
    }

    public override bool LockHoldersExact => false;
}
