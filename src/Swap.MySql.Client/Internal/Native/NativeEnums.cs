namespace Swap.MySql.Client.Internal.Native;

/// <summary>Subset of <c>enum mysql_option</c> from mysql.h.</summary>
internal enum MySqlOption
{
    ConnectTimeout = 0,
    InitCommand = 3,
    SetCharsetName = 7,
    LocalInfile = 8,
    ReadTimeout = 11,
    WriteTimeout = 12,
    SslVerifyServerCert = 21,
    SslCa = 27,
    SslEnforce = 38,
    MaxAllowedPacket = 39,
    NonBlock = 6000,
}

/// <summary>Subset of <c>enum mariadb_value</c> for <c>mariadb_get_info</c>.</summary>
internal enum MariaDbValue
{
    ConnectionServerStatus = 30,
}

/// <summary><c>enum enum_field_types</c> from mariadb_com.h.</summary>
internal enum FieldType : byte
{
    Decimal = 0, Tiny = 1, Short = 2, Long = 3, Float = 4, Double = 5, Null = 6, Timestamp = 7,
    LongLong = 8, Int24 = 9, Date = 10, Time = 11, DateTime = 12, Year = 13, NewDate = 14,
    VarChar = 15, Bit = 16, Timestamp2 = 17, DateTime2 = 18, Time2 = 19,
    Json = 245, NewDecimal = 246, Enum = 247, Set = 248, TinyBlob = 249, MediumBlob = 250,
    LongBlob = 251, Blob = 252, VarString = 253, String = 254, Geometry = 255,
}

/// <summary>Column flag bits and client/server constants from mariadb_com.h and mysql.h.</summary>
internal static class NativeConstants
{
    internal const uint UnsignedFlag = 32;
    internal const uint EnumFlag = 256;
    internal const uint SetFlag = 2048;
    internal const uint BinaryCharset = 63;

    internal const ulong ClientFoundRows = 2;
    internal const ulong ClientMultiStatements = 1UL << 16;
    internal const ulong ClientMultiResults = 1UL << 17;

    internal const uint ServerStatusNoBackslashEscapes = 512;

    internal const int WaitRead = 1;
    internal const int WaitWrite = 2;
    internal const int WaitExcept = 4;
    internal const int WaitTimeout = 8;
}
