using Swap.MySql;

namespace Swap.Tests.MySql;

public class MySqlExactCopyModeTests
{
    [Theory]
    // MariaDB 10.11's default: only NO_AUTO_VALUE_ON_ZERO is added.
    [InlineData("STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION", "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO")]
    // MySQL 8's default: the zero-date modes go, the rest stays in its order.
    [InlineData("ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION", "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO")]
    [InlineData("", "NO_AUTO_VALUE_ON_ZERO")]
    // Already there: unchanged, so the session is not touched.
    [InlineData("STRICT_TRANS_TABLES,NO_AUTO_VALUE_ON_ZERO", "STRICT_TRANS_TABLES,NO_AUTO_VALUE_ON_ZERO")]
    public void The_copy_mode_keeps_stored_zeros(string session, string expected) =>
        Assert.Equal(expected, MySqlTableEngine.ExactCopyMode(session));
}
