using Swap.Engine.Schema;

namespace Swap.Engine;

/// <summary>Works out how each copy column is filled and which key walks the table.</summary>
internal static class SwapSpecBuilder
{
    public static SwapSpec Build(TableEngine engine, TableUse use, TableSchema copy, bool indexesAfterCopy = false)
    {
        var d = engine.Dialect;
        var original = use.Original;
        var key = original.ChunkKey() ?? throw NoKey(original, engine.Dialect.Engine);
        var model = use.Model;

        string? OriginFor(ColumnSchema copyColumn)
        {
            if (model is null)
                return original.Column(copyColumn.Name)?.Name;
            var m = model.Columns.FirstOrDefault(c => string.Equals(c.Name, copyColumn.Name, StringComparison.OrdinalIgnoreCase));
            return m?.OriginalName;
        }

        var mapping = new List<ColumnMapping>();
        var mayFail = false;
        foreach (var c in copy.Columns)
        {
            if (c.Generated is not null)
                continue;
            var fill = model?.Columns.FirstOrDefault(m => string.Equals(m.Name, c.Name, StringComparison.OrdinalIgnoreCase))?.Fill;
            if (fill is not null)
            {
                mapping.Add(new ColumnMapping(c.Name, "(" + fill + ")", c.NativeType));
                mayFail = true;
                continue;
            }
            var origin = OriginFor(c);
            if (origin is null)
                continue;
            var from = original.Column(origin)!;
            var source = engine.Convert(d.Quote(from.Name), from, c);
            if (!string.Equals(from.NativeType, c.NativeType, StringComparison.OrdinalIgnoreCase) || (from.Nullable && !c.Nullable))
                mayFail = true;
            mapping.Add(new ColumnMapping(c.Name, source, c.NativeType, from.Name, from.NativeType, from.Collation, c.Collation));
        }

        var copyKey = key.Select(k =>
        {
            var name = model is null ? k : model.Columns.FirstOrDefault(m => string.Equals(m.OriginalName, k, StringComparison.OrdinalIgnoreCase))?.Name;
            if (name is null || copy.Column(name) is null)
            {
                throw new SwapException(
                    SwapErrorKind.Refused,
                    $"The copy of '{original.Name}' must keep the key column '{k}' (it is how Swap walks the table and captures updates and deletes). Drop it in a later migration, after this swap.");
            }
            return copy.Column(name)!.Name;
        }).ToList();

        // A key compared in another collation ('a' and 'A' one key under NOCASE) can refuse a write the original took.
        if (key.Where((k, i) => original.Column(k) is { } o && copy.Column(copyKey[i]) is { } c
                && !string.Equals(engine.CopyKeyAsOriginal("k", o, c), "k", StringComparison.Ordinal)).Any())
            mayFail = true;

        var targetKey = model is null ? original.PrimaryKey.ToList() : model.PrimaryKey.ToList();
        var targetIndexes = model is null
            ? original.Indexes
            : model.Indexes.Select(i => new IndexSchema(
                i.Name,
                i.SchemaColumns(),
                i.Unique,
                i.Original?.IsConstraint ?? false,
                i.Original?.Predicate,
                i.Original?.Method,
                i.Original is { } o && o.Columns.Select(c => c.Name).SequenceEqual(i.Columns.Select(c => c.Column), StringComparer.OrdinalIgnoreCase) ? o.Definition : null)).ToList();
        var newUnique = copy.Indexes.Any(i => i.Unique && !original.Indexes.Any(o => o.Unique && SameColumns(o, i))
            && !i.Columns.Select(c => c.Name).SequenceEqual(targetKey, StringComparer.OrdinalIgnoreCase)
            && !i.Columns.Select(c => c.Name).SequenceEqual(original.PrimaryKey, StringComparer.OrdinalIgnoreCase))
            || (model is not null && !model.PrimaryKey.SequenceEqual(original.PrimaryKey, StringComparer.OrdinalIgnoreCase));
        return new SwapSpec
        {
            Original = original,
            Copy = copy,
            Names = use.Names,
            Key = key,
            CopyKey = copyKey,
            Mapping = mapping,
            CaptureMayFail = mayFail || newUnique,
            TargetPrimaryKey = targetKey,
            AutoIncrementSet = model?.AutoIncrementNext is not null,
            TargetIndexes = targetIndexes,
            // The unique index that keys a table without a primary key comes with the empty copy
            // where chunks and the applier rely on it as they fill the copy (they skip or find rows
            // by it); an engine that fills a bare copy (DefersKey) builds it first.
            // So does, on a table left without a primary key, a unique index that keys it (DbTable.CanKey),
            // where the copy builder makes it with the empty copy (an engine that defers the key builds it first).
            DeferredIndexes = model is null ? [] : targetIndexes.Where(i => engine.CanDeferIndex(i, indexesAfterCopy)
                && (engine.DefersKey || (!i.IsUniqueOver(copyKey) && !model.Indexes.Any(m => model.CanKey(m) && string.Equals(m.Name, i.Name, StringComparison.OrdinalIgnoreCase))))).ToList(),
            KeyDeferred = model is not null && engine.DefersKey,
            NewChecks = model is null ? [] : model.Checks.Where(c => c.Original is null).Select(c => new CheckSchema(c.Name, c.Expression)).ToList(),
            TargetForeignKeys = model is null
                ? original.ForeignKeys
                : model.ForeignKeys.Select(f => new ForeignKeySchema(f.Name, original.Name, f.Columns, f.ReferencedTable, f.ReferencedColumns, f.OnDelete, f.OnUpdate, f.Original?.Definition) { ReferencedSchema = f.Original?.ReferencedSchema }).ToList(),
            NewForeignKeys = model is null
                ? []
                : model.ForeignKeys.Where(f => f.Original is null).Select(f => new ForeignKeySchema(f.Name, original.Name, f.Columns, f.ReferencedTable, f.ReferencedColumns, f.OnDelete, f.OnUpdate)).ToList(),
        };
    }

    private static bool SameColumns(IndexSchema a, IndexSchema b) =>
        a.Columns.Select(c => c.Name.ToLowerInvariant()).SequenceEqual(b.Columns.Select(c => c.Name.ToLowerInvariant()));

    public static SwapException NoKey(TableSchema original, DatabaseEngine engine) => new(
        SwapErrorKind.Refused,
        $"Table '{original.Name}' has no primary key and no unique key over NOT NULL columns. {HashKeyNote(original)}Swap needs one to copy the table in chunks and to capture updates and deletes. "
        + AddKeyAdvice(original, engine));

    /// <summary>
    /// How to give the table a key, in terms of its own columns: a NOT NULL column with unique values
    /// is a key as soon as a unique index covers it; SQLite cannot add a primary key in place.
    /// </summary>
    private static string AddKeyAdvice(TableSchema original, DatabaseEngine engine)
    {
        var table = original.Name;
        var columns = original.Columns.Select(c => c.Name).ToList();
        var notNull = original.Columns.Where(c => !c.Nullable).Select(c => c.Name).ToList();
        var example = notNull.FirstOrDefault() ?? columns.FirstOrDefault() ?? "key_column";
        var rebuild = $"rebuild the table with a primary key over columns whose values are unique (CREATE TABLE {table}_new (..., PRIMARY KEY (...)), copy the rows, drop {table}, rename {table}_new to {table})";
        if (engine != DatabaseEngine.Sqlite)
            return $"Add a primary key over a column (or columns) whose values are unique first (its columns are: {string.Join(", ", columns)}), for example ALTER TABLE {table} ADD PRIMARY KEY ({example}), then run again.";
        // SQLite has no ALTER TABLE ... ADD PRIMARY KEY, nor a way to make a column NOT NULL in place.
        return notNull.Count > 0
            ? $"SQLite cannot add a primary key to an existing table: if the values of a NOT NULL column ({string.Join(", ", notNull)}) are unique, add a unique index over it (for example CREATE UNIQUE INDEX {table}_key ON {table} ({example})), or {rebuild}, then run again."
            : $"SQLite cannot add a primary key to an existing table, and none of its columns ({string.Join(", ", columns)}) is NOT NULL, so a unique index cannot key it either: {rebuild}, then run again.";
    }

    /// <summary>What to say of a unique index that would key the table but for being a hash (<see cref="TableSchema.IsHash"/>), or "".</summary>
    private static string HashKeyNote(TableSchema original) =>
        original.Indexes.FirstOrDefault(i => i.Unique && TableSchema.IsHash(i) && i.Columns.All(c => original.Column(c.Name) is { Nullable: false })) is { } hash
            ? $"Its unique index '{hash.Name}' ({string.Join(", ", hash.Columns.Select(c => c.Name))}) is one MariaDB keeps as a hash (a UNIQUE over a TEXT or BLOB column, or wider than an index key, without a prefix length): it neither orders the rows nor finds one by its values, so Swap cannot walk the table by it. "
            : "";
}
