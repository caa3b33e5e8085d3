using System.Buffers;
using System.Buffers.Text;
using System.Globalization;

namespace Swap.MySql.Client.Internal.Sql;

/// <summary>
/// Writes one parameter value as a SQL literal. Strings are UTF-8 encoded strictly (a lone
/// surrogate is an error, never a silent U+FFFD) and escaped by the connection; binary goes as
/// <c>X'..'</c>; numbers use invariant culture; temporal values use MySQL's literal formats.
/// </summary>
internal static partial class ValueWriter
{
    internal static void Write(ByteBuffer output, object? value, IStringEscaper escaper, string name)
    {
        switch (value)
        {
            case null or DBNull: output.Append("NULL"u8); break;
            case string s: WriteString(output, s, escaper, name); break;
            case char c: WriteString(output, c.ToString(), escaper, name); break;
            case bool b: output.Append(b ? "1"u8 : "0"u8); break;
            case sbyte n: WriteInteger(output, n); break;
            case byte n: WriteInteger(output, n); break;
            case short n: WriteInteger(output, n); break;
            case ushort n: WriteInteger(output, n); break;
            case int n: WriteInteger(output, n); break;
            case uint n: WriteInteger(output, n); break;
            case long n: WriteInteger(output, n); break;
            case ulong n: WriteUnsigned(output, n); break;
            case decimal d: Utf8Formatter.TryFormat(d, output.GetSpan(40), out var wd); output.Advance(wd); break;
            case double d: WriteDouble(output, d, name); break;
            case float f: WriteFloat(output, f, name); break;
            case byte[] bytes: WriteBinary(output, bytes); break;
            case ReadOnlyMemory<byte> rom: WriteBinary(output, rom.Span); break;
            case Memory<byte> mem: WriteBinary(output, mem.Span); break;
            case ArraySegment<byte> seg: WriteBinary(output, seg.AsSpan()); break;
            case DateTime dt: WriteQuotedAscii(output, dt.ToString(DateTimeFormat, CultureInfo.InvariantCulture)); break;
            case DateTimeOffset dto: WriteQuotedAscii(output, dto.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture)); break;
            case DateOnly date: WriteQuotedAscii(output, date.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture)); break;
            case TimeOnly time: WriteQuotedAscii(output, time.ToString("HH':'mm':'ss'.'ffffff", CultureInfo.InvariantCulture)); break;
            case TimeSpan span: WriteQuotedAscii(output, FormatTime(span)); break;
            case Guid guid: WriteQuotedAscii(output, guid.ToString("D")); break;
            case Enum e: WriteEnum(output, e); break;
            default:
                throw new MySqlException(
                    $"Parameter '@{name}' has type {value.GetType().FullName}, which cannot be sent to MySQL.",
                    MySqlErrorCodes.ParameterValueInvalid, null, new NotSupportedException());
        }
    }

    private const string DateTimeFormat = "yyyy'-'MM'-'dd' 'HH':'mm':'ss'.'ffffff";

    private static void WriteInteger(ByteBuffer output, long value)
    {
        Utf8Formatter.TryFormat(value, output.GetSpan(20), out var written);
        output.Advance(written);
    }

    private static void WriteUnsigned(ByteBuffer output, ulong value)
    {
        Utf8Formatter.TryFormat(value, output.GetSpan(20), out var written);
        output.Advance(written);
    }

    private static void WriteDouble(ByteBuffer output, double value, string name)
    {
        if (!double.IsFinite(value)) throw NotFinite(name);
        value.TryFormat(output.GetSpan(32), out var written, "R", CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    private static void WriteFloat(ByteBuffer output, float value, string name)
    {
        if (!float.IsFinite(value)) throw NotFinite(name);
        value.TryFormat(output.GetSpan(32), out var written, "R", CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    private static MySqlException NotFinite(string name) =>
        new($"Parameter '@{name}' is NaN or infinite, which MySQL cannot store.", MySqlErrorCodes.ParameterValueInvalid, null);

    private static void WriteEnum(ByteBuffer output, Enum value)
    {
        var underlying = Enum.GetUnderlyingType(value.GetType());
        if (underlying == typeof(ulong)) WriteUnsigned(output, Convert.ToUInt64(value, CultureInfo.InvariantCulture));
        else WriteInteger(output, Convert.ToInt64(value, CultureInfo.InvariantCulture));
    }

    /// <summary>TIME literal: total hours may exceed 24, sign in front ('-838:59:59.000000' .. '838:59:59.000000').</summary>
    internal static string FormatTime(TimeSpan span)
    {
        var negative = span < TimeSpan.Zero;
        var abs = negative ? span.Negate() : span;
        var hours = (long)Math.Floor(abs.TotalHours);
        var micros = abs.Ticks % TimeSpan.TicksPerSecond / 10;
        return string.Create(CultureInfo.InvariantCulture,
            $"{(negative ? "-" : "")}{hours}:{abs.Minutes:00}:{abs.Seconds:00}.{micros:000000}");
    }

    private static void WriteQuotedAscii(ByteBuffer output, string text)
    {
        var span = output.GetSpan(text.Length + 2);
        span[0] = (byte)'\'';
        for (var i = 0; i < text.Length; i++) span[i + 1] = (byte)text[i];
        span[text.Length + 1] = (byte)'\'';
        output.Advance(text.Length + 2);
    }
}
