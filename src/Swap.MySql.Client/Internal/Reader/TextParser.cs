using System.Buffers.Text;

namespace Swap.MySql.Client.Internal.Reader;

/// <summary>
/// Parses text-protocol values straight from libmariadb's row buffer without allocating.
/// Throws <see cref="InvalidCastException"/> (the ADO.NET convention) on text that is not of the type.
/// </summary>
internal static class TextParser
{
    internal static long Int64(ReadOnlySpan<byte> text)
    {
        if (Utf8Parser.TryParse(text, out long value, out var used) && used == text.Length) return value;
        throw Invalid(text, "a signed integer");
    }

    internal static ulong UInt64(ReadOnlySpan<byte> text)
    {
        if (Utf8Parser.TryParse(text, out ulong value, out var used) && used == text.Length) return value;
        throw Invalid(text, "an unsigned integer");
    }

    internal static decimal Decimal(ReadOnlySpan<byte> text)
    {
        if (Utf8Parser.TryParse(text, out decimal value, out var used) && used == text.Length) return value;
        if (Utf8Parser.TryParse(text, out value, out used, 'E') && used == text.Length) return value;
        throw Invalid(text, "a decimal");
    }

    internal static double Double(ReadOnlySpan<byte> text)
    {
        if (Utf8Parser.TryParse(text, out double value, out var used) && used == text.Length) return value;
        throw Invalid(text, "a floating-point number");
    }

    internal static float Single(ReadOnlySpan<byte> text)
    {
        if (Utf8Parser.TryParse(text, out float value, out var used) && used == text.Length) return value;
        throw Invalid(text, "a floating-point number");
    }

    /// <summary>BIT(n) arrives as ceil(n/8) big-endian bytes.</summary>
    internal static ulong Bit(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 8) throw Invalid(bytes, "a BIT(64) value");
        ulong value = 0;
        foreach (var b in bytes) value = (value << 8) | b;
        return value;
    }

    /// <summary>'YYYY-MM-DD', 'YYYY-MM-DD hh:mm:ss' or 'YYYY-MM-DD hh:mm:ss.ffffff'.</summary>
    internal static DateTime DateTime(ReadOnlySpan<byte> text)
    {
        if (text.Length < 10 || text[4] != '-' || text[7] != '-') throw Invalid(text, "a date");
        var year = Digits(text, 0, 4);
        var month = Digits(text, 5, 2);
        var day = Digits(text, 8, 2);
        if (year == 0 && month == 0 && day == 0)
            throw new InvalidCastException("The value is the zero date '0000-00-00', which DateTime cannot hold; read it with GetString.");
        if (text.Length == 10) return new DateTime(year, month, day);
        if (text.Length < 19 || text[10] != ' ' || text[13] != ':' || text[16] != ':') throw Invalid(text, "a datetime");
        var value = new DateTime(year, month, day, Digits(text, 11, 2), Digits(text, 14, 2), Digits(text, 17, 2));
        return text.Length > 19 ? value.AddTicks(FractionTicks(text[19..])) : value;
    }

    /// <summary>'[-]h...h:mm:ss[.ffffff]'; hours may exceed 24 (TIME spans -838..838 hours).</summary>
    internal static TimeSpan Time(ReadOnlySpan<byte> text)
    {
        var negative = text.Length > 0 && text[0] == '-';
        var body = negative ? text[1..] : text;
        var colon = body.IndexOf((byte)':');
        if (colon < 1 || body.Length < colon + 6 || body[colon + 3] != ':') throw Invalid(text, "a time");
        long hours = Digits(body, 0, colon);
        var ticks = hours * System.TimeSpan.TicksPerHour
            + Digits(body, colon + 1, 2) * System.TimeSpan.TicksPerMinute
            + Digits(body, colon + 4, 2) * System.TimeSpan.TicksPerSecond;
        if (body.Length > colon + 6) ticks += FractionTicks(body[(colon + 6)..]);
        return new TimeSpan(negative ? -ticks : ticks);
    }

    private static long FractionTicks(ReadOnlySpan<byte> fraction)
    {
        if (fraction.Length < 2 || fraction[0] != '.' || fraction.Length > 8) throw Invalid(fraction, "a fraction of a second");
        var digits = fraction.Length - 1;
        long value = Digits(fraction, 1, digits);
        for (var i = digits; i < 7; i++) value *= 10;
        return value;
    }

    private static int Digits(ReadOnlySpan<byte> text, int start, int count)
    {
        var value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = text[i] - '0';
            if ((uint)d > 9) throw Invalid(text, "a number");
            value = value * 10 + d;
        }
        return value;
    }

    private static InvalidCastException Invalid(ReadOnlySpan<byte> text, string what)
    {
        var shown = text.Length > 64 ? System.Text.Encoding.UTF8.GetString(text[..64]) + "..." : System.Text.Encoding.UTF8.GetString(text);
        return new InvalidCastException($"The value '{shown}' is not {what}.");
    }
}
