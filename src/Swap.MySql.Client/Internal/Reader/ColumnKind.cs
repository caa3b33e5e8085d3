namespace Swap.MySql.Client.Internal.Reader;

/// <summary>How a column's text-protocol bytes are decoded; decided once per result set.</summary>
internal enum ColumnKind : byte
{
    Null,
    Boolean,
    SByte, Byte, Int16, UInt16, Int32, UInt32, Int64, UInt64,
    Decimal, Single, Double,
    Bit,
    Date, DateTime, Time, Year,
    String,
    Binary,
}
