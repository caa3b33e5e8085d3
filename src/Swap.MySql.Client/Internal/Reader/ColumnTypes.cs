using Swap.MySql.Client.Internal.Native;

namespace Swap.MySql.Client.Internal.Reader;

/// <summary>Maps MySQL column types to <see cref="ColumnKind"/>, CLR types and type names.</summary>
internal static class ColumnTypes
{
    internal static ColumnKind KindOf(FieldType type, uint flags, uint charset, nuint length, bool treatTinyAsBoolean)
    {
        var unsigned = (flags & NativeConstants.UnsignedFlag) != 0;
        return type switch
        {
            FieldType.Null => ColumnKind.Null,
            FieldType.Tiny when treatTinyAsBoolean && length == 1 && !unsigned => ColumnKind.Boolean,
            FieldType.Tiny => unsigned ? ColumnKind.Byte : ColumnKind.SByte,
            FieldType.Short => unsigned ? ColumnKind.UInt16 : ColumnKind.Int16,
            FieldType.Int24 or FieldType.Long => unsigned ? ColumnKind.UInt32 : ColumnKind.Int32,
            FieldType.LongLong => unsigned ? ColumnKind.UInt64 : ColumnKind.Int64,
            FieldType.Decimal or FieldType.NewDecimal => ColumnKind.Decimal,
            FieldType.Float => ColumnKind.Single,
            FieldType.Double => ColumnKind.Double,
            FieldType.Bit => ColumnKind.Bit,
            FieldType.Date or FieldType.NewDate => ColumnKind.Date,
            FieldType.DateTime or FieldType.Timestamp or FieldType.DateTime2 or FieldType.Timestamp2 => ColumnKind.DateTime,
            FieldType.Time or FieldType.Time2 => ColumnKind.Time,
            FieldType.Year => ColumnKind.Year,
            FieldType.Geometry => ColumnKind.Binary,
            // Character data and BLOBs share types; charset 63 ("binary") marks bytes.
            _ => charset == NativeConstants.BinaryCharset && type != FieldType.Json ? ColumnKind.Binary : ColumnKind.String,
        };
    }

    internal static Type ClrType(ColumnKind kind) => kind switch
    {
        ColumnKind.Null => typeof(object),
        ColumnKind.Boolean => typeof(bool),
        ColumnKind.SByte => typeof(sbyte),
        ColumnKind.Byte => typeof(byte),
        ColumnKind.Int16 => typeof(short),
        ColumnKind.UInt16 => typeof(ushort),
        ColumnKind.Int32 => typeof(int),
        ColumnKind.UInt32 => typeof(uint),
        ColumnKind.Int64 => typeof(long),
        ColumnKind.UInt64 or ColumnKind.Bit => typeof(ulong),
        ColumnKind.Decimal => typeof(decimal),
        ColumnKind.Single => typeof(float),
        ColumnKind.Double => typeof(double),
        ColumnKind.Date or ColumnKind.DateTime => typeof(DateTime),
        ColumnKind.Time => typeof(TimeSpan),
        ColumnKind.Year => typeof(int),
        ColumnKind.Binary => typeof(byte[]),
        _ => typeof(string),
    };

    internal static string TypeName(ColumnInfo column)
    {
        var name = column.Type switch
        {
            FieldType.Tiny => column.Kind == ColumnKind.Boolean ? "BOOL" : "TINYINT",
            FieldType.Short => "SMALLINT",
            FieldType.Int24 => "MEDIUMINT",
            FieldType.Long => "INT",
            FieldType.LongLong => "BIGINT",
            FieldType.Decimal or FieldType.NewDecimal => "DECIMAL",
            FieldType.Float => "FLOAT",
            FieldType.Double => "DOUBLE",
            FieldType.Null => "NULL",
            FieldType.Timestamp or FieldType.Timestamp2 => "TIMESTAMP",
            FieldType.Date or FieldType.NewDate => "DATE",
            FieldType.Time or FieldType.Time2 => "TIME",
            FieldType.DateTime or FieldType.DateTime2 => "DATETIME",
            FieldType.Year => "YEAR",
            FieldType.Bit => "BIT",
            FieldType.Json => "JSON",
            FieldType.Geometry => "GEOMETRY",
            FieldType.TinyBlob or FieldType.MediumBlob or FieldType.LongBlob or FieldType.Blob =>
                column.Kind == ColumnKind.Binary ? "BLOB" : "TEXT",
            FieldType.VarChar or FieldType.VarString => column.Kind == ColumnKind.Binary ? "VARBINARY" : "VARCHAR",
            FieldType.String when (column.Flags & NativeConstants.EnumFlag) != 0 => "ENUM",
            FieldType.String when (column.Flags & NativeConstants.SetFlag) != 0 => "SET",
            FieldType.String => column.Kind == ColumnKind.Binary ? "BINARY" : "CHAR",
            _ => column.Type.ToString().ToUpperInvariant(),
        };
        return column.IsUnsigned && column.Kind is ColumnKind.Byte or ColumnKind.UInt16 or ColumnKind.UInt32 or ColumnKind.UInt64
            ? name + " UNSIGNED"
            : name;
    }
}
