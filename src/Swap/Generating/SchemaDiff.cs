using System.Text.RegularExpressions;
using Swap.Dialects;
using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.Generating;

/// <summary>What one existing table needs to match its entity.</summary>
internal sealed class TableDiff(EntityTable entity, TableSchema live)
{
    public EntityTable Entity { get; } = entity;
    public TableSchema Live { get; } = live;
    public List<EntityColumn> Added { get; } = [];
    public List<ColumnSchema> Dropped { get; } = [];
    public List<(ColumnSchema Old, EntityColumn New)> Renamed { get; } = [];
    public List<(ColumnSchema Old, EntityColumn New)> Retyped { get; } = [];
    public List<(ColumnSchema Old, EntityColumn New)> Renulled { get; } = [];
    public List<EntityIndex> AddedIndexes { get; } = [];

    /// <summary>Foreign keys of the entity the live table lacks.</summary>
    public List<EntityForeignKey> AddedForeignKeys { get; } = [];

    /// <summary>Live indexes that use a dropped column: dropped first, or the engineer refuses the drop.</summary>
    public List<IndexSchema> DroppedIndexes { get; } = [];

    public bool ChangesColumns => Added.Count + Dropped.Count + Renamed.Count + Retyped.Count + Renulled.Count > 0;

    public bool IsEmpty => !ChangesColumns && AddedIndexes.Count == 0 && AddedForeignKeys.Count == 0;
}

/// <summary>
/// Compares entities with the live tables. New tables are created; existing ones gain, lose,
/// rename (only with <see cref="RenamedFromAttribute"/>), retype and re-null columns and gain
/// indexes. Tables and indexes the entities do not mention are left alone.
/// </summary>
internal static partial class SchemaDiff
{
    public static TableDiff Compare(EntityTable entity, TableSchema live, SqlDialect dialect)
    {
        var diff = new TableDiff(entity, live);
        var matched = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in entity.Columns)
        {
            var existing = live.Column(column.Name);
            if (existing is null && column.RenamedFrom is { } old && live.Column(old) is { } renamed)
            {
                diff.Renamed.Add((renamed, column));
                existing = renamed;
            }
            if (existing is null)
            {
                diff.Added.Add(column);
                continue;
            }
            matched.Add(existing.Name);
            if (Normalize(dialect.TypeSql(column.Type), dialect) != Normalize(existing.NativeType, dialect))
                diff.Retyped.Add((existing, column));
            if (existing.Nullable != column.Nullable)
                diff.Renulled.Add((existing, column));
        }
        diff.Dropped.AddRange(live.Columns.Where(c => !matched.Contains(c.Name) && c.Generated is null));
        var droppedNames = diff.Dropped.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        diff.DroppedIndexes.AddRange(live.Indexes.Where(i => i.Columns.Any(c => droppedNames.Contains(c.Name))));
        foreach (var index in entity.Indexes)
        {
            var present = live.Indexes.Any(i =>
                i.Name.Equals(index.Name, StringComparison.OrdinalIgnoreCase)
                || (i.Unique == index.Unique && i.Columns.Select(c => c.Name).SequenceEqual(index.Columns, StringComparer.OrdinalIgnoreCase)));
            if (!present)
                diff.AddedIndexes.Add(index);
        }
        foreach (var key in entity.ForeignKeys)
        {
            // SQLite keeps no names for keys: the columns and the table they point at identify one too.
            var present = live.ForeignKeys.Any(f =>
                f.Name.Equals(key.Name, StringComparison.OrdinalIgnoreCase)
                || (f.ReferencedTable.Equals(key.ReferencedTable, StringComparison.OrdinalIgnoreCase) && f.Columns.SequenceEqual(key.Columns, StringComparer.OrdinalIgnoreCase)));
            if (!present)
                diff.AddedForeignKeys.Add(key);
        }
        return diff;
    }

    [GeneratedRegex(@"^(smallint|mediumint|int|integer|bigint)\(\d+\)")]
    private static partial Regex IntegerWidth();

    /// <summary>A type's text as the catalog and the dialect both say it: lower case, MySQL display widths and JSON's alias aside.</summary>
    internal static string Normalize(string type, SqlDialect dialect)
    {
        var t = IntegerWidth().Replace(type.Trim().ToLowerInvariant(), "$1").Replace(", ", ",", StringComparison.Ordinal);
        // MariaDB stores JSON as LONGTEXT (with a json_valid check).
        if (dialect.Engine == DatabaseEngine.MySql)
            return t == "json" ? "longtext" : t;
        // PostgreSQL reports its own spelling of an alias a native type was written with.
        return dialect.Engine == DatabaseEngine.PostgreSql ? PostgresAlias().Replace(t, m => PostgresAliases[m.Groups[1].Value]) : t;
    }

    private static readonly Dictionary<string, string> PostgresAliases = new(StringComparer.Ordinal)
    {
        ["varchar"] = "character varying",
        ["char"] = "character",
        ["int"] = "integer",
        ["int4"] = "integer",
        ["int8"] = "bigint",
        ["int2"] = "smallint",
        ["bool"] = "boolean",
        ["float8"] = "double precision",
        ["float4"] = "real",
        ["decimal"] = "numeric",
        ["timestamp"] = "timestamp without time zone",
        ["timestamptz"] = "timestamp with time zone",
    };

    [GeneratedRegex(@"^(varchar|char|int|int4|int8|int2|bool|float8|float4|decimal|timestamptz|timestamp)(?![a-z ])")]
    private static partial Regex PostgresAlias();
}
