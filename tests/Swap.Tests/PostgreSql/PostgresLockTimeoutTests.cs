using Swap.PostgreSql;

namespace Swap.Tests.PostgreSql;

/// <summary>PostgreSQL reads <c>lock_timeout = 0</c> as "no timeout": a bounded lock wait never becomes one.</summary>
public class PostgresLockTimeoutTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(0.4, 1)]
    [InlineData(1.2, 2)]
    [InlineData(1000, 1000)]
    public void A_lock_wait_is_at_least_one_millisecond(double ms, long expected) =>
        Assert.Equal(expected, PostgresDatabase.LockTimeoutMs(TimeSpan.FromMilliseconds(ms)));
}
