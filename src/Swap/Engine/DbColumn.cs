using System.Globalization;
using Swap.Engine.Schema;

namespace Swap.Engine;

/// <summary>
/// A column of a table being changed: an existing column (reached with <see cref="DbTable.GetColumn"/>)
/// or a new one (made with the factories, e.g. <see cref="Enum"/>, and added with
/// <see cref="DbTable.AddColumn"/>). Each column of the copy is filled from a source: the
/// same-named original column by default, the new column's default, or <see cref="FillWith"/>.
/// </summary>
public sealed class DbColumn
{
    private DbColumn(string name, ColumnType? type, ColumnSchema? original)
    {
        Name = name;
        Type = type;
        Original = original;
        Nullable = original?.Nullable ?? true;
        DefaultSql = original?.Default;
    }

    /// <summary>The column's name in the copy.</summary>
    public string Name { get; internal set; }

    /// <summary>The original column this one comes from; null for a new column.</summary>
    public string? OriginalName => Original?.Name;

    internal ColumnSchema? Original { get; }

    /// <summary>The portable type, when set (new columns, or a type change); null keeps the original's type.</summary>
    public ColumnType? Type { get; private set; }

    /// <summary>The original's type in the engine's words, for existing columns.</summary>
    public string? NativeType => Original?.NativeType;

    public bool Nullable { get; private set; }

    /// <summary>The default as an SQL expression, or null.</summary>
    public string? DefaultSql { get; private set; }

    /// <summary>The literal value given to <see cref="SetDefault"/>, kept so each dialect can render it.</summary>
    internal object? DefaultValue { get; private set; }

    internal bool DefaultIsValue { get; private set; }

    internal bool DefaultChanged { get; private set; }

    /// <summary>An SQL expression over the original row that fills this column, or null.</summary>
    public string? Fill { get; private set; }

    internal bool TypeChanged => Original is not null && Type is not null;

    internal bool NullabilityChanged => Original is not null && Original.Nullable != Nullable;

    internal static DbColumn FromSchema(ColumnSchema column) => new(column.Name, null, column);

    public static DbColumn SmallInt(string name) => New(name, ColumnType.SmallInt);
    public static DbColumn Int(string name) => New(name, ColumnType.Int);
    public static DbColumn BigInt(string name) => New(name, ColumnType.BigInt);
    public static DbColumn UnsignedBigInt(string name) => New(name, ColumnType.UnsignedBigInt);
    public static DbColumn Decimal(string name, int precision, int scale) => New(name, ColumnType.Decimal(precision, scale));
    public static DbColumn Float(string name) => New(name, ColumnType.Float);
    public static DbColumn Double(string name) => New(name, ColumnType.Double);
    public static DbColumn String(string name, int length) => New(name, ColumnType.String(length));
    public static DbColumn Text(string name) => New(name, ColumnType.Text);
    public static DbColumn Boolean(string name) => New(name, ColumnType.Boolean);
    public static DbColumn Date(string name) => New(name, ColumnType.Date);
    public static DbColumn Time(string name) => New(name, ColumnType.Time);
    public static DbColumn Timestamp(string name) => New(name, ColumnType.Timestamp);
    public static DbColumn Enum(string name, params string[] values) => New(name, ColumnType.Enum(values));
    public static DbColumn Json(string name) => New(name, ColumnType.Json);
    public static DbColumn Binary(string name, int? length = null) => New(name, ColumnType.Binary(length));
    public static DbColumn Uuid(string name) => New(name, ColumnType.Uuid);
    public static DbColumn Interval(string name) => New(name, ColumnType.Interval);

    /// <summary>A new column of any portable type, or <see cref="ColumnType.NativeType"/>.</summary>
    public static DbColumn Of(string name, ColumnType type) => New(name, type ?? throw new ArgumentNullException(nameof(type)));

    private static DbColumn New(string name, ColumnType type)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new DbColumn(name, type, null);
    }

    /// <summary>Sets the default to a literal value (string, number, bool, date); null removes it.</summary>
    public DbColumn SetDefault(object? value)
    {
        if (value is not (null or string or bool or int or long or short or byte or decimal or double or float or DateTime or DateOnly or TimeOnly or Guid))
            throw new SwapException(SwapErrorKind.Refused, $"A default of type {value.GetType().Name} is not supported for column '{Name}'; use a string, number, bool, date or Guid, or SetDefaultSql.");
        DefaultValue = value;
        DefaultIsValue = value is not null;
        DefaultSql = value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
        DefaultChanged = true;
        return this;
    }

    /// <summary>Sets the default to an SQL expression, e.g. <c>CURRENT_TIMESTAMP</c>.</summary>
    public DbColumn SetDefaultSql(string expression)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expression);
        DefaultSql = expression;
        DefaultValue = null;
        DefaultIsValue = false;
        DefaultChanged = true;
        return this;
    }

    public DbColumn DropDefault() => SetDefault(null);

    /// <summary>Allows (true) or forbids (false) NULL.</summary>
    public DbColumn SetNullable(bool nullable = true)
    {
        Nullable = nullable;
        return this;
    }

    public DbColumn NotNull() => SetNullable(false);

    /// <summary>Changes the type. Existing values are converted by the engine when they are copied.</summary>
    public DbColumn SetType(ColumnType type)
    {
        Type = type ?? throw new ArgumentNullException(nameof(type));
        return this;
    }

    /// <summary>Fills the column from an SQL expression over the original row (column names as in the original table).</summary>
    public DbColumn FillWith(string sql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        Fill = sql;
        return this;
    }

    public override string ToString() => Name;
}
