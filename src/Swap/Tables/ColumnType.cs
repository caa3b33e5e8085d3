using Swap.Engine;
namespace Swap;
/// <summary>The portable column types; each dialect maps them to its own (see docs/writing-migrations.md).</summary>
public enum ColumnKind
{
    /// <summary>A 16-bit signed integer (SQLite stores every integer as 64-bit <c>INTEGER</c>).</summary>
    SmallInt,
    /// <summary>A 32-bit signed integer.</summary>
    Int,
    /// <summary>A 64-bit signed integer.</summary>
    BigInt,
    /// <summary>An unsigned 64-bit integer; MySQL only.</summary>
    UnsignedBigInt,
    /// <summary>An exact decimal with a precision and a scale.</summary>
    Decimal,
    /// <summary>A 4-byte floating-point number (8-byte <c>REAL</c> on SQLite).</summary>
    Float,
    /// <summary>An 8-byte floating-point number.</summary>
    Double,
    /// <summary>Text with a maximum length.</summary>
    String,
    /// <summary>Text without a length limit.</summary>
    Text,
    /// <summary>True or false: <c>TINYINT(1)</c> on MySQL, 0 or 1 under a CHECK on SQLite.</summary>
    Boolean,
    /// <summary>A calendar date without a time.</summary>
    Date,
    /// <summary>A time of day with microseconds (SQLite stores it as text).</summary>
    Time,
    /// <summary>Date and time with microseconds.</summary>
    Timestamp,
    /// <summary>One of a fixed set of strings: native ENUM on MySQL, a CHECK constraint elsewhere.</summary>
    Enum,
    /// <summary>A JSON document: <c>JSON</c> on MySQL, <c>jsonb</c> on PostgreSQL, text checked by <c>json_valid</c> on SQLite.</summary>
    Json,
    /// <summary>Bytes, with an optional maximum length (MySQL only enforces it).</summary>
    Binary,
    /// <summary>A UUID: <c>uuid</c> on PostgreSQL, <c>CHAR(36)</c> text on MySQL, <c>TEXT</c> on SQLite.</summary>
    Uuid,
    /// <summary>A time interval; PostgreSQL only.</summary>
    Interval,
    /// <summary>A type given in the engine's own words.</summary>
    Native,
}

/// <summary>A portable column type.</summary>
public sealed record ColumnType(ColumnKind Kind, int? Length = null, int? Precision = null, int? Scale = null, IReadOnlyList<string>? Values = null, string? Native = null)
{
    /// <summary><c>SMALLINT</c> on MySQL, <c>smallint</c> on PostgreSQL, <c>INTEGER</c> on SQLite.</summary>
    public static ColumnType SmallInt { get; } = new(ColumnKind.SmallInt);
    /// <summary><c>INT</c> on MySQL, <c>integer</c> on PostgreSQL, <c>INTEGER</c> on SQLite.</summary>
    public static ColumnType Int { get; } = new(ColumnKind.Int);
    /// <summary><c>BIGINT</c> on MySQL, <c>bigint</c> on PostgreSQL, <c>INTEGER</c> on SQLite.</summary>
    public static ColumnType BigInt { get; } = new(ColumnKind.BigInt);
    /// <summary><c>BIGINT UNSIGNED</c>; MySQL only, refused on PostgreSQL and SQLite (use <see cref="Decimal"/>(20, 0) or <see cref="BigInt"/>).</summary>
    public static ColumnType UnsignedBigInt { get; } = new(ColumnKind.UnsignedBigInt);
    /// <summary><c>FLOAT</c> on MySQL, <c>real</c> on PostgreSQL, <c>REAL</c> on SQLite.</summary>
    public static ColumnType Float { get; } = new(ColumnKind.Float);
    /// <summary><c>DOUBLE</c> on MySQL, <c>double precision</c> on PostgreSQL, <c>REAL</c> on SQLite.</summary>
    public static ColumnType Double { get; } = new(ColumnKind.Double);
    /// <summary><c>LONGTEXT</c> on MySQL, <c>text</c> on PostgreSQL, <c>TEXT</c> on SQLite.</summary>
    public static ColumnType Text { get; } = new(ColumnKind.Text);
    /// <summary><c>TINYINT(1)</c> on MySQL, <c>boolean</c> on PostgreSQL, <c>BOOLEAN</c> with <c>CHECK (col IN (0, 1))</c> on SQLite.</summary>
    public static ColumnType Boolean { get; } = new(ColumnKind.Boolean);
    /// <summary><c>DATE</c> on MySQL and SQLite, <c>date</c> on PostgreSQL.</summary>
    public static ColumnType Date { get; } = new(ColumnKind.Date);
    /// <summary><c>TIME(6)</c> on MySQL, <c>time(6) without time zone</c> on PostgreSQL, <c>TIME</c> on SQLite.</summary>
    public static ColumnType Time { get; } = new(ColumnKind.Time);
    /// <summary>
    /// <c>DATETIME(6)</c> on MySQL, <c>timestamp(6) without time zone</c> on PostgreSQL, <c>DATETIME</c>
    /// on SQLite: a date and time with microseconds and no zone (store UTC).
    /// </summary>
    public static ColumnType Timestamp { get; } = new(ColumnKind.Timestamp);
    /// <summary><c>JSON</c> on MySQL, <c>jsonb</c> on PostgreSQL, <c>TEXT</c> with <c>CHECK (json_valid(col))</c> on SQLite.</summary>
    public static ColumnType Json { get; } = new(ColumnKind.Json);
    /// <summary><c>CHAR(36)</c> on MySQL, <c>uuid</c> on PostgreSQL, <c>TEXT</c> on SQLite.</summary>
    public static ColumnType Uuid { get; } = new(ColumnKind.Uuid);
    /// <summary><c>interval</c>; PostgreSQL only, refused on MySQL and SQLite (store seconds in a <see cref="BigInt"/>).</summary>
    public static ColumnType Interval { get; } = new(ColumnKind.Interval);

    /// <summary>
    /// An exact decimal of <paramref name="precision"/> digits (1 to 65), <paramref name="scale"/> of them
    /// after the point (0 to <paramref name="precision"/>): <c>DECIMAL(p,s)</c> on MySQL,
    /// <c>numeric(p,s)</c> on PostgreSQL, <c>NUMERIC(p,s)</c> on SQLite (which keeps numeric affinity, not exact digits).
    /// </summary>
    /// <exception cref="SwapException">The precision or scale is out of range (<see cref="SwapErrorKind.Refused"/>).</exception>
    public static ColumnType Decimal(int precision, int scale) =>
        precision is < 1 or > 65 || scale < 0 || scale > precision
            ? throw new SwapException(SwapErrorKind.Refused, $"DECIMAL({precision},{scale}) is not a valid decimal: precision is 1..65 and scale is 0..precision.")
            : new(ColumnKind.Decimal, Precision: precision, Scale: scale);

    /// <summary>
    /// Text of at most <paramref name="length"/> characters (1 to 65,535): <c>VARCHAR(n)</c> on MySQL,
    /// <c>character varying(n)</c> on PostgreSQL, <c>VARCHAR(n)</c> on SQLite, which does not enforce the length.
    /// </summary>
    /// <exception cref="SwapException">The length is out of range (<see cref="SwapErrorKind.Refused"/>); use <see cref="Text"/> for longer text.</exception>
    public static ColumnType String(int length) =>
        length is < 1 or > 65535
            ? throw new SwapException(SwapErrorKind.Refused, $"A string length of {length} is not valid; use 1..65535, or ColumnType.Text for longer text.")
            : new(ColumnKind.String, Length: length);

    /// <summary>
    /// Bytes: <c>VARBINARY(n)</c> on MySQL with a <paramref name="length"/>, <c>LONGBLOB</c> without;
    /// <c>bytea</c> on PostgreSQL and <c>BLOB</c> on SQLite, whatever the length.
    /// </summary>
    /// <exception cref="SwapException">The length is below 1 (<see cref="SwapErrorKind.Refused"/>).</exception>
    public static ColumnType Binary(int? length = null) =>
        length is < 1 ? throw new SwapException(SwapErrorKind.Refused, $"A binary length of {length} is not valid.") : new(ColumnKind.Binary, Length: length);

    /// <summary>
    /// One of <paramref name="values"/> (case-sensitive): a native <c>ENUM('a','b')</c> on MySQL;
    /// <c>text</c> on PostgreSQL and <c>TEXT</c> on SQLite with a <c>CHECK (col IN ('a', 'b'))</c> constraint.
    /// </summary>
    /// <exception cref="SwapException">No values, or a value given twice (<see cref="SwapErrorKind.Refused"/>).</exception>
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

    /// <summary>True when the kind, length, precision, scale, native text and enum values (in order) are the same.</summary>
    public bool Equals(ColumnType? other) =>
        other is not null && Kind == other.Kind && Length == other.Length && Precision == other.Precision && Scale == other.Scale && Native == other.Native
        && (Values ?? []).SequenceEqual(other.Values ?? [], StringComparer.Ordinal);

    /// <summary>A hash consistent with <see cref="Equals(ColumnType?)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(Kind, Length, Precision, Scale, Native);

    /// <summary>A short portable description: <c>int</c>, <c>decimal(10,2)</c>, <c>string(200)</c>, <c>enum(a, b)</c>, or the native type's text.</summary>
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
