using Swap.Control;
using Swap.Engine;

namespace Swap.Tests.Control;

/// <summary>The live status's arithmetic and the live settings' parsing: progress stays honest when the row estimate is wrong.</summary>
public class LiveStatusTests
{
    private static SwapProgress Copying(long rows, long estimated) => new("s", ["items"], "items", SwapPhase.Copying, rows, estimated, 0, null, 100);

    [Fact]
    public void Percent_and_eta_follow_the_recent_rate()
    {
        var (estimate, exceeded, percent, eta) = SwapController.Estimate(Copying(250, 1000), rate: 50);
        Assert.Equal(1000, estimate);
        Assert.False(exceeded);
        Assert.Equal(25, percent);
        Assert.Equal(15, eta);
    }

    [Fact]
    public void A_low_estimate_never_shows_more_than_100_percent_or_a_negative_eta()
    {
        // gh-ost once printed 348%: 3,480 rows copied of an estimate of 1,000.
        var (estimate, exceeded, percent, eta) = SwapController.Estimate(Copying(3480, 1000), rate: 50);
        Assert.Equal(3480, estimate);
        Assert.True(exceeded);
        Assert.Equal(100, percent);
        Assert.Null(eta);
    }

    [Theory]
    [InlineData(0, 1000, 0.0, null)]        // no rate yet: no ETA
    [InlineData(0, 0, 10.0, null)]          // an empty estimate: 0%, no ETA
    [InlineData(10, -5, 10.0, null)]        // a nonsense estimate is raised to the rows done
    public void Eta_is_withheld_when_it_cannot_be_told(long rows, long estimated, double rate, double? expected)
    {
        var (_, _, percent, eta) = SwapController.Estimate(Copying(rows, estimated), rate);
        Assert.InRange(percent, 0, 100);
        Assert.Equal(expected, eta);
    }

    [Fact]
    public void Phases_that_do_not_count_rows_have_no_eta_and_done_is_100_percent()
    {
        Assert.Null(SwapController.Estimate(new SwapProgress("s", ["t"], "t", SwapPhase.BuildingIndexes, 10, 100, 5, null, 0), 5).EtaSeconds);
        Assert.Equal(100, SwapController.Estimate(new SwapProgress("s", ["t"], "t", SwapPhase.Done, 10, 100, 0, null, 0), 0).Percent);
    }

    [Theory]
    [InlineData("chunk-time", "200ms", "chunk-time 200ms")]
    [InlineData("CHUNK-TIME", " 1.5s ", "chunk-time 1500ms")]
    [InlineData("max-replica-lag", "2s", "max-replica-lag 2000ms")]
    [InlineData("max-load", "50", "max-load 50")]
    [InlineData("critical-load", "off", "critical-load off")]
    [InlineData("critical-load", "0", "critical-load off")]
    public void Settings_are_normalized(string name, string value, string expected) =>
        Assert.Equal(expected, LiveSettings.Normalize(name, value));

    [Theory]
    [InlineData("chunk-size", "10", "cannot be set on a running swap")]
    [InlineData("chunk-time", "0", "above zero")]
    [InlineData("chunk-time", "fast", "above zero")]
    [InlineData("max-load", "-3", "whole number")]
    public void Bad_settings_are_usage_errors_that_say_what_is_accepted(string name, string value, string says)
    {
        var e = Assert.Throws<SwapException>(() => LiveSettings.Normalize(name, value));
        Assert.Equal(SwapErrorKind.Usage, e.Kind);
        Assert.Contains(says, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_commands_round_trip_their_names()
    {
        foreach (var command in Enum.GetValues<ControlCommand>())
            Assert.Equal(command, ControlCommands.Parse(command.Name()));
        Assert.Null(ControlCommands.Parse("reboot"));
    }
}
