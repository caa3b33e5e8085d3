using Swap.MySql.Client;

namespace Swap.IntegrationTests.MySqlClient;

/// <summary>
/// The private MariaDB started by <c>dotnet cake --target=Databases</c>; its URL comes from
/// <c>SWAP_TEST_MYSQL</c>. A missing variable fails the test (it never skips).
/// </summary>
internal static class MySqlTestServer
{
    internal const string Variable = "SWAP_TEST_MYSQL";

    internal static MySqlConnectionStringBuilder Builder()
    {
        var url = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(url))
            throw new InvalidOperationException(
                $"{Variable} is not set. Run 'dotnet cake --target=Databases' and source /tmp/swap-servers/servers.env before running the MySQL client tests.");
        var builder = MySqlConnectionStringBuilder.FromUrl(url);
        builder.SslMode = MySqlSslMode.None;
        return builder;
    }

    internal static string ConnectionString => Builder().ConnectionString;

    internal static string Password => Builder().Password;

    internal static MySqlConnection Open()
    {
        var connection = new MySqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    internal static async Task<MySqlConnection> OpenAsync(CancellationToken token = default)
    {
        var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync(token);
        return connection;
    }

    /// <summary>A table name no other test uses, so tests can run in parallel.</summary>
    internal static string UniqueTable() => "t_" + Guid.NewGuid().ToString("N")[..12];

    internal static int Execute(this MySqlConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command.ExecuteNonQuery();
    }

    internal static object? Scalar(this MySqlConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command.ExecuteScalar();
    }
}
