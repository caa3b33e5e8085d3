using System.Text;
using Swap.MySql.Client.Internal.Reader;

namespace Swap.MySql.Client;

public sealed partial class MySqlDataReader
{
    /// <summary>The value as the type <see cref="GetFieldType"/> reports, or <see cref="DBNull.Value"/>.</summary>
    public override object GetValue(int ordinal)
    {
        var column = Column(ordinal);
        if (IsDBNull(ordinal)) return DBNull.Value;
        return column.Kind switch
        {
            ColumnKind.Boolean => GetBoolean(ordinal),
            ColumnKind.SByte => GetSByte(ordinal),
            ColumnKind.Byte => GetByte(ordinal),
            ColumnKind.Int16 => GetInt16(ordinal),
            ColumnKind.UInt16 => GetUInt16(ordinal),
            ColumnKind.Int32 => GetInt32(ordinal),
            ColumnKind.UInt32 => GetUInt32(ordinal),
            ColumnKind.Int64 => GetInt64(ordinal),
            ColumnKind.UInt64 or ColumnKind.Bit => GetUInt64(ordinal),
            ColumnKind.Decimal => GetDecimal(ordinal),
            ColumnKind.Single => GetFloat(ordinal),
            ColumnKind.Double => GetDouble(ordinal),
            ColumnKind.Date or ColumnKind.DateTime => GetDateTime(ordinal),
            ColumnKind.Time => GetTimeSpan(ordinal),
            ColumnKind.Year => GetInt32(ordinal),
            ColumnKind.Binary => Bytes(ordinal).ToArray(),
            _ => GetString(ordinal),
        };
    }

    public override int GetValues(object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var count = Math.Min(values.Length, _columns.Length);
        for (var i = 0; i < count; i++) values[i] = GetValue(i);
        return count;
    }

    /// <summary>
    /// Typed access; <typeparamref name="T"/> may be any type with a getter here, a nullable of one
    /// (NULL gives null), an enum (from its integer or name), <see cref="Stream"/> or <see cref="TextReader"/>.
    /// </summary>
    public override T GetFieldValue<T>(int ordinal)
    {
        var type = typeof(T);
        var underlying = Nullable.GetUnderlyingType(type);
        if (IsDBNull(ordinal))
        {
            if (underlying != null || !type.IsValueType) return default!;
            throw new InvalidCastException($"Column '{_columns[ordinal].Name}' is NULL and cannot be read as {type.Name}.");
        }
        return (T)Convert(ordinal, underlying ?? type);
    }

    public override Task<T> GetFieldValueAsync<T>(int ordinal, CancellationToken cancellationToken) =>
        Task.FromResult(GetFieldValue<T>(ordinal));

    private object Convert(int ordinal, Type type)
    {
        if (type == typeof(object)) return GetValue(ordinal);
        if (type.IsEnum)
        {
            var kind = Column(ordinal).Kind;
            return kind == ColumnKind.String
                ? Enum.Parse(type, GetString(ordinal), ignoreCase: true)
                : Enum.ToObject(type, Integer(ordinal));
        }
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => GetBoolean(ordinal),
            TypeCode.SByte => GetSByte(ordinal),
            TypeCode.Byte => GetByte(ordinal),
            TypeCode.Int16 => GetInt16(ordinal),
            TypeCode.UInt16 => GetUInt16(ordinal),
            TypeCode.Int32 => GetInt32(ordinal),
            TypeCode.UInt32 => GetUInt32(ordinal),
            TypeCode.Int64 => GetInt64(ordinal),
            TypeCode.UInt64 => GetUInt64(ordinal),
            TypeCode.Decimal => GetDecimal(ordinal),
            TypeCode.Single => GetFloat(ordinal),
            TypeCode.Double => GetDouble(ordinal),
            TypeCode.String => GetString(ordinal),
            TypeCode.Char => GetChar(ordinal),
            TypeCode.DateTime => GetDateTime(ordinal),
            _ => ConvertOther(ordinal, type),
        };
    }

    private object ConvertOther(int ordinal, Type type)
    {
        if (type == typeof(byte[])) return Bytes(ordinal).ToArray();
        if (type == typeof(Guid)) return GetGuid(ordinal);
        if (type == typeof(TimeSpan)) return GetTimeSpan(ordinal);
        if (type == typeof(DateTimeOffset)) return GetDateTimeOffset(ordinal);
        if (type == typeof(DateOnly)) return GetDateOnly(ordinal);
        if (type == typeof(TimeOnly)) return GetTimeOnly(ordinal);
        if (type == typeof(Stream) || type == typeof(MemoryStream)) return GetStream(ordinal);
        if (type == typeof(TextReader) || type == typeof(StringReader)) return GetTextReader(ordinal);
        throw new InvalidCastException($"Column '{_columns[ordinal].Name}' cannot be read as {type.FullName}.");
    }

    /// <summary>Copies bytes from offset <paramref name="dataOffset"/>; with a null buffer returns the value's length.</summary>
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var bytes = Bytes(ordinal);
        if (buffer is null) return bytes.Length;
        ArgumentOutOfRangeException.ThrowIfNegative(dataOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (bufferOffset < 0 || bufferOffset > buffer.Length) throw new ArgumentOutOfRangeException(nameof(bufferOffset));
        if (dataOffset >= bytes.Length) return 0;
        var count = (int)Math.Min(Math.Min(length, bytes.Length - dataOffset), buffer.Length - bufferOffset);
        bytes.Slice((int)dataOffset, count).CopyTo(buffer.AsSpan(bufferOffset));
        return count;
    }

    /// <summary>Copies characters of the decoded string; with a null buffer returns its length.</summary>
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        var text = GetString(ordinal);
        if (buffer is null) return text.Length;
        ArgumentOutOfRangeException.ThrowIfNegative(dataOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (bufferOffset < 0 || bufferOffset > buffer.Length) throw new ArgumentOutOfRangeException(nameof(bufferOffset));
        if (dataOffset >= text.Length) return 0;
        var count = (int)Math.Min(Math.Min(length, text.Length - dataOffset), buffer.Length - bufferOffset);
        text.AsSpan((int)dataOffset, count).CopyTo(buffer.AsSpan(bufferOffset));
        return count;
    }

    /// <summary>A read-only copy of the value (the row buffer is reused by the next Read).</summary>
    public override Stream GetStream(int ordinal) => new MemoryStream(Bytes(ordinal).ToArray(), writable: false);

    public override TextReader GetTextReader(int ordinal) => new StringReader(Encoding.UTF8.GetString(Bytes(ordinal)));
}
