using System.Data.Common;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.PostgreSql;

internal sealed partial class PostgresTableEngine
{
    /// <summary>
    /// CREATE INDEX CONCURRENTLY waits until every transaction of this database that is older than
    /// it has ended (it blocks no one meanwhile), so an application's idle-in-transaction session
    /// holds it up; say which, so an operator can see what the swap waits for. Only transactions
    /// open for a second or more count: a writer committing every few milliseconds delays the
    /// build by no more than that. Ages are taken from clock_timestamp(), not now() (the start of
    /// this statement's own transaction, later than transactions that began meanwhile).
    /// </summary>
    public override async Task<string?> IndexBuildWaitsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.ScalarAsync(
            """
            SELECT count(*) || ' transaction(s) of this database are open; building the copy''s indexes waits until they end (oldest: pid '
                   || (array_agg(pid ORDER BY xact_start))[1] || ', ' || coalesce((array_agg(usename ORDER BY xact_start))[1], '?')
                   || ', ' || (array_agg(state ORDER BY xact_start))[1] || ', open '
                   || floor(extract(epoch FROM clock_timestamp() - min(xact_start)))::bigint || ' s; pids, oldest first: '
                   || array_to_string((array_agg(pid ORDER BY xact_start))[1:10], ', ') || CASE WHEN count(*) > 10 THEN ', ...' ELSE '' END || ')'
            FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start < clock_timestamp() - interval '1 second' AND backend_type = 'client backend'
            HAVING count(*) > 0
            """,
            null,
            null,
            cancellationToken) as string;

    /// <summary>Every secondary index is built on the filled copy; exclusion constraints are refused earlier.</summary>
    public override bool CanDeferIndex(IndexSchema index) => true;

    /// <summary>
    /// CREATE INDEX CONCURRENTLY on the copy: capture keeps writing to it meanwhile. An index an
    /// interrupted build left invalid is dropped and built again; a valid one is kept.
    /// </summary>
    public override async Task BuildIndexesAsync(DbConnection connection, SwapSpec spec, CancellationToken cancellationToken)
    {
        // The build waits for transactions older than itself without blocking anyone, so it may wait long.
        var previous = (string?)await connection.ScalarAsync("SHOW lock_timeout", cancellationToken) ?? "0";
        await connection.ExecuteAsync("SET lock_timeout = '10min'", cancellationToken);
        try
        {
            foreach (var index in spec.DeferredIndexes)
            {
                var temp = TempIndexName(index.Name);
                var valid = await connection.ScalarAsync(
                    """
                    SELECT i.indisvalid FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = @schema AND c.relname = @name
                    """,
                    new { schema = database.Schema, name = temp },
                    null,
                    cancellationToken);
                if (valid is true)
                    continue;
                if (valid is false)
                    await connection.ExecuteAsync($"DROP INDEX CONCURRENTLY IF EXISTS {Q(temp)}", cancellationToken);
                await connection.ExecuteAsync(IndexDef(index, spec.Names, concurrently: true), cancellationToken);
            }
        }
        finally
        {
            await connection.ExecuteAsync("SELECT set_config('lock_timeout', @previous, false)", new { previous }, null, CancellationToken.None);
        }
    }

    public override IReadOnlyList<string> BuildIndexesPlan(SwapSpec spec) =>
        spec.DeferredIndexes.Select(i => IndexDef(i, spec.Names, concurrently: true)).ToList();
}
