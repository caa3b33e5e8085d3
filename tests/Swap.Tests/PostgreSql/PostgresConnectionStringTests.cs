using Npgsql;
using Swap.PostgreSql.Internal;

namespace Swap.Tests.PostgreSql;

public class PostgresConnectionStringTests
{
    [Fact]
    public void Url_options_map_to_npgsql_settings_without_pooling()
    {
        var b = new NpgsqlConnectionStringBuilder(PostgresConnectionString.From(DatabaseUrl.Parse("postgres://app:pw@db:6432/shop?schema=billing&sslmode=verify-full&connect_timeout=3&application_name=deploy")));
        Assert.Equal(("db", 6432, "shop", "app", "pw"), (b.Host, b.Port, b.Database, b.Username, b.Password));
        Assert.Equal((SslMode.VerifyFull, 3, "deploy", "billing"), (b.SslMode, b.Timeout, b.ApplicationName, b.SearchPath));
        Assert.False(b.Pooling);
        Assert.False(b.PersistSecurityInfo);
    }

    [Theory]
    [InlineData("billing", "billing")]
    [InlineData("Billing", "Billing")]
    [InlineData("Sales%20Data", "\"Sales Data\"")]
    [InlineData("a%2Cb", "\"a,b\"")]
    [InlineData("it%22s", "\"it\"\"s\"")]
    public void A_schema_name_the_search_path_would_read_as_a_list_is_quoted(string option, string searchPath)
    {
        var b = new NpgsqlConnectionStringBuilder(PostgresConnectionString.From(DatabaseUrl.Parse($"postgres://app:pw@db/shop?schema={option}")));
        Assert.Equal(searchPath, b.SearchPath);
    }

    [Theory]
    [InlineData("sslmode=bogus", "sslmode=bogus is not one of disable, allow, prefer, require, verify-ca, verify-full")]
    [InlineData("sslmode=2", "sslmode=2 is not one of")]
    [InlineData("connect_timeout=abc", "connect_timeout=abc is not a whole number of seconds")]
    [InlineData("connect_timeout=-1", "connect_timeout=-1 is not a whole number of seconds")]
    public void Bad_options_are_usage_errors_that_hide_the_password(string option, string message)
    {
        var e = Assert.Throws<SwapException>(() => PostgresConnectionString.From(DatabaseUrl.Parse("postgres://app:hunter2@db/shop?" + option)));
        Assert.Equal(SwapErrorKind.Usage, e.Kind);
        Assert.StartsWith("The database URL postgres://app:***@db/shop is not valid: " + message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }
}
