using System.Data.Common;
using System.Globalization;
using Swap.Data;

namespace Swap.PostgreSql;

internal sealed partial class PostgresTableEngine
{
    /// <summary>The sessions holding a granted lock on the tables (pg_locks), oldest transaction first.</summary>
    public override async Task<IReadOnlyList<string>> LockHoldersAsync(DbConnection connection, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync(
            """
            SELECT a.pid, a.usename, a.application_name, host(a.client_addr) AS addr, a.state,
                   to_char(a.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS since,
                   left(regexp_replace(a.query, '\s+', ' ', 'g'), 200) AS query
            FROM pg_stat_activity a
            WHERE a.pid <> pg_backend_pid() AND a.pid IN (
                SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE l.granted AND n.nspname = @schema AND c.relname = ANY(@tables))
            ORDER BY a.xact_start NULLS LAST, a.pid
            LIMIT 5
            """,
            new { schema = database.Schema, tables = tables.ToArray() },
            null,
            cancellationToken);
        return rows.Select(r =>
        {
            var who = string.Join(", ", new[]
            {
                $"user {r["usename"]}",
                r["application_name"] is string app && app.Length > 0 ? $"application {app}" : null,
                r["addr"] is string addr ? $"from {addr}" : null,
                $"{r["state"]}",
                r["since"] is string since ? $"in a transaction since {since} UTC" : null,
            }.Where(p => p is not null));
            return string.Create(CultureInfo.InvariantCulture, $"pid {r["pid"]} ({who}), last statement: {r["query"]} (end it with SELECT pg_terminate_backend({r["pid"]}))");
        }).ToList();
    }
}
