using Swap.Running;

namespace Swap.Tests.Running;

public class ReplayMismatchTests
{
    [Fact]
    public void Different_steps_are_named_both_ways()
    {
        var e = ReplayMismatch.Create("20260101000000_two", 2, "two.sql(2): UPDATE items SET a1 = 'b'", "two.sql(2): UPDATE items SET a2 = 5");

        Assert.Equal(SwapErrorKind.InvalidMigration, e.Kind);
        Assert.StartsWith("20260101000000_two changed since its interrupted run: step 2 was recorded as 'two.sql(2): UPDATE items SET a1 = 'b'' but the script now asks for 'two.sql(2): UPDATE items SET a2 = 5'. Restore the script", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_step_with_other_changes_says_so_instead_of_naming_it_twice()
    {
        var e = ReplayMismatch.Create("20260101000000_two", 1, "swap in items", "swap in items");

        Assert.StartsWith("20260101000000_two changed since its interrupted run: step 1 ('swap in items') was recorded with other changes or statements than the script now gives it (the journal keeps a fingerprint of them, not their text). Restore the script", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("now asks for", e.Message, StringComparison.Ordinal);
    }
}
