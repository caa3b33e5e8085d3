using System.Data.Common;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.MySql;

internal sealed partial class MySqlTableEngine
{
    /// <summary>B-tree indexes over plain columns are built on the filled copy; FULLTEXT, SPATIAL and expression indexes come with the empty copy.</summary>
    internal static bool Deferrable(IndexSchema index) =>
        index.Method is not ("FULLTEXT" or "SPATIAL") && index.Columns.All(c => c.Expression is null);

    public override bool CanDeferIndex(IndexSchema index, bool afterCopyAsked) => Deferrable(index);

    /// <summary>
    /// One online ALTER (LOCK=NONE: capture keeps writing to the copy) adding the indexes the copy
    /// does not have yet; indexes an interrupted run already built are left as they are.
    /// </summary>
    public override async Task BuildIndexesAsync(DbConnection connection, SwapSpec spec, Func<Task> betweenBuilds, CancellationToken cancellationToken)
    {
        var existing = (await connection.QueryAsync(
                "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @table",
                new { table = spec.Names.Copy },
                cancellationToken))
            .Select(r => r.String("INDEX_NAME")!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = spec.DeferredIndexes.Where(i => !existing.Contains(i.Name)).ToList();
        if (missing.Count > 0)
            await connection.ExecuteAsync(AddIndexes(spec, missing), cancellationToken);
        await AddCarriedForeignKeysAsync(connection, spec, cancellationToken);
    }

    public override IReadOnlyList<string> BuildIndexesPlan(SwapSpec spec) =>
        [
            .. spec.DeferredIndexes.Count == 0 ? [] : new[] { AddIndexes(spec, spec.DeferredIndexes) },
            .. AddCarriedForeignKeys(spec, new HashSet<string>()) is { } fks ? new[] { "SET SESSION foreign_key_checks = 0", fks, "SET SESSION foreign_key_checks = 1" } : [],
        ];

    private string AddIndexes(SwapSpec spec, IReadOnlyList<IndexSchema> indexes)
    {
        var clauses = indexes.Select(i =>
            $"ADD {(i.Unique ? "UNIQUE " : "")}INDEX {D.Quote(i.Name)} ({string.Join(", ", i.Columns.Select(c => D.Quote(c.Name) + (c.PrefixLength is { } p ? $"({p})" : "") + (c.Descending ? " DESC" : "")))})");
        return $"ALTER TABLE {D.Quote(spec.Names.Copy)} {string.Join(", ", clauses)}, LOCK=NONE";
    }
}
