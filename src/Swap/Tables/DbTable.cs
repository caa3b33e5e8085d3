using Swap.Engine;
using Swap.Dialects;
using Swap.Engine.Schema;

namespace Swap;
/// <summary>
/// A table being changed through its copy: the engineer. Every change is checked when it is made
/// (unknown or duplicate columns, indexes on missing columns) and applied to the empty copy when
/// the script calls <see cref="MigrationContext.DoneUsingTablesAsync"/>. Tables returned by
/// <see cref="MigrationContext.LoadTableAsync"/> describe a live table and cannot be changed.
/// </summary>
public sealed partial class DbTable
{
    private readonly List<DbColumn> columns;
    private readonly List<IndexModel> indexes;

    /// <summary>Keys this change dropped (their implicit MySQL indexes may follow the columns).</summary>
    private readonly List<ForeignKeyModel> droppedForeignKeys = [];
    private readonly List<ForeignKeyModel> foreignKeys;
    private readonly List<CheckModel> checks;
    private readonly List<string> changes = [];
    private List<string> primaryKey;

    internal DbTable(TableSchema original, string copyName, SqlDialect dialect, bool readOnly)
    {
        Original = original;
        CopyName = copyName;
        Dialect = dialect;
        ReadOnly = readOnly;
        columns = original.Columns.Select(DbColumn.FromSchema).ToList();
        indexes = original.Indexes.Select(i => new IndexModel(i.Name, i.Columns.Select(c => (c.Name, c.PrefixLength)).ToList(), i.Unique, i)).ToList();
        foreignKeys = original.ForeignKeys.Select(f => new ForeignKeyModel(f.Name, f.Columns.ToList(), f.ReferencedTable, f.ReferencedColumns.ToList(), f.OnDelete, f.OnUpdate, f)).ToList();
        checks = original.Checks.Select(c => new CheckModel(c.Name, c.Expression, c)).ToList();
        primaryKey = original.PrimaryKey.ToList();
    }

    /// <summary>The table's name (the original's, which the copy takes at the swap).</summary>
    public string Name => Original.Name;

    /// <summary>The name of the copy while it is being built.</summary>
    public string CopyName { get; }

    /// <summary>The engine the table lives on, for scripts that differ by engine.</summary>
    public DatabaseEngine Engine => Dialect.Engine;

    /// <summary>The columns the table will have, in order.</summary>
    public IReadOnlyList<DbColumn> Columns => columns;

    /// <summary>The primary key's columns after the change.</summary>
    public IReadOnlyList<string> PrimaryKey => primaryKey;

    /// <summary>Index names after the change.</summary>
    public IReadOnlyList<string> IndexNames => indexes.Select(i => i.Name).ToList();

    /// <summary>The estimated number of rows of the live table.</summary>
    public long EstimatedRows => Original.EstimatedRows;

    internal TableSchema Original { get; }

    internal SqlDialect Dialect { get; }

    internal bool ReadOnly { get; }

    internal IReadOnlyList<IndexModel> Indexes => indexes;

    internal IReadOnlyList<ForeignKeyModel> ForeignKeys => foreignKeys;

    /// <summary>The table's named CHECK constraints after the change: the original's that stay, then the new ones.</summary>
    internal IReadOnlyList<CheckModel> Checks => checks;

    /// <summary>The names of the table's CHECK constraints after the change (table-level ones the catalog names; a MariaDB column's own CHECK is part of its column).</summary>
    public IReadOnlyList<string> CheckNames => checks.Select(c => c.Name).ToList();

    /// <summary>What the script asked for, in words and in order; also the change set's identity in the journal.</summary>
    public IReadOnlyList<string> Changes => changes;

    /// <summary>True when the table, as changed so far, has a column of that name (case-insensitive).</summary>
    public bool HasColumn(string name) => Find(name) is not null;

    /// <summary>The column of that name; a clear error if there is none.</summary>
    public DbColumn GetColumn(string name) =>
        Find(name) ?? throw Refuse($"Table '{Name}' has no column '{name}'. {ColumnList()}");

    /// <summary>The table's columns as they are in the database, and apart from them the ones this script adds (listing those as existing misled).</summary>
    private string ColumnList()
    {
        var added = columns.Where(c => c.OriginalName is null).Select(c => c.Name).ToList();
        return $"Its columns are: {string.Join(", ", columns.Where(c => c.OriginalName is not null).Select(c => c.Name))}"
            + (added.Count > 0 ? $"; this script adds {string.Join(", ", added)}." : ".");
    }

    /// <summary>
    /// Adds a column, at the end, or right after the column <paramref name="after"/>, or first.
    /// Existing rows get the column's <see cref="DbColumn.FillWith"/> expression, else its default.
    /// </summary>
    public DbTable AddColumn(DbColumn column, string? after = null, bool first = false)
    {
        ArgumentNullException.ThrowIfNull(column);
        Writable();
        if (column.OriginalName is not null)
            throw Refuse($"'{column.Name}' is an existing column; change it through GetColumn(\"{column.Name}\") instead of adding it.");
        if (column.IsIdentity)
            throw Refuse($"'{column.Name}' is an identity column; identities can only be declared on new tables (CreateTableAsync), not added to an existing one.");
        ValidateName(column.Name, "column");
        if (Find(column.Name) is not null)
            throw Refuse($"Table '{Name}' already has a column '{column.Name}'. Pick another name, or change the existing column with GetColumn(\"{column.Name}\").");
        if (after is not null && first)
            throw Refuse("Give either after: or first:, not both.");
        var position = columns.Count;
        if (after is not null)
            position = columns.IndexOf(GetColumn(after)) + 1;
        else if (first)
            position = 0;
        columns.Insert(position, column);
        changes.Add($"add column {column.Name} {column.Type}{(column.NewGenerated is { } g ? $" generated as ({g}) {(column.GeneratedStored ? "stored" : "virtual")}" : "")}{(after is not null ? " after " + after : first ? " first" : "")}");
        return this;
    }

    /// <summary>
    /// MySQL's <c>CONVERT TO CHARACTER SET x [COLLATE y]</c> (online SQL): the table's default and
    /// every character column take it, as the server converts them on the copy (a TEXT that needs
    /// more bytes becomes a MEDIUMTEXT, as it would in place). Null when the script asks for none.
    /// </summary>
    internal string? ConvertTo { get; private set; }

    internal DbTable ConvertCharacterSet(string clause)
    {
        Writable();
        ConvertTo = clause;
        changes.Add("convert to " + clause.ToLowerInvariant());
        return this;
    }

    /// <summary>
    /// Moves an existing column right after <paramref name="after"/>, or first (MySQL's
    /// <c>MODIFY ... AFTER</c> in online SQL): the table is copied with the new order.
    /// </summary>
    internal DbTable MoveColumn(string name, string? after, bool first)
    {
        Writable();
        var column = GetColumn(name);
        if (after is not null && string.Equals(GetColumn(after).Name, column.Name, StringComparison.OrdinalIgnoreCase))
            throw Refuse($"Column '{name}' cannot go after itself.");
        columns.Remove(column);
        columns.Insert(first ? 0 : after is null ? columns.Count : columns.IndexOf(GetColumn(after)) + 1, column);
        changes.Add($"move column {column.Name} {(first ? "first" : "after " + after)}");
        return this;
    }

    /// <summary>Drops a column. Drop the indexes and keys that use it first.</summary>
    public DbTable DropColumn(string name)
    {
        Writable();
        var column = GetColumn(name);
        if (primaryKey.Contains(column.Name, StringComparer.OrdinalIgnoreCase))
            throw Refuse($"Column '{name}' is part of the primary key of '{Name}'; change the key first with SetPrimaryKey(...).");
        // InnoDB gives a foreign key without a covering index one of its own, named after the key: once
        // this change dropped that key, the index goes with the last of its columns, as MySQL drops it.
        foreach (var implicitIndex in indexes.Where(i => droppedForeignKeys.Any(f => Same(f.Name, i.Name) && i.Columns.All(c => f.Columns.Contains(c.Column, StringComparer.OrdinalIgnoreCase))) && i.Columns.Any(c => Same(c.Column, column.Name))).ToList())
        {
            indexes.Remove(implicitIndex);
            changes.Add($"drop index {implicitIndex.Name}");
        }
        var index = indexes.FirstOrDefault(i => i.Columns.Any(c => string.Equals(c.Column, column.Name, StringComparison.OrdinalIgnoreCase)));
        if (index is not null)
            throw Refuse($"Column '{name}' is used by index '{index.Name}'; drop it first with DropIndex(\"{index.Name}\").");
        var fk = foreignKeys.FirstOrDefault(f => f.Columns.Contains(column.Name, StringComparer.OrdinalIgnoreCase));
        if (fk is not null)
            throw Refuse($"Column '{name}' is used by foreign key '{fk.Name}'; drop it first with DropForeignKey(\"{fk.Name}\").");
        foreach (var check in checks)
        {
            // An original check names columns as they were; one this script adds, as they are now.
            string NameIn(DbColumn c) => check.Original is null ? c.Name : c.OriginalName ?? c.Name;
            if (!Identifiers.IsNamedIn(check.Expression, NameIn(column)))
                continue;
            var other = columns.FirstOrDefault(c => c != column && (check.Original is null || c.OriginalName is not null) && Identifiers.IsNamedIn(check.Expression, NameIn(c)));
            // A check over this column alone goes with it (as the engines drop it); one that also names another column, or one this script adds, would be left naming a column that is gone.
            if (other is not null || check.Original is null)
                throw Refuse($"Column '{name}' is used by check constraint '{check.Name}' ({check.Expression}); drop the check first with DropCheck(\"{check.Name}\") (online SQL: DROP CONSTRAINT {check.Name}), and add the check you want after.");
        }
        checks.RemoveAll(k => k.Original is not null && Identifiers.IsNamedIn(k.Expression, column.OriginalName ?? column.Name));
        columns.Remove(column);
        changes.Add($"drop column {column.Name}");
        return this;
    }

    /// <summary>Renames a column; indexes and keys follow it.</summary>
    public DbTable RenameColumn(string name, string newName)
    {
        Writable();
        var column = GetColumn(name);
        ValidateName(newName, "column");
        if (Find(newName) is { } other && other != column)
            throw Refuse($"Table '{Name}' already has a column '{newName}'.");
        var old = column.Name;
        column.Name = newName;
        primaryKey = primaryKey.Select(c => Same(c, old) ? newName : c).ToList();
        foreach (var index in indexes)
            index.Columns = index.Columns.Select(c => Same(c.Column, old) ? (newName, c.Prefix) : c).ToList();
        foreach (var fk in foreignKeys)
            fk.Columns = fk.Columns.Select(c => Same(c, old) ? newName : c).ToList();
        changes.Add($"rename column {old} to {newName}");
        return this;
    }

    /// <summary>Adds an index (or a unique index). Columns are named as they are in the copy.</summary>
    public DbTable AddIndex(DbIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        Writable();
        foreach (var (column, _) in index.Columns)
        {
            if (Find(column) is null)
                throw Refuse($"The index on '{column}' names a column table '{Name}' does not have. {ColumnList()}");
        }
        var name = index.Name ?? index.DefaultName(Name);
        if (name.Length > Dialect.MaxIdentifierLength || System.Text.Encoding.UTF8.GetByteCount(name) > Dialect.MaxIdentifierLength)
            name = Identifiers.Shorten(name, Dialect.MaxIdentifierLength);
        ValidateName(name, "index");
        if (indexes.Any(i => Same(i.Name, name)))
            throw Refuse($"Table '{Name}' already has an index '{name}'. Name the new one with .Named(\"...\").");
        var cols = index.Columns.Select(c => (GetColumn(c.Column).Name, c.Prefix)).ToList();
        if (indexes.Any(i => i.Unique == index.IsUnique && i.Columns.SequenceEqual(cols)))
            throw Refuse($"Table '{Name}' already has an index on ({string.Join(", ", cols.Select(c => c.Name))}).");
        indexes.Add(new IndexModel(name, cols, index.IsUnique, null));
        changes.Add($"add {(index.IsUnique ? "unique " : "")}index {name} ({string.Join(", ", cols.Select(c => c.Prefix is null ? c.Name : $"{c.Name}({c.Prefix})"))})");
        return this;
    }

    /// <summary>
    /// Drops an index by name (case-insensitive). Indexes added with <see cref="AddIndex"/> are named
    /// <c>ix_&lt;table&gt;_&lt;columns&gt;</c> or <c>ux_&lt;table&gt;_&lt;columns&gt;</c> unless named
    /// (see docs/writing-migrations.md); the error lists the table's indexes when the name is unknown.
    /// </summary>
    public DbTable DropIndex(string name)
    {
        Writable();
        var index = indexes.FirstOrDefault(i => Same(i.Name, name))
            ?? throw Refuse($"Table '{Name}' has no index '{name}'. Its indexes are: {(indexes.Count == 0 ? "none" : string.Join(", ", indexes.Select(i => i.Name)))}.");
        indexes.Remove(index);
        changes.Add($"drop index {index.Name}");
        return this;
    }

    /// <summary>Makes these columns (NOT NULL) the primary key.</summary>
    public DbTable SetPrimaryKey(params string[] keyColumns)
    {
        ArgumentNullException.ThrowIfNull(keyColumns);
        Writable();
        if (keyColumns.Length == 0)
            throw Refuse("A primary key needs one or more columns; Swap needs a key to copy the table in chunks.");
        var names = keyColumns.Select(c => GetColumn(c).Name).ToList();
        foreach (var c in names)
            GetColumn(c).NotNull();
        primaryKey = names;
        changes.Add($"primary key ({string.Join(", ", names)})");
        return this;
    }

    /// <summary>
    /// Adds a foreign key; its columns must exist in the table as changed so far. Named
    /// <c>fk_&lt;table&gt;_&lt;columns&gt;</c> unless <see cref="DbForeignKey.Named"/> gives a name.
    /// </summary>
    public DbTable AddForeignKey(DbForeignKey foreignKey)
    {
        ArgumentNullException.ThrowIfNull(foreignKey);
        Writable();
        var cols = foreignKey.Columns.Select(c => GetColumn(c).Name).ToList();
        var name = foreignKey.Name ?? foreignKey.DefaultName(Name);
        ValidateName(name, "foreign key");
        ValidateName(foreignKey.ReferencedTable, "table");
        if (foreignKeys.Any(f => Same(f.Name, name)))
            throw Refuse($"Table '{Name}' already has a foreign key '{name}'.");
        foreignKeys.Add(new ForeignKeyModel(name, cols, foreignKey.ReferencedTable, foreignKey.ReferencedColumns.ToList(), foreignKey.DeleteAction, foreignKey.UpdateAction, null));
        changes.Add($"add foreign key {name} ({string.Join(", ", cols)}) references {foreignKey.ReferencedTable} ({string.Join(", ", foreignKey.ReferencedColumns)})");
        return this;
    }

    /// <summary>The partitioning the table is converted to (PostgreSQL, MySQL/MariaDB), or null.</summary>
    public DbPartitioning? Partitioning { get; private set; }

    /// <summary>
    /// Converts the table into a partitioned one (PostgreSQL, MySQL/MariaDB): the copy is created
    /// partitioned, with the declared partitions, filled online and swapped in. Both engines check
    /// unique keys per partition, so the primary key and every unique index must include the
    /// partition key's columns (change the key with <see cref="SetPrimaryKey"/> in the same
    /// script); a key without them is refused at <c>DoneUsingTablesAsync</c>. Every existing row
    /// must fall in a partition (declare a default one to be sure). On MySQL/MariaDB a table
    /// partitioned already is re-partitioned; on PostgreSQL it is refused (a swap keeps its partitions).
    /// </summary>
    public DbTable PartitionBy(DbPartitioning partitioning)
    {
        ArgumentNullException.ThrowIfNull(partitioning);
        Writable();
        if (Dialect.Engine is not (DatabaseEngine.PostgreSql or DatabaseEngine.MySql))
            throw Refuse($"PartitionBy converts tables on PostgreSQL and MySQL/MariaDB; '{Name}' is on {Dialect.Engine.ProductName()}, which has no partitions.");
        if (Dialect.Engine == DatabaseEngine.PostgreSql && Original.Extra.GetValueOrDefault("kind") == "p")
            throw Refuse($"'{Name}' is partitioned already; a swap keeps its partitions as they are, and Swap does not re-partition a PostgreSQL table. Change the partitions with plain SQL (ATTACH/DETACH PARTITION).");
        if (Partitioning is not null)
            throw Refuse($"PartitionBy was already called for '{Name}' in this script.");
        foreach (var column in partitioning.Columns)
            GetColumn(column);
        var declared = partitioning.Declared(Name).ToList();
        if (declared.Count == 0)
            throw Refuse($"The partitioning of '{Name}' declares no partition; add them with .Partition(name, bounds) (and .Default(name)).");
        foreach (var (partition, _) in declared)
            ValidateName(partition, "partition");
        if (declared.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw Refuse($"The partition '{twice.Key}' is declared twice.");
        Partitioning = partitioning;
        changes.Add(partitioning.Describe(Name));
        return this;
    }

    /// <summary>Drops a foreign key by name (case-insensitive); SQLite refuses it. The error lists the table's keys when the name is unknown.</summary>
    public DbTable DropForeignKey(string name)
    {
        Writable();
        // SQLite has no names for foreign keys in its catalog (they read as fk0, fk1...), and no way to drop one: say that, not that the name is unknown.
        if (Engine == DatabaseEngine.Sqlite)
            throw Refuse($"Table '{Name}': dropping a foreign key ('{name}') is not supported on SQLite yet; rebuild the table with plain SQL instead.");
        var fk = foreignKeys.FirstOrDefault(f => Same(f.Name, name))
            ?? throw Refuse($"Table '{Name}' has no foreign key '{name}'. Its foreign keys are: {(foreignKeys.Count == 0 ? "none" : string.Join(", ", foreignKeys.Select(f => f.Name)))}.");
        foreignKeys.Remove(fk);
        droppedForeignKeys.Add(fk);
        changes.Add($"drop foreign key {fk.Name}");
        return this;
    }

    /// <summary>
    /// Adds a CHECK constraint: <paramref name="expression"/> is SQL in the engine's own dialect over
    /// the table's columns as this script leaves them (<c>AddCheck("ck_orders_amount", "amount >= 0")</c>).
    /// Every existing row must pass it: on MySQL/MariaDB and SQLite the copy gets the constraint, on
    /// PostgreSQL it is added <c>NOT VALID</c> and validated without blocking writes; either way a row
    /// that fails it is named and nothing is changed (exit 7).
    /// </summary>
    public DbTable AddCheck(string name, string expression)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(expression);
        Writable();
        ValidateName(name, "check constraint");
        if (checks.Any(c => Same(c.Name, name)))
            throw Refuse($"Table '{Name}' already has a check constraint '{name}'. Pick another name, or drop the old one first with DropCheck(\"{name}\").");
        var text = expression.Trim();
        if (!Balanced(text))
            throw Refuse($"The expression of check constraint '{name}' ({text}) has unbalanced parentheses or an unclosed quote; write one SQL expression, for example \"amount >= 0\".");
        checks.Add(new CheckModel(name, text, null));
        changes.Add($"add check {name} ({text})");
        return this;
    }

    /// <summary>The next free name of the form <c>ck_&lt;table&gt;_&lt;n&gt;</c>, for a check added without one (online SQL's <c>ADD CHECK (...)</c>).</summary>
    internal string NextCheckName()
    {
        for (var n = 1; ; n++)
        {
            var name = $"ck_{Name}_{n}";
            if (name.Length > Dialect.MaxIdentifierLength)
                name = Identifiers.Shorten(name, Dialect.MaxIdentifierLength);
            if (!checks.Any(c => Same(c.Name, name)))
                return name;
        }
    }

    /// <summary>
    /// Drops a CHECK constraint by name (case-insensitive). The error lists the table's check
    /// constraints when the name is unknown; a MariaDB column's own CHECK (<c>a INT CHECK (a > 0)</c>)
    /// goes with a new definition of the column, not by name.
    /// </summary>
    public DbTable DropCheck(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Writable();
        var check = checks.FirstOrDefault(c => Same(c.Name, name))
            ?? throw Refuse($"Table '{Name}' has no check constraint '{name}'. Its check constraints are: {(checks.Count == 0 ? "none" : string.Join(", ", checks.Select(c => c.Name)))}.");
        checks.Remove(check);
        changes.Add($"drop check {check.Name}");
        return this;
    }

    /// <summary>True when parentheses balance outside quotes and every quote closes (a cheap guard before the text reaches DDL).</summary>
    private static bool Balanced(string sql)
    {
        var depth = 0;
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (c is '\'' or '"' or '`')
            {
                var close = sql.IndexOf(c, i + 1);
                if (close < 0)
                    return false;
                i = close;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth < 0)
            {
                return false;
            }
            else if (c == ';')
            {
                return false;
            }
        }
        return depth == 0;
    }

    private DbColumn? Find(string name) => columns.FirstOrDefault(c => Same(c.Name, name));

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private void ValidateName(string name, string what) => Identifiers.Validate(name, what, Dialect);

    private void Writable()
    {
        if (ReadOnly)
            throw Refuse($"'{Name}' was loaded with LoadTableAsync and describes the live table; get a changeable copy with UseTableForAlterAsync(\"{Name}\").");
    }

    private static SwapException Refuse(string message) => new(SwapErrorKind.Refused, message);

    /// <summary>An index of the changed table: an original one (kept, maybe with renamed columns) or a new one.</summary>
    internal sealed class IndexModel(string name, List<(string Column, int? Prefix)> columns, bool unique, IndexSchema? original)
    {
        public string Name { get; } = name;
        public List<(string Column, int? Prefix)> Columns { get; set; } = columns;
        public bool Unique { get; } = unique;
        public IndexSchema? Original { get; } = original;

        /// <summary>
        /// The columns as the copy's index has them. An original index keeps each column's
        /// direction (a descending column stays descending); a rename keeps the column's place.
        /// </summary>
        public List<IndexColumn> SchemaColumns() =>
            Columns.Select((c, i) => new IndexColumn(
                c.Column,
                c.Prefix,
                Original is { } o && o.Columns.Count == Columns.Count && o.Columns[i].Descending)).ToList();
    }

    /// <summary>A CHECK constraint of the changed table: an original one (kept) or a new one (<see cref="Original"/> null).</summary>
    internal sealed class CheckModel(string name, string expression, CheckSchema? original)
    {
        public string Name { get; } = name;
        public string Expression { get; } = expression;
        public CheckSchema? Original { get; } = original;
    }

    internal sealed class ForeignKeyModel(string name, List<string> columns, string referencedTable, List<string> referencedColumns, string? onDelete, string? onUpdate, ForeignKeySchema? original)
    {
        public string Name { get; } = name;
        public List<string> Columns { get; set; } = columns;
        public string ReferencedTable { get; } = referencedTable;
        public List<string> ReferencedColumns { get; } = referencedColumns;
        public string? OnDelete { get; } = onDelete;
        public string? OnUpdate { get; } = onUpdate;
        public ForeignKeySchema? Original { get; } = original;
    }
}
