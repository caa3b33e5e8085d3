using Npgsql;
using System.Data.Common;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.PostgreSql;

internal sealed partial class PostgresTableEngine
{
    /// <summary>Every secondary index is built on the filled copy, except an exclusion constraint's, which comes with the copy (see CreateCopy).</summary>
    public override bool CanDeferIndex(IndexSchema index, bool afterCopyAsked) => !IsExclusion(index);

    /// <summary>A plain CREATE INDEX uses parallel maintenance workers where the server allows (<c>max_parallel_maintenance_workers</c>, 2 by default).</summary>
    public override bool IndexBuildsUseParallelWorkers => true;

    /// <summary>False: the swapped-in table gets the script's new foreign keys NOT VALID after the cut-over (see <see cref="AfterCutOver"/>).</summary>
    public override bool CopyChecksNewForeignKeys => false;

    /// <summary>A session setting, so that each build (its own transaction) keeps it; RESET returns to the server's.</summary>
    public override Task SetSerialBuildsAsync(DbConnection connection, bool serial, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(serial ? "SET max_parallel_maintenance_workers = 0" : "RESET max_parallel_maintenance_workers", cancellationToken);

    /// <summary>
    /// Plain CREATE INDEX on the copy (parallel maintenance workers where the server allows):
    /// nobody but the applier writes the copy, and it pauses meanwhile, so nothing waits for the
    /// build and the build waits for no one's old transaction. Each build is one transaction, so an
    /// interrupted one leaves no index behind; indexes already built are kept.
    /// </summary>
    public override Task BuildIndexesAsync(DbConnection connection, SwapSpec spec, Func<Task> betweenBuilds, CancellationToken cancellationToken) =>
        BuildAsync(connection, spec, Builds(spec), cancellationToken);

    public override Task BuildKeyIndexAsync(DbConnection connection, SwapSpec spec, CancellationToken cancellationToken) =>
        BuildAsync(connection, spec, Builds(spec).Take(spec.KeyBuiltFirst ? 1 : 0), cancellationToken);

    private async Task BuildAsync(DbConnection connection, SwapSpec spec, IEnumerable<(string Name, string Sql)> builds, CancellationToken cancellationToken)
    {
        foreach (var (name, sql) in builds)
        {
            var exists = await connection.ScalarAsync(
                """
                SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = @schema AND c.relname = @name
                """,
                new { schema = database.Schema, name },
                null,
                cancellationToken);
            if (exists is null)
            {
                try
                {
                    await connection.ExecuteAsync(sql, cancellationToken);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && spec.KeyBuiltFirst && name == KeyIndexName(spec))
                {
                    // A bare copy can hold a key twice when two runners copied the same range (a runner
                    // that lost its run lock committed one more chunk after another had resumed). Every
                    // write since capture started is in the change log, which the applier replays once
                    // the key exists: the copies of a key are equal unless the key is logged, and then
                    // the applier replaces them all. Keep one of each and build the key again.
                    await connection.ExecuteAsync(DedupeKeys(spec), cancellationToken);
                    await connection.ExecuteAsync(sql, cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// The copy was filled as a bare heap (<see cref="DefersKey"/>): the key's unique index comes
    /// first (the applier needs it), then the secondary indexes.
    /// </summary>
    public override bool DefersKey => true;

    /// <summary>Deletes all but one row of each key of a bare copy.</summary>
    private string DedupeKeys(SwapSpec spec)
    {
        var copy = D.Quote(spec.Names.Copy);
        var key = string.Join(", ", (spec.TargetPrimaryKey.Count > 0 ? spec.TargetPrimaryKey : spec.CopyKey).Select(D.Quote));
        return $"DELETE FROM {copy} c USING (SELECT ctid, row_number() OVER (PARTITION BY {key}) AS n FROM {copy}) d WHERE c.ctid = d.ctid AND d.n > 1";
    }

    public override IReadOnlyList<string> BuildIndexesPlan(SwapSpec spec) => Builds(spec).Select(b => b.Sql).ToList();

    /// <summary>The name of the deferred key's index on the copy: the primary key's, else the unique index that keys the table.</summary>
    private string KeyIndexName(SwapSpec spec) =>
        TempIndexName(spec.TargetPrimaryKey.Count > 0 ? PrimaryKeyName(spec.Original) : spec.DeferredKeyIndex!.Name);

    /// <summary>The deferred key first (a primary key, or the unique index that keys a table without one), then the other deferred indexes.</summary>
    private IEnumerable<(string Name, string Sql)> Builds(SwapSpec spec)
    {
        if (spec.KeyDeferred && spec.TargetPrimaryKey.Count > 0)
        {
            yield return (TempIndexName(PrimaryKeyName(spec.Original)), IsPartitioned(spec.Copy)
                ? KeyConstraintDef(spec.Original, spec.TargetPrimaryKey, D.Quote(spec.Names.Copy))
                : KeyIndexDef(spec.Original, spec.TargetPrimaryKey, D.Quote(spec.Names.Copy)));
        }
        var keyIndex = spec.DeferredKeyIndex;
        foreach (var index in spec.DeferredIndexes.OrderBy(i => i == keyIndex ? 0 : 1))
        {
            yield return (TempIndexName(index.Name), IsPartitioned(spec.Copy) && IsUniqueConstraint(index)
                ? UniqueConstraintDef(index, D.Quote(spec.Names.Copy))
                : IndexDef(index, spec.Names));
        }
    }
}
