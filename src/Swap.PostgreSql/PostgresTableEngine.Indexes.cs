using System.Data.Common;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.PostgreSql;

internal sealed partial class PostgresTableEngine
{
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
