using Microsoft.Data.Sqlite;
using Npgsql;
using MySqlConnector;
using Swap.MySql.Internal;
using Swap.IntegrationTests.Infrastructure;
using Swap.PostgreSql.Internal;
using Swap.Sqlite.Internal;

namespace Swap.IntegrationTests.Smoke;

/// <summary>Each engine the suite relies on is really there, at the version the project targets.</summary>
public class ServerVersionTests
{
    [Fact]
    public async Task MariaDb_is_version_10_11()
    {
        await using var connection = new MySqlConnection(MySqlConnectionString.From(TestServers.MySql).ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT VERSION()";
        var version = (string)(await command.ExecuteScalarAsync())!;
        Console.WriteLine($"MariaDB server version: {version}");
        Assert.Matches(@"^10\.11\.\d+-MariaDB", version);
    }

    [Fact]
    public async Task PostgreSql_is_version_15()
    {
        await using var connection = new NpgsqlConnection(PostgresConnectionString.From(TestServers.Postgres));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_setting('server_version')", connection);
        var version = (string)(await command.ExecuteScalarAsync())!;
        Console.WriteLine($"PostgreSQL server version: {version}");
        Assert.Matches(@"^15\.\d+", version);
    }

    [Fact]
    public async Task Sqlite_is_version_3()
    {
        var path = Path.Combine(Path.GetTempPath(), UniqueName.Next("smoke") + ".db");
        try
        {
            await using var connection = new SqliteConnection(SqliteConnectionString.From(path));
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT sqlite_version()";
            var version = (string)(await command.ExecuteScalarAsync())!;
            Console.WriteLine($"SQLite library version: {version}");
            Assert.Matches(@"^3\.\d+\.\d+", version);
            Assert.True(File.Exists(path), "SQLite should have created a real file");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
