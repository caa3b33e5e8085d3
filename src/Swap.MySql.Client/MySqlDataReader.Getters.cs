using System.Runtime.InteropServices;
using System.Text;
using Swap.MySql.Client.Internal.Reader;

namespace Swap.MySql.Client;

public sealed partial class MySqlDataReader
{
    public override string GetName(int ordinal) => Column(ordinal).Name;

    public override string GetDataTypeName(int ordinal) => ColumnTypes.TypeName(Column(ordinal));

    public override Type GetFieldType(int ordinal) => ColumnTypes.ClrType(Column(ordinal).Kind);

    /// <summary>Exact (ordinal) match first, then case-insensitive; throws <see cref="IndexOutOfRangeException"/> if absent.</summary>
    public override int GetOrdinal(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (var i = 0; i < _columns.Length; i++)
        {
            if (string.Equals(_columns[i].Name, name, StringComparison.Ordinal)) return i;
        }
        if (_ordinals is null)
        {
            _ordinals = new Dictionary<string, int>(_columns.Length, StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < _columns.Length; i++) _ordinals.TryAdd(_columns[i].Name, i);
        }
        return _ordinals.TryGetValue(name, out var ordinal)
            ? ordinal
            : throw new IndexOutOfRangeException($"The result has no column named '{name}'.");
    }

    public override unsafe bool IsDBNull(int ordinal)
    {
        Column(ordinal);
        return ((byte**)CurrentRow())[ordinal] == null;
    }

    public override Task<bool> IsDBNullAsync(int ordinal, CancellationToken cancellationToken) =>
        IsDBNull(ordinal) ? TrueTask : FalseTask;

    public override bool GetBoolean(int ordinal)
    {
        var text = Bytes(ordinal);
        return Column(ordinal).Kind switch
        {
            ColumnKind.Bit => TextParser.Bit(text) != 0,
            ColumnKind.Decimal or ColumnKind.Single or ColumnKind.Double => TextParser.Double(text) != 0,
            _ => TextParser.Int64(text) != 0,
        };
    }

    public override byte GetByte(int ordinal) => checked((byte)Integer(ordinal));
    public sbyte GetSByte(int ordinal) => checked((sbyte)Integer(ordinal));
    public override short GetInt16(int ordinal) => checked((short)Integer(ordinal));
    public ushort GetUInt16(int ordinal) => checked((ushort)UnsignedInteger(ordinal));
    public override int GetInt32(int ordinal) => checked((int)Integer(ordinal));
    public uint GetUInt32(int ordinal) => checked((uint)UnsignedInteger(ordinal));
    public override long GetInt64(int ordinal) => Integer(ordinal);
    public ulong GetUInt64(int ordinal) => UnsignedInteger(ordinal);
    public override decimal GetDecimal(int ordinal) => TextParser.Decimal(Bytes(ordinal));
    public override double GetDouble(int ordinal) => TextParser.Double(Bytes(ordinal));
    public override float GetFloat(int ordinal) => TextParser.Single(Bytes(ordinal));

    public override string GetString(int ordinal) => Encoding.UTF8.GetString(Bytes(ordinal));

    public override char GetChar(int ordinal)
    {
        var s = GetString(ordinal);
        return s.Length > 0 ? s[0] : throw new InvalidCastException("The value is an empty string.");
    }

    /// <summary>DATE, DATETIME and TIMESTAMP as <see cref="DateTimeKind.Unspecified"/>; zero dates throw.</summary>
    public override DateTime GetDateTime(int ordinal) => TextParser.DateTime(Bytes(ordinal));

    /// <summary>A DATETIME/TIMESTAMP read as UTC (the convention used when sending DateTimeOffset).</summary>
    public DateTimeOffset GetDateTimeOffset(int ordinal) => new(DateTime.SpecifyKind(GetDateTime(ordinal), DateTimeKind.Utc));

    public DateOnly GetDateOnly(int ordinal) => DateOnly.FromDateTime(GetDateTime(ordinal));

    /// <summary>TIME values, which may be negative or exceed 24 hours.</summary>
    public TimeSpan GetTimeSpan(int ordinal) => TextParser.Time(Bytes(ordinal));

    public TimeOnly GetTimeOnly(int ordinal) => TimeOnly.FromTimeSpan(GetTimeSpan(ordinal));

    /// <summary>CHAR(36)/text as a formatted GUID, or BINARY(16) as RFC 4122 (big-endian) bytes.</summary>
    public override Guid GetGuid(int ordinal)
    {
        var bytes = Bytes(ordinal);
        if (Column(ordinal).Kind == ColumnKind.Binary && bytes.Length == 16) return new Guid(bytes, bigEndian: true);
        return Guid.Parse(Encoding.UTF8.GetString(bytes));
    }

    /// <summary>The raw bytes of the current value, valid until the next Read (no copy).</summary>
    public ReadOnlySpan<byte> GetRawBytes(int ordinal) => Bytes(ordinal);

    private long Integer(int ordinal)
    {
        var column = Column(ordinal);
        var text = Bytes(ordinal);
        return column.Kind switch
        {
            ColumnKind.Bit => checked((long)TextParser.Bit(text)),
            ColumnKind.UInt64 => checked((long)TextParser.UInt64(text)),
            _ => TextParser.Int64(text),
        };
    }

    private ulong UnsignedInteger(int ordinal)
    {
        var column = Column(ordinal);
        var text = Bytes(ordinal);
        return column.Kind == ColumnKind.Bit ? TextParser.Bit(text) : TextParser.UInt64(text);
    }

    private ColumnInfo Column(int ordinal)
    {
        var columns = _columns;
        if ((uint)ordinal >= (uint)columns.Length)
            throw new IndexOutOfRangeException($"Column ordinal {ordinal} is out of range (the result has {columns.Length} columns).");
        return columns[ordinal];
    }

    private nint CurrentRow() => _row != 0 ? _row : throw new InvalidOperationException("There is no current row; call Read first (and check that it returned true).");

    private unsafe ReadOnlySpan<byte> Bytes(int ordinal)
    {
        var row = (byte**)CurrentRow();
        if ((uint)ordinal >= (uint)_columns.Length) Column(ordinal);
        var value = row[ordinal];
        if (value == null)
            throw new InvalidCastException($"Column '{_columns[ordinal].Name}' is NULL; check IsDBNull before calling a typed getter.");
        return new ReadOnlySpan<byte>(value, (int)((CULong*)_lengths)[ordinal].Value);
    }
}
