using System.Runtime.InteropServices;

namespace Swap.MySql.Client.Internal.Native;

/// <summary>
/// <c>MYSQL_FIELD</c> as declared in mysql.h (identical in libmariadb 3.x and libmysqlclient 21).
/// Only read through pointers returned by <c>mysql_fetch_field_direct</c>; never allocated here.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MySqlFieldNative
{
    public byte* Name;
    public byte* OrgName;
    public byte* Table;
    public byte* OrgTable;
    public byte* Db;
    public byte* Catalog;
    public byte* Def;
    public CULong Length;
    public CULong MaxLength;
    public uint NameLength;
    public uint OrgNameLength;
    public uint TableLength;
    public uint OrgTableLength;
    public uint DbLength;
    public uint CatalogLength;
    public uint DefLength;
    public uint Flags;
    public uint Decimals;
    public uint CharsetNr;
    public int Type;
    public void* Extension;
}
