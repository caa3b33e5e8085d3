using Swap.Engine;
using Swap.MySql;
using Swap.PostgreSql;

namespace Swap.Tests.Engine;

/// <summary>The pure parts of the change-log protocol: which log rows a batch deletes, and the SQL that names a batch's keys.</summary>
public class ChangeLogTests
{
    [Fact]
    public void A_batch_deletes_exactly_the_ids_it_read_never_a_gap_between_them()
    {
        // 4 was not visible when the batch read the log (an open transaction): it must survive.
        var runs = ChangeLogApplier.Runs([1, 2, 3, 5, 6, 9]);

        Assert.Equal([(1L, 3L), (5L, 6L), (9L, 9L)], runs);
    }

    [Fact]
    public void No_ids_no_runs() => Assert.Empty(ChangeLogApplier.Runs([]));

    [Fact]
    public void The_refused_check_leaves_out_keys_whose_last_entry_in_the_batch_is_a_delete()
    {
        // Log rows: id, k0, op. Key 1 deleted and inserted again (checked), 2 updated then deleted
        // (left out: an insert after it logs an entry this batch did not read), 3 only updated.
        static Row Log(long id, long key, string op) => new(["id", "k0", "op"], [id, key, op]);
        var rows = new[] { Log(1, 1, "d"), Log(2, 2, "u"), Log(3, 1, "i"), Log(4, 2, "d"), Log(5, 3, "u") };

        var keys = ChangeLogApplier.NotLastDeleted(rows, 1);

        Assert.Equal([1L, 3L], keys.Select(k => (long)k[0]!));
    }

    [Fact]
    public void A_single_column_key_is_an_in_list_of_parameters()
    {
        var sql = KeyRange.In(MySqlDialect.Instance, "o", ["id"], 3, "a");

        Assert.Equal("o.`id` IN (@a0_0, @a1_0, @a2_0)", sql);
    }

    [Fact]
    public void A_composite_key_is_a_row_value_in_list()
    {
        var sql = KeyRange.In(PostgresDialect.Instance, "o", ["tenant", "id"], 2, "a");

        Assert.Equal("(o.\"tenant\", o.\"id\") IN ((@a0_0, @a0_1), (@a1_0, @a1_1))", sql);
    }

    [Fact]
    public void In_parameters_follow_the_keys_row_by_row()
    {
        var parameters = KeyRange.InParameters("a", [[1, "x"], [2, "y"]]).ToList();

        Assert.Equal(["a0_0", "a0_1", "a1_0", "a1_1"], parameters.Select(p => p.Key));
        Assert.Equal([1, "x", 2, "y"], parameters.Select(p => p.Value));
    }

    [Theory]
    [InlineData(nameof(SwapStage.Started), "started")]
    [InlineData(nameof(SwapStage.CaptureInstalled), "capture-installed")]
    [InlineData(nameof(SwapStage.Swapped), "swapped")]
    [InlineData(nameof(SwapStage.OldDropped), "old-dropped")]
    [InlineData(nameof(SwapStage.VerifyFailed), "verify-failed")]
    public void Stages_keep_their_journal_names(string stageName, string name)
    {
        var stage = Enum.Parse<SwapStage>(stageName);
        Assert.Equal(name, stage.Name());
        Assert.Equal(stage, SwapStages.Parse(name));
    }

    [Fact]
    public void An_empty_journal_is_at_the_start() => Assert.Equal(SwapStage.Started, SwapStages.Parse(null));

    [Fact]
    public void Stages_are_ordered_as_a_swap_runs()
    {
        var names = new[] { "started", "copy-created", "capture-installed", "copied", "indexed", "verified", "swapped", "capture-removed", "old-dropped" };

        Assert.Equal(names, names.Select(SwapStages.Parse).Order().Select(s => s.Name()));
    }
}
