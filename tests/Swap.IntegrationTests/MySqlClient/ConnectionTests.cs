using System.Data;
using Swap.MySql.Client;

namespace Swap.IntegrationTests.MySqlClient;

public class ConnectionTests
{
    [Fact]
    public async Task Open_and_close_fire_state_changes_in_order()
    {
        var events = new List<(ConnectionState From, ConnectionState To)>();
        await using var connection = new MySqlConnection(MySqlTestServer.ConnectionString);
        connection.StateChange += (_, e) => events.Add((e.OriginalState, e.CurrentState));
        Assert.Equal(ConnectionState.Closed, connection.State);
        await connection.OpenAsync();
        Assert.Equal(ConnectionState.Open, connection.State);
        connection.Close();
        connection.Close();
        Assert.Equal(ConnectionState.Closed, connection.State);
        Assert.Equal([(ConnectionState.Closed, ConnectionState.Open), (ConnectionState.Open, ConnectionState.Closed)], events);
    }

    [Fact]
    public void Server_version_and_thread_id_match_the_server()
    {
        using var connection = MySqlTestServer.Open();
        Assert.Equal(connection.Scalar("SELECT VERSION()"), connection.ServerVersion);
        Assert.Contains("MariaDB", connection.ServerVersion, StringComparison.Ordinal);
        Assert.Equal(Convert.ToUInt64(connection.Scalar("SELECT CONNECTION_ID()")), connection.ServerThreadId);
        Assert.Equal("utf8mb4", connection.Scalar("SELECT @@character_set_client"));
        Assert.Equal("utf8mb4", connection.Scalar("SELECT @@character_set_results"));
    }

    [Fact]
    public void Unix_socket_in_server_connects_over_the_socket()
    {
        var socket = Environment.GetEnvironmentVariable("SWAP_TEST_MYSQL_SOCKET");
        Assert.False(string.IsNullOrEmpty(socket), "SWAP_TEST_MYSQL_SOCKET is not set; run 'dotnet cake --target=Databases'.");
        var builder = MySqlTestServer.Builder();
        builder.Server = socket;
        using var connection = new MySqlConnection(builder.ConnectionString);
        connection.Open();
        Assert.StartsWith("swap@localhost", (string)connection.Scalar("SELECT USER()")!, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_password_fails_with_1045_and_never_shows_the_password()
    {
        var builder = MySqlTestServer.Builder();
        builder.Password = "Wr0ng-" + Guid.NewGuid().ToString("N");
        using var connection = new MySqlConnection(builder.ConnectionString);
        var ex = Assert.Throws<MySqlException>(connection.Open);
        Assert.Equal(MySqlErrorCodes.AccessDenied, ex.Number);
        Assert.Equal("28000", ex.SqlState);
        Assert.False(ex.IsTransient);
        Assert.Contains("Access denied", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(builder.Password, ex.ToString(), StringComparison.Ordinal);
        Assert.Equal(ConnectionState.Closed, connection.State);
    }

    [Fact]
    public void Connection_string_hides_the_password_once_opened()
    {
        var password = MySqlTestServer.Password;
        using var connection = new MySqlConnection(MySqlTestServer.ConnectionString);
        connection.Open();
        Assert.DoesNotContain(password, connection.ConnectionString, StringComparison.Ordinal);
        Assert.DoesNotContain(password, connection.ToString()!, StringComparison.Ordinal);
        Assert.DoesNotContain(password, MySqlTestServer.Builder().ToString(), StringComparison.Ordinal);
        using var clone = connection.Clone();
        clone.Open(); // the clone still knows the password
        Assert.Equal(ConnectionState.Open, clone.State);
    }

    [Fact]
    public void Refused_port_is_a_transient_connect_error()
    {
        var builder = MySqlTestServer.Builder();
        builder.Port = 1; // nothing listens there
        builder.ConnectionTimeout = 3;
        using var connection = new MySqlConnection(builder.ConnectionString);
        var ex = Assert.Throws<MySqlException>(connection.Open);
        Assert.Contains(ex.Number, new[] { MySqlErrorCodes.ConnectionError, MySqlErrorCodes.ConnHostError });
        Assert.True(ex.IsTransient);
        Assert.Equal(ConnectionState.Closed, connection.State);
    }

    [Fact]
    public void SslMode_none_connects_and_required_is_refused_by_a_server_without_tls()
    {
        var builder = MySqlTestServer.Builder();
        builder.SslMode = MySqlSslMode.None;
        using (var plain = new MySqlConnection(builder.ConnectionString))
        {
            plain.Open();
            Assert.Equal("", plain.Scalar("SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'Ssl_cipher'"));
        }
        builder.SslMode = MySqlSslMode.Required;
        using var tls = new MySqlConnection(builder.ConnectionString);
        var ex = Assert.Throws<MySqlException>(tls.Open);
        Assert.Contains("SSL", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Killed_connection_becomes_broken_then_can_be_reopened()
    {
        var events = new List<ConnectionState>();
        using var victim = MySqlTestServer.Open();
        victim.StateChange += (_, e) => events.Add(e.CurrentState);
        using (var killer = MySqlTestServer.Open()) killer.Execute($"KILL CONNECTION {victim.ServerThreadId}");
        var ex = Assert.Throws<MySqlException>(() => victim.Scalar("SELECT 1"));
        Assert.True(ex.IsTransient, $"error {ex.Number} should be transient");
        Assert.Equal(ConnectionState.Broken, victim.State);
        Assert.Throws<InvalidOperationException>(() => victim.Scalar("SELECT 1"));
        victim.Close();
        victim.Open();
        Assert.Equal(2L, Convert.ToInt64(victim.Scalar("SELECT 2")));
        Assert.Equal([ConnectionState.Broken, ConnectionState.Closed, ConnectionState.Open], events);
    }

    [Fact]
    public void Second_open_and_command_while_reader_open_are_refused()
    {
        using var connection = MySqlTestServer.Open();
        Assert.Throws<InvalidOperationException>(connection.Open);
        using (var reader = connection.CreateCommand().Also("SELECT 1 UNION ALL SELECT 2").ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Throws<InvalidOperationException>(() => connection.Scalar("SELECT 3"));
        }
        Assert.Equal(3L, Convert.ToInt64(connection.Scalar("SELECT 3")));
    }

    [Fact]
    public void Change_database_switches_schema()
    {
        using var connection = MySqlTestServer.Open();
        connection.ChangeDatabase("information_schema");
        Assert.Equal("information_schema", connection.Database);
        Assert.Equal("information_schema", connection.Scalar("SELECT DATABASE()"));
    }

    [Fact]
    public void Factory_creates_provider_objects()
    {
        var factory = MySqlClientFactory.Instance;
        using var connection = factory.CreateConnection()!;
        connection.ConnectionString = MySqlTestServer.ConnectionString;
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT @x + 1";
        var parameter = factory.CreateParameter()!;
        parameter.ParameterName = "@x";
        parameter.Value = 41;
        command.Parameters.Add(parameter);
        Assert.Equal(42L, Convert.ToInt64(command.ExecuteScalar()));
    }
}
