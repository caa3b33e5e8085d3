using Swap.Engine;
namespace Swap;
/// <summary>The portable column types; each dialect maps them to its own (see docs/writing-migrations.md).</summary>
public enum ColumnKind
{
    SmallInt,
    Int,
    BigInt,
    /// <summary>An unsigned 64-bit integer; MySQL only.</summary>
    UnsignedBigInt,
    Decimal,
    Float,
    Double,
    /// <summary>Text with a maximum length.</summary>
    String,
    Text,
    Boolean,
    Date,
    Time,
    /// <summary>Date and time with microseconds.</summary>
    Timestamp,
    /// <summary>One of a fixed set of strings: native ENUM on MySQL, a CHECK constraint elsewhere.</summary>
    Enum,
    Json,
    Binary,
    Uuid,
    /// <summary>A time interval; PostgreSQL only.</summary>
    Interval,
    /// <summary>A type given in the engine's own words.</summary>
    Native,
}

/// <summary>A portable column type.</summary>
public sealed record ColumnType(ColumnKind Kind, int? Length = null, int? Precision = null, int? Scale = null, IReadOnlyList<string>? Values = null, string? Native = null)
{
    public static ColumnType SmallInt { get; } = new(ColumnKind.SmallInt);
    public static ColumnType Int { get; } = new(ColumnKind.Int);
    public static ColumnType BigInt { get; } = new(ColumnKind.BigInt);
    public static ColumnType UnsignedBigInt { get; } = new(ColumnKind.UnsignedBigInt);
    public static ColumnType Float { get; } = new(ColumnKind.Float);
    public static ColumnType Double { get; } = new(ColumnKind.Double);
    public static ColumnType Text { get; } = new(ColumnKind.Text);
    public static ColumnType Boolean { get; } = new(ColumnKind.Boolean);
    public static ColumnType Date { get; } = new(ColumnKind.Date);
    public static ColumnType Time { get; } = new(ColumnKind.Time);
    public static ColumnType Timestamp { get; } = new(ColumnKind.Timestamp);
    public static ColumnType Json { get; } = new(ColumnKind.Json);
    public static ColumnType Uuid { get; } = new(ColumnKind.Uuid);
    public static ColumnType Interval { get; } = new(ColumnKind.Interval);

    public static ColumnType Decimal(int precision, int scale) =>
        precision is < 1 or > 65 || scale < 0 || scale > precision
            ? throw new SwapException(SwapErrorKind.Refused, $"DECIMAL({precision},{scale}) is not a valid decimal: precision is 1..65 and scale is 0..precision.")
            : new(ColumnKind.Decimal, Precision: precision, Scale: scale);

    public static ColumnType String(int length) =>
        length is < 1 or > 65535
            ? throw new SwapException(SwapErrorKind.Refused, $"A string length of {length} is not valid; use 1..65535, or ColumnType.Text for longer text.")
            : new(ColumnKind.String, Length: length);

    public static ColumnType Binary(int? length = null) =>
        length is < 1 ? throw new SwapException(SwapErrorKind.Refused, $"A binary length of {length} is not valid.") : new(ColumnKind.Binary, Length: length);

    public static ColumnType Enum(params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
            throw new SwapException(SwapErrorKind.Refused, "An enum needs at least one value.");
        var duplicate = values.GroupBy(v => v, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new SwapException(SwapErrorKind.Refused, $"The enum value '{duplicate.Key}' appears twice.");
        return new(ColumnKind.Enum, Values: values);
    }

    /// <summary>A type in the engine's own words (not portable), e.g. <c>MEDIUMTEXT</c> or <c>tsvector</c>.</summary>
    public static ColumnType NativeType(string sql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        if (sql.Contains(';', StringComparison.Ordinal) || sql.Contains("--", StringComparison.Ordinal) || sql.Contains("/*", StringComparison.Ordinal))
            throw new SwapException(SwapErrorKind.Refused, $"The native type '{sql}' contains ';' or a comment; give just the type.");
        return new(ColumnKind.Native, Native: sql);
    }

    public bool Equals(ColumnType? other) =>
        other is not null && Kind == other.Kind && Length == other.Length && Precision == other.Precision && Scale == other.Scale && Native == other.Native
        && (Values ?? []).SequenceEqual(other.Values ?? [], StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Kind, Length, Precision, Scale, Native);

    public override string ToString() => Kind switch
    {
        ColumnKind.Decimal => $"decimal({Precision},{Scale})",
        ColumnKind.String => $"string({Length})",
        ColumnKind.Binary when Length is not null => $"binary({Length})",
        ColumnKind.Enum => $"enum({string.Join(", ", Values!)})",
        ColumnKind.Native => Native!,
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
