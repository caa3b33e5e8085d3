using Swap.MySql.Client;

namespace Swap.Tests.MySqlClient;

public class ConnectionStringBuilderTests
{
    [Fact]
    public void Synonyms_map_to_canonical_keywords()
    {
        var builder = new MySqlConnectionStringBuilder("host=db1;PORT=3307;uid=app;pwd=s3cr3t;Initial Catalog=shop;ssl mode=VerifyFull;Connect Timeout=5;Command Timeout=60");
        Assert.Equal("db1", builder.Server);
        Assert.Equal(3307u, builder.Port);
        Assert.Equal("app", builder.UserID);
        Assert.Equal("s3cr3t", builder.Password);
        Assert.Equal("shop", builder.Database);
        Assert.Equal(MySqlSslMode.VerifyFull, builder.SslMode);
        Assert.Equal(5u, builder.ConnectionTimeout);
        Assert.Equal(60u, builder.DefaultCommandTimeout);
        Assert.True(builder.ContainsKey("User"));
        Assert.Equal("app", builder["Username"]);
    }

    [Fact]
    public void Defaults_apply_when_keywords_are_absent()
    {
        var builder = new MySqlConnectionStringBuilder("Server=x");
        Assert.Equal(3306u, builder.Port);
        Assert.Equal(MySqlSslMode.Preferred, builder.SslMode);
        Assert.Equal(15u, builder.ConnectionTimeout);
        Assert.Equal(30u, builder.DefaultCommandTimeout);
        Assert.Equal("utf8mb4", builder.CharacterSet);
        Assert.False(builder.AllowUserVariables);
        Assert.True(builder.TreatTinyAsBoolean);
    }

    [Fact]
    public void ToString_never_contains_the_password()
    {
        var builder = new MySqlConnectionStringBuilder { Server = "h", UserID = "u", Password = "p@ss;'word\"" };
        Assert.DoesNotContain("p@ss", builder.ToString(), StringComparison.Ordinal);
        Assert.Contains("p@ss", builder.ConnectionString, StringComparison.Ordinal);
        Assert.Equal("p@ss;'word\"", new MySqlConnectionStringBuilder(builder.ConnectionString).Password);
    }

    [Theory]
    [InlineData("Port=abc")]
    [InlineData("SslMode=sometimes")]
    [InlineData("Character Set=latin1")]
    [InlineData("Frobnicate=1")]
    [InlineData("Allow User Variables=maybe")]
    public void Invalid_values_and_unknown_keywords_are_rejected(string connectionString) =>
        Assert.Throws<ArgumentException>(() => new MySqlConnectionStringBuilder(connectionString));

    [Fact]
    public void Url_form_is_decoded()
    {
        var builder = MySqlConnectionStringBuilder.FromUrl("mysql://swap:p%40ss%3Aw@127.0.0.1:33306/swap_test?socket=%2Ftmp%2Fm.sock&SslMode=None");
        Assert.Equal("127.0.0.1", builder.Server);
        Assert.Equal(33306u, builder.Port);
        Assert.Equal("swap", builder.UserID);
        Assert.Equal("p@ss:w", builder.Password);
        Assert.Equal("swap_test", builder.Database);
        Assert.Equal("/tmp/m.sock", builder.UnixSocket);
        Assert.Equal(MySqlSslMode.None, builder.SslMode);
        Assert.Throws<ArgumentException>(() => MySqlConnectionStringBuilder.FromUrl("postgres://x@y/z"));
        Assert.Equal("::1", MySqlConnectionStringBuilder.FromUrl("mysql://u@[::1]:3306/d").Server);
    }

    [Fact]
    public void Connection_hides_password_only_after_open_and_keeps_socket_path_as_data_source()
    {
        var connection = new MySqlConnection("Server=/run/mysqld/mysqld.sock;User ID=u;Password=topsecret");
        Assert.Equal("/run/mysqld/mysqld.sock", connection.DataSource);
        Assert.Contains("topsecret", connection.ConnectionString, StringComparison.Ordinal); // not opened yet
        Assert.DoesNotContain("topsecret", connection.ToString()!, StringComparison.Ordinal);
    }
}
