using System.Data.Common;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.MySql;

internal sealed partial class MySqlTableEngine
{
    /// <summary>
    /// B-tree indexes over plain columns are built on the filled copy; FULLTEXT, SPATIAL and expression
    /// indexes come with the empty copy, and so does MariaDB's long UNIQUE kept as a hash (over a TEXT
    /// or BLOB column, or wider than an index key), which the server adds only under a shared lock
    /// (LOCK=NONE is refused, 1846: it adds a hidden virtual column).
    /// </summary>
    internal static bool Deferrable(IndexSchema index) =>
        index.Method is not ("FULLTEXT" or "SPATIAL") && !TableSchema.IsHash(index) && index.Columns.All(c => c.Expression is null);

    public override bool CanDeferIndex(IndexSchema index, bool afterCopyAsked) => Deferrable(index);

    /// <summary>
    /// One online ALTER (LOCK=NONE: capture keeps writing to the copy) adding the indexes the copy
    /// does not have yet; indexes an interrupted run already built are left as they are.
    /// </summary>
    public override async Task BuildIndexesAsync(DbConnection connection, SwapSpec spec, Func<Task> betweenBuilds, CancellationToken cancellationToken)
    {
        var missing = await MissingIndexesAsync(connection, spec, cancellationToken);
        if (missing.Count > 0)
            await connection.ExecuteAsync(AddIndexes(spec, missing), cancellationToken);
        await AddCarriedForeignKeysAsync(connection, spec, cancellationToken);
    }

    /// <summary>
    /// Builds the deferred indexes on the empty copy (milliseconds) and drops them again: one the
    /// server refuses (1170 a TEXT/BLOB column without a prefix length, 1071 a key too long) is
    /// refused now, the copy dropped, instead of failing the build after the whole copy.
    /// </summary>
    public override async Task CheckDeferredIndexesAsync(DbConnection connection, DbTransaction? transaction, SwapSpec spec, CancellationToken cancellationToken)
    {
        // What the copy was made with already (an AUTO_INCREMENT column's index) is neither tried nor dropped.
        var missing = await MissingIndexesAsync(connection, spec, cancellationToken);
        if (missing.Count == 0)
            return;
        try
        {
            await connection.ExecuteAsync(AddIndexes(spec, missing), cancellationToken);
        }
        catch (Exception e) when (database.IsDatabaseError(e) && !cancellationToken.IsCancellationRequested)
        {
            await connection.ExecuteAsync($"DROP TABLE IF EXISTS {D.Quote(spec.Names.Copy)}", cancellationToken);
            throw new SwapException(
                SwapErrorKind.Refused,
                $"Swap cannot change '{spec.Original.Name}' on MySQL/MariaDB: the server will not build the new table's index{(missing.Count > 1 ? "es" : "")} " +
                $"{string.Join(", ", missing.Select(i => i.Name))} ({e.Message.Replace(spec.Names.Copy, spec.Original.Name, StringComparison.Ordinal)}). " +
                "Change the index in the script (for example give a TEXT column a prefix length, or index a shorter column); nothing was changed.",
                e)
            { ServerCode = MySqlDatabase.Number(e) };
        }
        await connection.ExecuteAsync($"ALTER TABLE {D.Quote(spec.Names.Copy)} {string.Join(", ", missing.Select(i => "DROP INDEX " + D.Quote(i.Name)))}", cancellationToken);
    }

    /// <summary>The deferred indexes the copy does not have yet (by name).</summary>
    private static async Task<List<IndexSchema>> MissingIndexesAsync(DbConnection connection, SwapSpec spec, CancellationToken cancellationToken)
    {
        var existing = (await connection.QueryAsync(
                "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @table",
                new { table = spec.Names.Copy },
                cancellationToken))
            .Select(r => r.String("INDEX_NAME")!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return spec.DeferredIndexes.Where(i => !existing.Contains(i.Name)).ToList();
    }

    public override IReadOnlyList<string> BuildIndexesPlan(SwapSpec spec) =>
        [
            .. spec.DeferredIndexes.Count == 0 ? [] : new[] { AddIndexes(spec, spec.DeferredIndexes) },
            .. AddCarriedForeignKeys(spec, new HashSet<string>()) is { } fks ? new[] { "SET SESSION foreign_key_checks = 0", fks, "SET SESSION foreign_key_checks = 1" } : [],
        ];

    private string AddIndexes(SwapSpec spec, IReadOnlyList<IndexSchema> indexes)
    {
        // An index of the original is built as SHOW CREATE TABLE printed it (its COMMENT, IGNORED,
        // KEY_BLOCK_SIZE kept); a new one, or one whose columns the script changed, from its columns.
        var clauses = indexes.Select(i => i.Definition is { } text
            ? $"ADD {(i.Unique ? "UNIQUE " : "")}INDEX {D.Quote(i.Name)} {text}"
            : $"ADD {(i.Unique ? "UNIQUE " : "")}INDEX {D.Quote(i.Name)} ({string.Join(", ", i.Columns.Select(c => D.Quote(c.Name) + (c.PrefixLength is { } p ? $"({p})" : "") + (c.Descending ? " DESC" : "")))})");
        return $"ALTER TABLE {D.Quote(spec.Names.Copy)} {string.Join(", ", clauses)}, LOCK=NONE";
    }
}
