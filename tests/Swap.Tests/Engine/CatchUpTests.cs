using Swap.Engine;

namespace Swap.Tests.Engine;

/// <summary>How the applier's batch follows a backlog: doubling while batches are full and quick, halving when slow, within its bounds.</summary>
public class CatchUpTests
{
    private static readonly TimeSpan Target = TimeSpan.FromMilliseconds(500);

    [Fact]
    public void A_full_quick_batch_doubles_the_next() =>
        Assert.Equal(2000, CatchUp.NextBatchSize(1000, 1000, TimeSpan.FromMilliseconds(100), Target, floor: 1000, max: 20_000));

    [Fact]
    public void A_short_batch_keeps_the_size_the_log_is_nearly_drained() =>
        Assert.Equal(4000, CatchUp.NextBatchSize(4000, 120, TimeSpan.FromMilliseconds(10), Target, floor: 1000, max: 20_000));

    [Fact]
    public void A_batch_slower_than_the_target_halves_the_next_but_not_below_the_options_size()
    {
        Assert.Equal(8000, CatchUp.NextBatchSize(16_000, 16_000, TimeSpan.FromMilliseconds(700), Target, floor: 1000, max: 20_000));
        Assert.Equal(1000, CatchUp.NextBatchSize(1000, 1000, TimeSpan.FromMilliseconds(900), Target, floor: 1000, max: 20_000));
    }

    [Fact]
    public void Growth_stops_at_the_parameter_bound_and_a_larger_configured_size_is_kept()
    {
        Assert.Equal(20_000, CatchUp.NextBatchSize(16_000, 16_000, TimeSpan.FromMilliseconds(50), Target, floor: 1000, max: 20_000));
        Assert.Equal(50_000, CatchUp.NextBatchSize(50_000, 50_000, TimeSpan.FromMilliseconds(50), Target, floor: 50_000, max: 20_000));
    }

    [Fact]
    public void Batches_are_sized_to_at_least_half_a_second_whatever_the_chunk_target()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(500), CatchUp.BatchTargetTime(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(TimeSpan.FromSeconds(2), CatchUp.BatchTargetTime(TimeSpan.FromSeconds(2)));
        // A 200 ms batch under a 100 ms chunk target still doubles.
        Assert.Equal(4000, CatchUp.NextBatchSize(2000, 2000, TimeSpan.FromMilliseconds(200), CatchUp.BatchTargetTime(TimeSpan.FromMilliseconds(100)), floor: 1000, max: 20_000));
    }

    [Fact]
    public void A_composite_key_binds_more_values_per_key_so_its_batches_stay_smaller() =>
        Assert.Equal(CatchUp.MaxKeyParameters / 2, CatchUp.MaxBatchSize([Spec("tenant", "id")]));

    private static SwapSpec Spec(params string[] key)
    {
        var table = new Swap.Engine.Schema.TableSchema { Name = "t", Columns = [], PrimaryKey = key };
        return new SwapSpec { Original = table, Copy = table, Names = SwapNames.For("t", 64), Key = key, CopyKey = key, Mapping = [] };
    }
}
