using System.Text;
using Swap.MySql.Client.Internal.Native;

namespace Swap.MySql.Client.Internal.Reader;

/// <summary>Metadata of one result column, copied out of libmariadb's <c>MYSQL_FIELD</c>.</summary>
internal sealed class ColumnInfo
{
    private ColumnInfo(string name, FieldType type, uint flags, uint charset, ulong length, uint decimals, ColumnKind kind)
    {
        Name = name;
        Type = type;
        Flags = flags;
        Charset = charset;
        Length = length;
        Decimals = decimals;
        Kind = kind;
    }

    internal string Name { get; }
    internal FieldType Type { get; }
    internal uint Flags { get; }
    internal uint Charset { get; }
    internal ulong Length { get; }
    internal uint Decimals { get; }
    internal ColumnKind Kind { get; }
    internal bool IsUnsigned => (Flags & NativeConstants.UnsignedFlag) != 0;

    internal static unsafe ColumnInfo From(MySqlFieldNative* field, bool treatTinyAsBoolean)
    {
        var name = Encoding.UTF8.GetString(field->Name, (int)field->NameLength);
        var type = (FieldType)field->Type;
        var kind = ColumnTypes.KindOf(type, field->Flags, field->CharsetNr, field->Length.Value, treatTinyAsBoolean);
        return new ColumnInfo(name, type, field->Flags, field->CharsetNr, field->Length.Value, field->Decimals, kind);
    }
}
