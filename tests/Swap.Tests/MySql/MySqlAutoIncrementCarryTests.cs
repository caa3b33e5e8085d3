using Swap.MySql;

namespace Swap.Tests.MySql;

/// <summary>The cut-over gives the copy the original's AUTO_INCREMENT counter only when it is ahead: the ALTER is DDL under the application's lock.</summary>
public class MySqlAutoIncrementCarryTests
{
    [Theory]
    [InlineData(403UL, 402UL, 403UL)]
    [InlineData(403UL, null, 403UL)]
    [InlineData(402UL, 402UL, null)]
    [InlineData(400UL, 402UL, null)]
    [InlineData(null, 402UL, null)]
    public void The_counter_is_carried_only_when_the_original_is_ahead(ulong? original, ulong? copy, ulong? carried) =>
        Assert.Equal(carried, MySqlTableEngine.AutoIncrementToCarry(original, copy));
}
