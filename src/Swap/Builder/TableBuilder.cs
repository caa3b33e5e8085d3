using Swap.Dialects;
using Swap.Engine;

namespace Swap;
/// <summary>
/// A new table, as <see cref="MigrationContext.CreateTableAsync"/> builds it: columns with portable
/// types (<see cref="DbColumn"/>), a primary key, indexes (<see cref="DbIndex"/>), foreign keys
/// (<see cref="DbForeignKey"/>) and checks. Each dialect turns it into its own DDL, so one script
/// gives equivalent tables on MySQL/MariaDB, PostgreSQL and SQLite. Mistakes are refused when the
/// script declares them, before anything is sent.
/// </summary>
/// <example><code>
/// await db.CreateTableAsync("orders", t => t
///     .Column(DbColumn.BigInt("id").Identity())
///     .Column(DbColumn.BigInt("user_id").NotNull())
///     .Column(DbColumn.Timestamp("created_at").NotNull().DefaultCurrentTimestamp())
///     .ForeignKey(DbForeignKey.Create("user_id", "users", "id").OnDelete("CASCADE"))
///     .Index(DbIndex.Create("user_id", "created_at")));
/// </code></example>
public sealed class TableBuilder
{
    private readonly List<DbColumn> columns = [];
    private readonly List<BuiltIndex> indexes = [];
    private readonly List<BuiltForeignKey> foreignKeys = [];
    private readonly List<BuiltCheck> checks = [];
    private readonly SqlDialect dialect;
    private List<string> primaryKey = [];

    internal TableBuilder(string name, SqlDialect dialect)
    {
        Name = name;
        this.dialect = dialect;
    }

    /// <summary>The table's name.</summary>
    public string Name { get; }

    /// <summary>The columns, in order.</summary>
    public IReadOnlyList<DbColumn> Columns => columns;

    /// <summary>The primary key's columns (the identity column when none was given).</summary>
    public IReadOnlyList<string> PrimaryKeyColumns => primaryKey;

    internal IReadOnlyList<BuiltIndex> Indexes => indexes;

    internal IReadOnlyList<BuiltForeignKey> ForeignKeys => foreignKeys;

    internal IReadOnlyList<BuiltCheck> Checks => checks;

    /// <summary>The identity column, if the table has one.</summary>
    internal DbColumn? IdentityColumn => columns.FirstOrDefault(c => c.IsIdentity);

    /// <summary>Adds a column (made with the <see cref="DbColumn"/> factories), after the others.</summary>
    public TableBuilder Column(DbColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (column.OriginalName is not null)
            throw Refuse($"'{column.Name}' is a column of an existing table; make a new one with the DbColumn factories (DbColumn.Int(\"{column.Name}\")...).");
        Identifiers.Validate(column.Name, "column", dialect);
        if (Find(column.Name) is not null)
            throw Refuse($"Table '{Name}' already has a column '{column.Name}'.");
        if (column.IsIdentity && IdentityColumn is { } other)
            throw Refuse($"Table '{Name}' already has the identity column '{other.Name}'; a table has at most one.");
        columns.Add(column);
        return this;
    }

    /// <summary>Makes these columns the primary key (they become NOT NULL).</summary>
    public TableBuilder PrimaryKey(params string[] keyColumns)
    {
        ArgumentNullException.ThrowIfNull(keyColumns);
        if (keyColumns.Length == 0)
            throw Refuse($"The primary key of '{Name}' needs one or more columns.");
        if (primaryKey.Count > 0)
            throw Refuse($"Table '{Name}' already has the primary key ({string.Join(", ", primaryKey)}).");
        var names = keyColumns.Select(c => Column(c, "primary key").Name).ToList();
        if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Count)
            throw Refuse($"The primary key of '{Name}' lists a column twice.");
        foreach (var c in names)
            Column(c, "primary key").NotNull();
        primaryKey = names;
        return this;
    }

    /// <summary>Adds an index or a unique index (one column or several, in order).</summary>
    public TableBuilder Index(DbIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var name = index.Name ?? index.DefaultName(Name);
        Identifiers.Validate(name, "index", dialect);
        if (indexes.Any(i => Same(i.Name, name)))
            throw Refuse($"Table '{Name}' already has an index '{name}'. Name the new one with .Named(\"...\").");
        var cols = index.Columns.Select(c => (Column(c.Column, $"index {name}").Name, c.Prefix)).ToList();
        indexes.Add(new BuiltIndex(name, cols, index.IsUnique));
        return this;
    }

    /// <summary>Adds a foreign key to another table (or to this one).</summary>
    public TableBuilder ForeignKey(DbForeignKey foreignKey)
    {
        ArgumentNullException.ThrowIfNull(foreignKey);
        var name = foreignKey.Name ?? foreignKey.DefaultName(Name);
        Identifiers.Validate(name, "foreign key", dialect);
        Identifiers.Validate(foreignKey.ReferencedTable, "table", dialect);
        if (foreignKeys.Any(f => Same(f.Name, name)))
            throw Refuse($"Table '{Name}' already has a foreign key '{name}'.");
        var cols = foreignKey.Columns.Select(c => Column(c, $"foreign key {name}").Name).ToList();
        foreach (var c in foreignKey.ReferencedColumns)
            Identifiers.Validate(c, "column", dialect);
        foreignKeys.Add(new BuiltForeignKey(name, cols, foreignKey.ReferencedTable, foreignKey.ReferencedColumns.ToList(), foreignKey.DeleteAction, foreignKey.UpdateAction));
        return this;
    }

    /// <summary>Adds a named CHECK constraint; write the expression in SQL every target engine understands.</summary>
    public TableBuilder Check(string name, string expression)
    {
        Identifiers.Validate(name, "check", dialect);
        ArgumentException.ThrowIfNullOrWhiteSpace(expression);
        if (expression.Contains(';', StringComparison.Ordinal) || expression.Contains("--", StringComparison.Ordinal) || expression.Contains("/*", StringComparison.Ordinal))
            throw Refuse($"The check '{name}' contains ';' or a comment; give one boolean expression.");
        if (checks.Any(c => Same(c.Name, name)))
            throw Refuse($"Table '{Name}' already has a check '{name}'.");
        checks.Add(new BuiltCheck(name, expression));
        return this;
    }

    /// <summary>Checks what only the whole table can tell, once the script's definition is complete.</summary>
    internal void Complete()
    {
        if (columns.Count == 0)
            throw Refuse($"Table '{Name}' has no columns; add them with .Column(DbColumn...).");
        if (IdentityColumn is { } identity)
        {
            if (primaryKey.Count == 0)
                primaryKey = [identity.Name];
            else if (primaryKey.Count != 1 || !Same(primaryKey[0], identity.Name))
                throw Refuse($"The identity column '{identity.Name}' must be the whole primary key of '{Name}' (SQLite allows nothing else), not ({string.Join(", ", primaryKey)}).");
        }
    }

    private DbColumn? Find(string name) => columns.FirstOrDefault(c => Same(c.Name, name));

    private DbColumn Column(string name, string usedBy) =>
        Find(name) ?? throw Refuse($"The {usedBy} of '{Name}' names the column '{name}', which the table does not have. Its columns are: {(columns.Count == 0 ? "none yet (declare columns first)" : string.Join(", ", columns.Select(c => c.Name)))}.");

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static SwapException Refuse(string message) => new(SwapErrorKind.Refused, message);
}

/// <summary>An index of a built table, with its name decided.</summary>
internal sealed record BuiltIndex(string Name, IReadOnlyList<(string Column, int? Prefix)> Columns, bool Unique);

/// <summary>A foreign key of a built table, with its name decided.</summary>
internal sealed record BuiltForeignKey(string Name, IReadOnlyList<string> Columns, string ReferencedTable, IReadOnlyList<string> ReferencedColumns, string? OnDelete, string? OnUpdate);

/// <summary>A named CHECK constraint.</summary>
internal sealed record BuiltCheck(string Name, string Expression);
