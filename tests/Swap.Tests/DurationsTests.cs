namespace Swap.Tests;

public class DurationsTests
{
    [Theory]
    [InlineData("90", 90_000)]
    [InlineData("1.5", 1_500)]
    [InlineData("250ms", 250)]
    [InlineData("30s", 30_000)]
    [InlineData("2.5s", 2_500)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1h2m3s", 3_723_000)]
    [InlineData(" 10M ", 600_000)]
    public void Parses_the_forms_people_type(string text, long milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Durations.Parse(text, "--lock-timeout"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-5")]
    [InlineData("5 minutes")]
    [InlineData("m")]
    [InlineData("1d")]
    [InlineData("99999999999h")]
    [InlineData("1e300")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void Anything_else_is_a_usage_error_naming_the_option(string text)
    {
        Assert.False(Durations.TryParse(text, out _));
        var e = Assert.Throws<SwapException>(() => Durations.Parse(text, "--time-budget"));
        Assert.Equal(SwapErrorKind.Usage, e.Kind);
        Assert.Equal($"--time-budget '{text}' is not a duration. Use forms like 500ms, 30s, 5m, 1h30m.", e.Message);
    }

    [Theory]
    [InlineData(850, "850 ms")]
    [InlineData(12_340, "12.3 s")]
    [InlineData(245_000, "4m 05s")]
    [InlineData(7_260_000, "2h 01m")]
    public void Formats_short_and_readable(long milliseconds, string text)
    {
        Assert.Equal(text, Durations.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }
}
