namespace Swap.Engine.Schema;

/// <summary>
/// What the catalog says about a table: columns in order, keys, indexes, foreign keys and
/// triggers. Serializable, so a resumed run rebuilds the same model from the journal.
/// </summary>
internal sealed record TableSchema
{
    public required string Name { get; init; }

    public required IReadOnlyList<ColumnSchema> Columns { get; init; }

    /// <summary>The primary key's columns, in key order; empty when there is none.</summary>
    public IReadOnlyList<string> PrimaryKey { get; init; } = [];

    /// <summary>The name of the primary key constraint, where the engine names it.</summary>
    public string? PrimaryKeyName { get; init; }

    /// <summary>Secondary indexes and unique constraints (not the primary key).</summary>
    public IReadOnlyList<IndexSchema> Indexes { get; init; } = [];

    /// <summary>Foreign keys this table holds (it is the child).</summary>
    public IReadOnlyList<ForeignKeySchema> ForeignKeys { get; init; } = [];

    /// <summary>Foreign keys of other tables that point at this table.</summary>
    public IReadOnlyList<ForeignKeySchema> ReferencedBy { get; init; } = [];

    /// <summary>The user's own triggers on the table.</summary>
    public IReadOnlyList<TriggerSchema> Triggers { get; init; } = [];

    /// <summary>Table-level CHECK constraints (name, expression), where the engine reports them.</summary>
    public IReadOnlyList<CheckSchema> Checks { get; init; } = [];

    /// <summary>The engine's own estimate of the row count (may be stale).</summary>
    public long EstimatedRows { get; init; }

    /// <summary>
    /// The engine's estimate of the bytes the table's rows take, values stored apart from the row
    /// included (InnoDB's off-page columns, PostgreSQL's TOAST); 0 when the engine does not say.
    /// With <see cref="EstimatedRows"/> it sizes the chunks of wide rows (<see cref="RowBytes"/>).
    /// </summary>
    public long EstimatedBytes { get; init; }

    /// <summary>The average bytes of one row by the estimates, or null when either is unknown.</summary>
    public long? RowBytes => EstimatedBytes > 0 && EstimatedRows > 0 ? Math.Max(1, EstimatedBytes / EstimatedRows) : null;

    /// <summary>Engine-specific facts the dialect needs again later (e.g. SQLite's CREATE TABLE text).</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    public ColumnSchema? Column(string name) => Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The key used to walk the table in chunks: the primary key, else the first unique index over non-null columns.</summary>
    public IReadOnlyList<string>? ChunkKey() => PrimaryKey.Count > 0 ? PrimaryKey : KeyIndex()?.Columns.Select(c => c.Name).ToList();

    /// <summary>
    /// The unique index that is the chunk key of a table without a primary key (the first unique
    /// index over non-null plain columns, fewest columns first), or null.
    /// </summary>
    private IndexSchema? KeyIndex() => PrimaryKey.Count > 0
        ? null
        : Indexes
            .Where(CanKey)
            .OrderBy(i => i.Columns.Count)
            .FirstOrDefault();

    /// <summary>A unique index over NOT NULL plain columns, without a predicate: one that can key the table (Swap's chunk key; InnoDB's clustered index when there is no primary key).</summary>
    public bool CanKey(IndexSchema index) =>
        index.Unique && index.Predicate is null && !IsHash(index) && index.Columns.All(c => c.Expression is null && c.PrefixLength is null && Column(c.Name) is { Nullable: false });

    /// <summary>
    /// A unique index the engine keeps as a hash of the values (MariaDB's long UNIQUE over a TEXT or
    /// BLOB column, or over columns wider than an index key, lists its type as HASH): it neither orders
    /// the rows nor finds one by its values, so it cannot key a walk in key order or a lookup by key.
    /// </summary>
    public static bool IsHash(IndexSchema index) => string.Equals(index.Method, "HASH", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One column as the catalog describes it.</summary>
/// <param name="NativeType">The engine's type text, e.g. <c>varchar(255)</c>, <c>bigint unsigned</c>, <c>timestamp(6) with time zone</c>.</param>
/// <param name="Default">The default as an SQL expression, or null.</param>
/// <param name="AutoIncrement">MySQL AUTO_INCREMENT, PostgreSQL identity or serial, SQLite INTEGER PRIMARY KEY AUTOINCREMENT.</param>
/// <param name="Generated">The expression of a generated column, or null.</param>
internal sealed record ColumnSchema(
    string Name,
    string NativeType,
    bool Nullable,
    string? Default = null,
    bool AutoIncrement = false,
    string? Generated = null,
    string? Collation = null,
    string? Comment = null)
{
    /// <summary>Engine-specific details (identity kind, serial sequence, the column's DDL text on SQLite).</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();
}

/// <summary>One index or unique constraint.</summary>
/// <param name="IsConstraint">True for a UNIQUE constraint (PostgreSQL distinguishes it from a unique index).</param>
/// <param name="Predicate">A partial index's WHERE clause, or null.</param>
/// <param name="Definition">The engine's own definition text, to recreate it faithfully.</param>
internal sealed record IndexSchema(
    string Name,
    IReadOnlyList<IndexColumn> Columns,
    bool Unique,
    bool IsConstraint = false,
    string? Predicate = null,
    string? Method = null,
    string? Definition = null)
{
    /// <summary>True for a unique index over exactly <paramref name="key"/>'s plain columns, in order, without a predicate: an index that can serve as that key.</summary>
    public bool IsUniqueOver(IReadOnlyList<string> key) =>
        Unique && Predicate is null && Columns.Count == key.Count
        && Columns.Select((c, i) => c.Expression is null && c.PrefixLength is null && string.Equals(c.Name, key[i], StringComparison.OrdinalIgnoreCase)).All(x => x);
}

/// <summary>A column of an index, with its prefix length (MySQL) or an expression.</summary>
internal sealed record IndexColumn(string Name, int? PrefixLength = null, bool Descending = false, string? Expression = null);

/// <summary>A foreign key.</summary>
internal sealed record ForeignKeySchema(
    string Name,
    string Table,
    IReadOnlyList<string> Columns,
    string ReferencedTable,
    IReadOnlyList<string> ReferencedColumns,
    string? OnDelete = null,
    string? OnUpdate = null,
    string? Definition = null)
{
    /// <summary>The schema of <see cref="Table"/> (PostgreSQL) when it is not the one Swap works in; null when it is.</summary>
    public string? Schema { get; init; }

    /// <summary>The schema of <see cref="ReferencedTable"/> (PostgreSQL) when it is not the one Swap works in; null when it is.</summary>
    public string? ReferencedSchema { get; init; }
}

/// <summary>
/// A trigger: its name, timing and event, and the engine's full definition. On MySQL/MariaDB, where
/// a trigger is recreated from its parts, also its body, the sql_mode it was created under, its
/// definer and its place among the triggers of the same timing and event.
/// </summary>
internal sealed record TriggerSchema(string Name, string Definition, string? Timing = null, string? Event = null)
{
    /// <summary>The statement the trigger runs (MySQL <c>ACTION_STATEMENT</c>).</summary>
    public string? Body { get; init; }

    /// <summary>The sql_mode the trigger was created under; it runs under it.</summary>
    public string? SqlMode { get; init; }

    /// <summary>The account the trigger runs as, <c>user@host</c>.</summary>
    public string? Definer { get; init; }

    /// <summary>Its place among the table's triggers of the same timing and event (1 first).</summary>
    public int Order { get; init; }
}

/// <summary>A CHECK constraint.</summary>
internal sealed record CheckSchema(string Name, string Expression, string? Definition = null);
