using Swap.Engine;

namespace Swap.PostgreSql;

internal sealed partial class PostgresDialect
{
    public override string TypeSql(ColumnType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Kind switch
        {
            ColumnKind.SmallInt => "smallint",
            ColumnKind.Int => "integer",
            ColumnKind.BigInt => "bigint",
            ColumnKind.Decimal => $"numeric({type.Precision},{type.Scale})",
            ColumnKind.Float => "real",
            ColumnKind.Double => "double precision",
            ColumnKind.String => $"character varying({type.Length})",
            ColumnKind.Text or ColumnKind.Enum => "text",
            ColumnKind.Boolean => "boolean",
            ColumnKind.Date => "date",
            ColumnKind.Time => "time(6) without time zone",
            ColumnKind.Timestamp => "timestamp(6) without time zone",
            ColumnKind.Json => "jsonb",
            ColumnKind.Binary => "bytea",
            ColumnKind.Uuid => "uuid",
            ColumnKind.Interval => "interval",
            ColumnKind.Native => type.Native!,
            ColumnKind.UnsignedBigInt => throw Lacks(type, "Use DbColumn.Decimal(name, 20, 0) for values above 2^63, or DbColumn.BigInt."),
            _ => throw Lacks(type, "Use a native type with ColumnType.NativeType(...)."),
        };
    }

    /// <summary>An enum is a text column with a CHECK constraint on PostgreSQL.</summary>
    internal string? TypeCheck(string column, ColumnType? type) => type?.Kind == ColumnKind.Enum
        ? $"CHECK ({Quote(column)} IN ({string.Join(", ", type.Values!.Select(Literal))}))"
        : null;
}
