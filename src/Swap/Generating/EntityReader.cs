using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using System.Reflection;
using Swap.Engine;

namespace Swap.Generating;

/// <summary>A column an entity property maps to.</summary>
internal sealed record EntityColumn(string Name, ColumnType Type, bool Nullable, bool Identity, string? RenamedFrom);

/// <summary>An index an entity asks for with <see cref="TableIndexAttribute"/>.</summary>
internal sealed record EntityIndex(string Name, IReadOnlyList<string> Columns, bool Unique);

/// <summary>A foreign key an entity's navigation property implies: its columns, the principal's table and key, and the actions.</summary>
internal sealed record EntityForeignKey(string Name, IReadOnlyList<string> Columns, string ReferencedTable, IReadOnlyList<string> ReferencedColumns, string? OnDelete, string? OnUpdate);

/// <summary>The table an entity class maps to.</summary>
internal sealed record EntityTable(string Name, string Entity, IReadOnlyList<EntityColumn> Columns, IReadOnlyList<string> PrimaryKey, IReadOnlyList<EntityIndex> Indexes)
{
    /// <summary>The foreign keys of the entity's navigation properties (references to other entities).</summary>
    public IReadOnlyList<EntityForeignKey> ForeignKeys { get; init; } = [];
}

/// <summary>
/// Reads entity classes the way DataAnnotations describe them: <c>[Table]</c> marks an entity;
/// <c>[Column(Name, TypeName)]</c>, <c>[Key]</c>, <c>[Required]</c>, <c>[MaxLength]</c>/<c>[StringLength]</c>,
/// <c>[NotMapped]</c>, <c>[DatabaseGenerated]</c> and nullable reference types shape the columns;
/// a navigation property (a reference to another entity) with <c>[ForeignKey]</c>, or next to a
/// property named <c>&lt;Navigation&gt;Id</c>, makes a foreign key to that entity's key;
/// Swap's <see cref="TableIndexAttribute"/>, <see cref="RenamedFromAttribute"/> and
/// <see cref="OnDeleteAttribute"/> add what they lack.
/// </summary>
internal static class EntityReader
{
    /// <summary>The entities, principals before the entities whose keys point at them (then by name).</summary>
    public static IReadOnlyList<EntityTable> Read(IEnumerable<Type> types)
    {
        var tables = types.Where(IsEntity)
            .Select(Read)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
        var ordered = new List<EntityTable>();
        var placed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (ordered.Count < tables.Count)
        {
            // The first table whose principals are placed (or outside the set); a cycle takes the first left.
            var next = tables.FirstOrDefault(t => !placed.Contains(t.Name) && t.ForeignKeys.All(f => placed.Contains(f.ReferencedTable) || Same(f.ReferencedTable, t.Name) || tables.All(o => !Same(o.Name, f.ReferencedTable))))
                ?? tables.First(t => !placed.Contains(t.Name));
            ordered.Add(next);
            placed.Add(next.Name);
        }
        return ordered;
    }

    private static bool IsEntity(Type t) => t.IsClass && !t.IsAbstract && t.GetCustomAttribute<TableAttribute>() is not null;

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static EntityTable Read(Type type)
    {
        var table = type.GetCustomAttribute<TableAttribute>()!.Name;
        var nullability = new NullabilityInfoContext();
        var columns = new List<(EntityColumn Column, PropertyInfo Property, int Order)>();
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            if (p.GetCustomAttribute<NotMappedAttribute>() is not null || MapType(p) is not { } columnType)
                continue;
            var attribute = p.GetCustomAttribute<ColumnAttribute>();
            var underlying = System.Nullable.GetUnderlyingType(p.PropertyType);
            var nullable = p.PropertyType.IsValueType
                ? underlying is not null
                : nullability.Create(p).WriteState != NullabilityState.NotNull;
            if (p.GetCustomAttribute<RequiredAttribute>() is not null || p.GetCustomAttribute<KeyAttribute>() is not null)
                nullable = false;
            columns.Add((new EntityColumn(attribute?.Name ?? p.Name, columnType, nullable, false, p.GetCustomAttribute<RenamedFromAttribute>()?.OldName), p, attribute?.Order ?? int.MaxValue));
        }
        if (columns.Count == 0)
            throw Bad(type, "has no mapped properties (public properties with a getter and a setter, of a type Swap maps)");

        var keys = columns.Where(c => c.Property.GetCustomAttribute<KeyAttribute>() is not null).OrderBy(c => c.Order).ToList();
        if (keys.Count == 0)
            keys = columns.Where(c => c.Property.Name.Equals("Id", StringComparison.OrdinalIgnoreCase) || c.Property.Name.Equals(type.Name + "Id", StringComparison.OrdinalIgnoreCase)).Take(1).ToList();
        if (keys.Count == 0)
            throw Bad(type, "has no key: mark its key properties with [Key] (or name one Id)");
        var key = keys.Select(k => k.Column.Name).ToList();

        // An integer key of one column is numbered by the engine unless [DatabaseGenerated(None)] says otherwise.
        var single = keys.Count == 1 ? keys[0] : default;
        var identity = single.Property is not null
            && single.Column.Type.Kind is ColumnKind.SmallInt or ColumnKind.Int or ColumnKind.BigInt
            && single.Property.GetCustomAttribute<DatabaseGeneratedAttribute>()?.DatabaseGeneratedOption is null or DatabaseGeneratedOption.Identity;
        var result = columns.Select(c => c.Column with
        {
            Nullable = c.Column.Nullable && !key.Contains(c.Column.Name, StringComparer.Ordinal),
            Identity = identity && c.Column.Name == single.Column.Name,
        }).ToList();

        var indexes = new List<EntityIndex>();
        foreach (var ix in type.GetCustomAttributes<TableIndexAttribute>())
        {
            if (ix.Columns.Count == 0)
                throw Bad(type, "has a [TableIndex] without columns");
            var cols = ix.Columns.Select(c =>
                result.FirstOrDefault(r => r.Name.Equals(c, StringComparison.OrdinalIgnoreCase))?.Name
                ?? columns.FirstOrDefault(r => r.Property.Name.Equals(c, StringComparison.Ordinal)).Column?.Name
                ?? throw Bad(type, $"has a [TableIndex] on '{c}', which is neither a column nor a property of it")).ToList();
            indexes.Add(new EntityIndex(ix.Name ?? (ix.Unique ? "ux_" : "ix_") + table + "_" + string.Join('_', cols), cols, ix.Unique));
        }
        return new EntityTable(table, type.FullName ?? type.Name, result, key, indexes) { ForeignKeys = ForeignKeys(type, table, columns.Select(c => (c.Column, c.Property)).ToList()) };
    }

    /// <summary>
    /// One key per navigation property (a property whose type is another entity): its columns come
    /// from <c>[ForeignKey]</c> on the navigation (property names, comma-separated), from a property
    /// with <c>[ForeignKey("Navigation")]</c>, or from the property named <c>&lt;Navigation&gt;Id</c>;
    /// it references the other entity's key.
    /// </summary>
    private static List<EntityForeignKey> ForeignKeys(Type type, string table, List<(EntityColumn Column, PropertyInfo Property)> columns)
    {
        var keys = new List<EntityForeignKey>();
        foreach (var navigation in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => IsEntity(p.PropertyType) && p.GetCustomAttribute<NotMappedAttribute>() is null))
        {
            var principal = navigation.PropertyType;
            var principalKey = KeyColumns(principal);
            List<string> names;
            if (navigation.GetCustomAttribute<ForeignKeyAttribute>() is { } onNavigation)
                names = onNavigation.Name.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
            else if (columns.Where(c => c.Property.GetCustomAttribute<ForeignKeyAttribute>()?.Name == navigation.Name).Select(c => c.Property.Name).ToList() is { Count: > 0 } marked)
                names = marked;
            else
                names = [navigation.Name + "Id"];
            var cols = names.Select(n => columns.FirstOrDefault(c => c.Property.Name == n).Column?.Name
                ?? throw Bad(type, $"has the navigation property {navigation.Name} without a foreign key property '{n}': add the property, or name it with [ForeignKey(\"...\")] on the navigation")).ToList();
            if (cols.Count != principalKey.Count)
                throw Bad(type, $"has the navigation property {navigation.Name} with {cols.Count} foreign key column(s), but {principal.FullName}'s key has {principalKey.Count}");
            var actions = navigation.GetCustomAttribute<OnDeleteAttribute>()
                ?? columns.Where(c => cols.Contains(c.Column.Name)).Select(c => c.Property.GetCustomAttribute<OnDeleteAttribute>()).FirstOrDefault(a => a is not null);
            var referenced = principal.GetCustomAttribute<TableAttribute>()!.Name;
            if (actions is not null)
            {
                // Refused now, with the entity's name, rather than when the written script runs.
                var check = DbForeignKey.Create(cols.ToArray(), referenced, principalKey.ToArray()).OnDelete(actions.Action);
                if (actions.OnUpdate is { } onUpdate)
                    check.OnUpdate(onUpdate);
            }
            keys.Add(new EntityForeignKey("fk_" + table + "_" + string.Join('_', cols), cols, referenced, principalKey, actions?.Action, actions?.OnUpdate));
        }
        return keys;
    }

    /// <summary>The key column names of an entity, as <see cref="Read(Type)"/> finds them.</summary>
    private static List<string> KeyColumns(Type type)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0 && MapType(p) is not null && p.GetCustomAttribute<NotMappedAttribute>() is null).ToList();
        var keys = properties.Where(p => p.GetCustomAttribute<KeyAttribute>() is not null).OrderBy(p => p.GetCustomAttribute<ColumnAttribute>()?.Order ?? int.MaxValue).ToList();
        if (keys.Count == 0)
            keys = properties.Where(p => p.Name.Equals("Id", StringComparison.OrdinalIgnoreCase) || p.Name.Equals(type.Name + "Id", StringComparison.OrdinalIgnoreCase)).Take(1).ToList();
        if (keys.Count == 0)
            throw Bad(type, "has no key: mark its key properties with [Key] (or name one Id)");
        return keys.Select(p => p.GetCustomAttribute<ColumnAttribute>()?.Name ?? p.Name).ToList();
    }

    /// <summary>The portable type of a property, or null for properties that are not columns (navigations, collections).</summary>
    private static ColumnType? MapType(PropertyInfo p)
    {
        if (p.GetCustomAttribute<ColumnAttribute>()?.TypeName is { Length: > 0 } native)
            return ColumnType.NativeType(native);
        var t = System.Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        var length = p.GetCustomAttribute<MaxLengthAttribute>()?.Length ?? p.GetCustomAttribute<StringLengthAttribute>()?.MaximumLength;
        if (t.IsEnum)
            return ColumnType.Enum(Enum.GetNames(t));
        return t switch
        {
            _ when t == typeof(string) => length is > 0 ? ColumnType.String(length.Value) : ColumnType.Text,
            _ when t == typeof(int) => ColumnType.Int,
            _ when t == typeof(long) => ColumnType.BigInt,
            _ when t == typeof(short) || t == typeof(byte) => ColumnType.SmallInt,
            _ when t == typeof(bool) => ColumnType.Boolean,
            _ when t == typeof(decimal) => ColumnType.Decimal(18, 2),
            _ when t == typeof(double) => ColumnType.Double,
            _ when t == typeof(float) => ColumnType.Float,
            _ when t == typeof(DateTime) || t == typeof(DateTimeOffset) => ColumnType.Timestamp,
            _ when t == typeof(DateOnly) => ColumnType.Date,
            _ when t == typeof(TimeOnly) => ColumnType.Time,
            _ when t == typeof(TimeSpan) => ColumnType.Interval,
            _ when t == typeof(Guid) => ColumnType.Uuid,
            _ when t == typeof(byte[]) => ColumnType.Binary(length is > 0 ? length : null),
            _ => null,
        };
    }

    private static SwapException Bad(Type type, string what) => new(SwapErrorKind.InvalidMigration, $"The entity {type.FullName} {what}.");
}
