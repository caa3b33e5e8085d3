using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using System.Reflection;
using Swap.Engine;

namespace Swap.Generating;

/// <summary>A column an entity property maps to.</summary>
internal sealed record EntityColumn(string Name, ColumnType Type, bool Nullable, bool Identity, string? RenamedFrom);

/// <summary>An index an entity asks for with <see cref="TableIndexAttribute"/>.</summary>
internal sealed record EntityIndex(string Name, IReadOnlyList<string> Columns, bool Unique);

/// <summary>The table an entity class maps to.</summary>
internal sealed record EntityTable(string Name, string Entity, IReadOnlyList<EntityColumn> Columns, IReadOnlyList<string> PrimaryKey, IReadOnlyList<EntityIndex> Indexes);

/// <summary>
/// Reads entity classes the way DataAnnotations describe them: <c>[Table]</c> marks an entity;
/// <c>[Column(Name, TypeName)]</c>, <c>[Key]</c>, <c>[Required]</c>, <c>[MaxLength]</c>/<c>[StringLength]</c>,
/// <c>[NotMapped]</c>, <c>[DatabaseGenerated]</c> and nullable reference types shape the columns;
/// Swap's <see cref="TableIndexAttribute"/> and <see cref="RenamedFromAttribute"/> add what they lack.
/// </summary>
internal static class EntityReader
{
    public static IReadOnlyList<EntityTable> Read(IEnumerable<Type> types) =>
        types.Where(t => t.IsClass && !t.IsAbstract && t.GetCustomAttribute<TableAttribute>() is not null)
            .Select(Read)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();

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
        return new EntityTable(table, type.FullName ?? type.Name, result, key, indexes);
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
