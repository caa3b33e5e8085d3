
namespace Swap.IntegrationTests.Infrastructure;

/// <summary>
/// The real servers the build started. A missing variable fails the test: CI always starts the
/// servers, so a missing server is a failure, never a skip.
/// </summary>
public static class TestServers
{
    public const string MySqlVariable = "SWAP_TEST_MYSQL";
    public const string PostgresVariable = "SWAP_TEST_POSTGRES";

    public static DatabaseUrl MySql => Read(MySqlVariable, "MariaDB");

    public static DatabaseUrl Postgres => Read(PostgresVariable, "PostgreSQL");

    /// <summary>The test password, so leak checks can search output for it.</summary>
    public static string? Password(DatabaseEngine engine) => engine switch
    {
        DatabaseEngine.MySql => MySql.Password,
        DatabaseEngine.PostgreSql => Postgres.Password,
        _ => null,
    };

    private static DatabaseUrl Read(string variable, string server)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{variable} is not set, so this test cannot reach {server}. Run the whole suite with " +
                "'dotnet tool restore && dotnet cake --target=Test', or start the servers with " +
                "'dotnet cake --target=Databases' and 'source /tmp/swap-servers/servers.env' before 'dotnet test'.");
        }
        return DatabaseUrl.Parse(value);
    }
}
