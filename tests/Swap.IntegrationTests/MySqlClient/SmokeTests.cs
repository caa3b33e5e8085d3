namespace Swap.IntegrationTests.MySqlClient;

public class SmokeTests
{
    [Fact]
    public void Select_one_returns_one()
    {
        using var connection = MySqlTestServer.Open();
        Assert.Equal(1L, Convert.ToInt64(connection.Scalar("SELECT 1")));
        Assert.Equal("a'b", connection.Scalar("SELECT @p", ("p", "a'b")));
    }
}
