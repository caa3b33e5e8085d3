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

    [Fact]
    public void The_cut_over_backlog_of_wide_rows_is_counted_in_bytes_and_narrow_rows_keep_the_options_rows()
    {
        var options = new OnlineSwapOptions();
        Assert.Equal(1000, CatchUp.CutOverBacklog(Spec(["id"], rowBytes: 200), options));
        Assert.Equal(1000, CatchUp.CutOverBacklog(Spec(["id"]), options));
        // 4 MB rows: 10 MB of backlog is two rows, not 1,000 (4 GB under the application's lock).
        Assert.Equal(2, CatchUp.CutOverBacklog(Spec(["id"], rowBytes: 4L << 20), options));
        Assert.Equal(1, CatchUp.CutOverBacklog(Spec(["id"], rowBytes: 64L << 20), options));
    }

    [Fact]
    public void An_applier_batch_of_wide_rows_reads_as_many_rows_as_fit_its_bytes()
    {
        Assert.Equal(int.MaxValue, ChangeLogApplier.RowsWithin(Spec(["id"]), ChangeLogApplier.MaxRowBytes));
        Assert.Equal(5, ChangeLogApplier.RowsWithin(Spec(["id"], rowBytes: 4L << 20), ChangeLogApplier.MaxRowBytes));
    }

    [Fact]
    public void An_applier_batch_of_wide_keys_keeps_the_first_log_rows_whose_keys_fit_its_bytes()
    {
        Row Log(long id, string key) => new(["id", "k0", "op"], [id, key, "u"]);
        var wide = Enumerable.Range(1, 1000).Select(i => Log(i, new string('x', 3000))).ToList();
        Assert.Equal(698, ChangeLogApplier.KeysWithin(wide, 1, ChangeLogApplier.MaxKeyBytes));
        var narrow = Enumerable.Range(1, 20_000).Select(i => Log(i, Guid.NewGuid().ToString())).ToList();
        Assert.Equal(20_000, ChangeLogApplier.KeysWithin(narrow, 1, ChangeLogApplier.MaxKeyBytes));
        Assert.Equal(1, ChangeLogApplier.KeysWithin([Log(1, new string('x', 3 << 20))], 1, ChangeLogApplier.MaxKeyBytes));
    }

    private static SwapSpec Spec(params string[] key) => Spec(key, rowBytes: null);

    private static SwapSpec Spec(string[] key, long? rowBytes)
    {
        var table = new Swap.Engine.Schema.TableSchema { Name = "t", Columns = [], PrimaryKey = key, EstimatedRows = rowBytes is null ? 0 : 1000, EstimatedBytes = (rowBytes ?? 0) * 1000 };
        return new SwapSpec { Original = table, Copy = table, Names = SwapNames.For("t", 64), Key = key, CopyKey = key, Mapping = [] };
    }
}
