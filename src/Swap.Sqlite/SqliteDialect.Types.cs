using Swap.Engine;

namespace Swap.Sqlite;

internal sealed partial class SqliteDialect
{
    public override string TypeSql(ColumnType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Kind switch
        {
            ColumnKind.SmallInt or ColumnKind.Int or ColumnKind.BigInt => "INTEGER",
            ColumnKind.Boolean => "BOOLEAN",
            ColumnKind.Decimal => $"NUMERIC({type.Precision},{type.Scale})",
            ColumnKind.Float or ColumnKind.Double => "REAL",
            ColumnKind.String => $"VARCHAR({type.Length})",
            ColumnKind.Text or ColumnKind.Json or ColumnKind.Enum => "TEXT",
            ColumnKind.Date => "DATE",
            ColumnKind.Time => "TIME",
            ColumnKind.Timestamp => "DATETIME",
            ColumnKind.Binary => "BLOB",
            ColumnKind.Uuid => "TEXT",
            ColumnKind.Native => type.Native!,
            ColumnKind.UnsignedBigInt => throw Lacks(type, "Use DbColumn.BigInt (SQLite integers are signed 64-bit) or a decimal."),
            ColumnKind.Interval => throw Lacks(type, "Store the interval as a number of seconds (BigInt) or as ISO-8601 text."),
            _ => throw Lacks(type, "Use a native type with ColumnType.NativeType(...)."),
        };
    }

    /// <summary>
    /// The type of a column in a <c>STRICT</c> table, which accepts only INT, INTEGER, REAL, TEXT,
    /// BLOB and ANY; null for a portable type a STRICT table cannot hold faithfully (decimal).
    /// </summary>
    internal string? StrictTypeSql(ColumnType type) => type.Kind switch
    {
        ColumnKind.SmallInt or ColumnKind.Int or ColumnKind.BigInt or ColumnKind.Boolean => "INTEGER",
        ColumnKind.Float or ColumnKind.Double => "REAL",
        ColumnKind.String or ColumnKind.Text or ColumnKind.Json or ColumnKind.Enum or ColumnKind.Uuid
            or ColumnKind.Date or ColumnKind.Time or ColumnKind.Timestamp => "TEXT",
        ColumnKind.Binary => "BLOB",
        ColumnKind.Native => type.Native!,
        ColumnKind.Decimal => null,
        _ => TypeSql(type),
    };

    /// <summary>True when a CREATE TABLE's options (after the column list) make the table STRICT.</summary>
    internal static bool IsStrict(string options) =>
        options.Split([',', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries).Any(o => o.Equals("STRICT", StringComparison.OrdinalIgnoreCase));

    /// <summary>Column constraints a portable type needs on SQLite: enums and booleans are checked, JSON is validated.</summary>
    internal string? TypeCheck(string column, ColumnType? type) => type?.Kind switch
    {
        ColumnKind.Enum => $"CHECK ({Quote(column)} IN ({string.Join(", ", type.Values!.Select(Literal))}))",
        ColumnKind.Boolean => $"CHECK ({Quote(column)} IN (0, 1))",
        ColumnKind.Json => $"CHECK ({Quote(column)} IS NULL OR json_valid({Quote(column)}))",
        _ => null,
    };

    public override string ValueLiteral(object value) => value is bool b ? (b ? "1" : "0") : base.ValueLiteral(value);
}
