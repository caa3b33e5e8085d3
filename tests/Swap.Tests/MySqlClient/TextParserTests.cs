using System.Text;
using Swap.MySql.Client.Internal.Reader;

namespace Swap.Tests.MySqlClient;

public class TextParserTests
{
    private static ReadOnlySpan<byte> B(string s) => Encoding.ASCII.GetBytes(s);

    [Theory]
    [InlineData("00:00:00", 0L)]
    [InlineData("838:59:59", 838L * 36_000_000_000 + 59L * 600_000_000 + 59L * 10_000_000)]
    [InlineData("-838:59:59.000000", -(838L * 36_000_000_000 + 59L * 600_000_000 + 59L * 10_000_000))]
    [InlineData("-00:00:01.5", -15_000_000L)]
    [InlineData("12:34:56.000001", 12L * 36_000_000_000 + 34L * 600_000_000 + 56L * 10_000_000 + 10)]
    public void Time_handles_sign_fractions_and_more_than_24_hours(string text, long ticks) =>
        Assert.Equal(new TimeSpan(ticks), TextParser.Time(B(text)));

    [Theory]
    [InlineData("2024-02-29", "2024-02-29T00:00:00.0000000")]
    [InlineData("1000-01-01 00:00:00", "1000-01-01T00:00:00.0000000")]
    [InlineData("9999-12-31 23:59:59.999999", "9999-12-31T23:59:59.9999990")]
    [InlineData("2024-01-02 03:04:05.1", "2024-01-02T03:04:05.1000000")]
    public void DateTime_parses_all_precisions(string text, string expected) =>
        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), TextParser.DateTime(B(text)));

    [Theory]
    [InlineData("0000-00-00")]
    [InlineData("0000-00-00 00:00:00")]
    [InlineData("2024/01/01")]
    [InlineData("2024-01-01T00:00:00")]
    public void Invalid_or_zero_dates_throw(string text) =>
        Assert.Throws<InvalidCastException>(() => TextParser.DateTime(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Numbers_parse_exactly_or_throw()
    {
        Assert.Equal(ulong.MaxValue, TextParser.UInt64(B("18446744073709551615")));
        Assert.Equal(long.MinValue, TextParser.Int64(B("-9223372036854775808")));
        Assert.Equal(-12345678901234.567891m, TextParser.Decimal(B("-12345678901234.567891")));
        Assert.Equal(-2.5e-300, TextParser.Double(B("-2.5e-300")));
        Assert.Equal(0x8000000000000001UL, TextParser.Bit([0x80, 0, 0, 0, 0, 0, 0, 1]));
        Assert.Throws<InvalidCastException>(() => TextParser.Int64(B("12abc")));
        Assert.Throws<InvalidCastException>(() => TextParser.Int64(B("1.5")));
        Assert.Throws<InvalidCastException>(() => TextParser.UInt64(B("-1")));
    }
}
