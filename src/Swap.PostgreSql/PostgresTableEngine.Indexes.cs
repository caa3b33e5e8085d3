using System.Data.Common;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.PostgreSql;

internal sealed partial class PostgresTableEngine
{
    /// <summary>Every secondary index is built on the filled copy, except an exclusion constraint's, which comes with the copy (see CreateCopy).</summary>
    public override bool CanDeferIndex(IndexSchema index) => !IsExclusion(index);

    /// <summary>
    /// Plain CREATE INDEX on the copy (parallel maintenance workers where the server allows):
    /// nobody but the applier writes the copy, and it pauses meanwhile, so nothing waits for the
    /// build and the build waits for no one's old transaction. Each build is one transaction, so an
    /// interrupted one leaves no index behind; indexes already built are kept.
    /// </summary>
    public override async Task BuildIndexesAsync(DbConnection connection, SwapSpec spec, CancellationToken cancellationToken)
    {
        foreach (var index in spec.DeferredIndexes)
        {
            var exists = await connection.ScalarAsync(
                """
                SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = @schema AND c.relname = @name
                """,
                new { schema = database.Schema, name = TempIndexName(index.Name) },
                null,
                cancellationToken);
            if (exists is null)
                await connection.ExecuteAsync(IndexDef(index, spec.Names), cancellationToken);
        }
    }

    public override IReadOnlyList<string> BuildIndexesPlan(SwapSpec spec) =>
        spec.DeferredIndexes.Select(i => IndexDef(i, spec.Names)).ToList();
}
