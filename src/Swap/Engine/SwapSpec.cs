using Swap.Engine.Schema;

namespace Swap.Engine;

/// <summary>
/// Everything the copy engine needs about one table being swapped: both schemas, the names of
/// Swap's objects, the key that walks the table in chunks and how each copy column is filled.
/// </summary>
internal sealed record SwapSpec
{
    public required TableSchema Original { get; init; }

    /// <summary>The copy's schema as built (after the script's changes).</summary>
    public required TableSchema Copy { get; init; }

    public required SwapNames Names { get; init; }

    /// <summary>The original's chunk key columns (primary key or a non-null unique key).</summary>
    public required IReadOnlyList<string> Key { get; init; }

    /// <summary>The same key's columns as named in the copy.</summary>
    public required IReadOnlyList<string> CopyKey { get; init; }

    /// <summary>The columns of the copy that are filled, and from what; the rest take their defaults.</summary>
    public required IReadOnlyList<ColumnMapping> Mapping { get; init; }

    /// <summary>The primary key of the swapped-in table, by its column names in the copy; empty when it has none.</summary>
    public IReadOnlyList<string> TargetPrimaryKey { get; init; } = [];

    /// <summary>
    /// The script sets the table's AUTO_INCREMENT counter (MySQL's <c>AUTO_INCREMENT = n</c>): the
    /// copy was given it, and the cut-over does not carry the original's over it.
    /// </summary>
    public bool AutoIncrementSet { get; init; }

    /// <summary>The secondary indexes the swapped-in table must have (engines that build them at the cut-over read this).</summary>
    public IReadOnlyList<IndexSchema> TargetIndexes { get; init; } = [];

    /// <summary>
    /// Secondary indexes built on the copy after the rows are copied (faster than keeping them up
    /// to date row by row); empty when the engine builds every index with the copy.
    /// </summary>
    public IReadOnlyList<IndexSchema> DeferredIndexes { get; init; } = [];

    /// <summary>
    /// The copy is filled as a bare heap, without the index on its key, which is built with the
    /// other indexes once the rows are in (much faster on PostgreSQL). Chunks then must never meet
    /// a key already in the copy, so the applier does not run until the copy is filled and indexed:
    /// the change log keeps every write of the copy phase until then, as in pg_repack.
    /// </summary>
    public bool KeyDeferred { get; init; }

    /// <summary>
    /// For a deferred key that is not a primary key (the table is keyed by a unique index over NOT
    /// NULL columns): that index among <see cref="DeferredIndexes"/>, built first like a primary key.
    /// Null when the key is a primary key, is not deferred, or the script left no such index.
    /// </summary>
    public IndexSchema? DeferredKeyIndex =>
        KeyDeferred && TargetPrimaryKey.Count == 0 ? DeferredIndexes.FirstOrDefault(i => i.IsUniqueOver(CopyKey)) : null;

    /// <summary>True when the deferred key's index is built on its own before the other indexes (the applier and verification walk the copy by it).</summary>
    public bool KeyBuiltFirst => KeyDeferred && (TargetPrimaryKey.Count > 0 || DeferredKeyIndex is not null);

    /// <summary>
    /// The copy's columns in a unique index or constraint other than the one over its key (the
    /// indexes it has and those built later), each once; null when one of them is over an
    /// expression or a column the mapping does not fill, whose values cannot be compared with the
    /// original's.
    /// </summary>
    public IReadOnlyList<string>? UniqueColumnsBesideKey()
    {
        var columns = new List<string>();
        foreach (var index in Copy.Indexes.Concat(TargetIndexes).Concat(DeferredIndexes).Where(i => i.Unique && !i.IsUniqueOver(CopyKey)))
        {
            foreach (var column in index.Columns)
            {
                if (column.Expression is not null || !Mapping.Any(m => string.Equals(m.CopyColumn, column.Name, StringComparison.OrdinalIgnoreCase)))
                    return null;
                if (!columns.Contains(column.Name, StringComparer.OrdinalIgnoreCase))
                    columns.Add(column.Name);
            }
        }
        return columns;
    }

    /// <summary>CHECK constraints the script adds (the copy holds them; a row that fails one stops the swap, exit 7).</summary>
    public IReadOnlyList<CheckSchema> NewChecks { get; init; } = [];

    /// <summary>Foreign keys the swapped-in table must hold, by their names in the target.</summary>
    public IReadOnlyList<ForeignKeySchema> TargetForeignKeys { get; init; } = [];

    /// <summary>
    /// The foreign keys of <see cref="TargetForeignKeys"/> the script adds: a row without a parent
    /// row stops the swap (exit 7), found as the copy fills (MySQL/MariaDB, SQLite) or before the
    /// cut-over (PostgreSQL, which adds foreign keys after it).
    /// </summary>
    public IReadOnlyList<ForeignKeySchema> NewForeignKeys { get; init; } = [];

    /// <summary>
    /// True for the revert of a swap (<see cref="SwapNames.Reverse"/>): the original is the swapped-in
    /// table, the copy is the former original with its own indexes and constraints under their
    /// old-table names, and the cut-over gives them their names back.
    /// </summary>
    public bool Revert { get; init; }

    /// <summary>
    /// Columns of the copy the applier fills only in rows it inserts and never overwrites: the
    /// columns a swap dropped keep their values in the old table of a revert window. When any is
    /// given, the applier updates rows in place instead of replacing them.
    /// </summary>
    public IReadOnlySet<string> InsertOnly { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when the applier must update rows of the copy in place (see <see cref="InsertOnly"/>).</summary>
    public bool UpdateInPlace => Revert && Copy.Columns.Any(c => c.Generated is null && (InsertOnly.Contains(c.Name) || !Mapping.Any(m => string.Equals(m.CopyColumn, c.Name, StringComparison.OrdinalIgnoreCase))));

    /// <summary>True when capture logs the writes to the original (an online swap): verification then skips logged keys.</summary>
    public bool Captured { get; init; }

    /// <summary>
    /// For a revert (<see cref="UpdateInPlace"/>): log ids above which a logged delete is the
    /// application's (below, the forward applier re-synced the copy by delete and insert before the
    /// cut-over). A key the application deleted leaves the old table even if a row came back under
    /// it, so that row gets the insert values, not the deleted row's. Null: not known (a window
    /// opened by an older build), deletes are not told apart.
    /// </summary>
    public long? ApplicationDeletesAfter { get; init; }

    /// <summary>True when a capture write could fail where a plain copy would not (casts, fills, new unique keys, new NOT NULL).</summary>
    public bool CaptureMayFail { get; init; }
}
