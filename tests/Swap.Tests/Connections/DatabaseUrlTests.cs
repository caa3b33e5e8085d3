
namespace Swap.Tests.Connections;

public class DatabaseUrlTests
{
    [Fact]
    public void Parses_a_mysql_url()
    {
        var url = DatabaseUrl.Parse("mysql://app:s%40cret@db.example:3307/shop?sslmode=required");
        Assert.Equal(DatabaseEngine.MySql, url.Engine);
        Assert.Equal("db.example", url.Host);
        Assert.Equal(3307, url.Port);
        Assert.Equal("app", url.User);
        Assert.Equal("s@cret", url.Password);
        Assert.Equal("shop", url.Database);
        Assert.Equal("required", url.Option("sslmode"));
    }

    [Fact]
    public void Parses_postgres_with_schema_and_ipv6_host()
    {
        var url = DatabaseUrl.Parse("postgresql://u:p@[::1]:5433/app?schema=billing");
        Assert.Equal(DatabaseEngine.PostgreSql, url.Engine);
        Assert.Equal("::1", url.Host);
        Assert.Equal(5433, url.Port);
        Assert.Equal("billing", url.Option("schema"));
    }

    [Theory]
    [InlineData("sqlite:data/app.db", "data/app.db")]
    [InlineData("sqlite:///tmp/app.db", "/tmp/app.db")]
    [InlineData("sqlite:my%20file.db", "my file.db")]
    public void Parses_sqlite_paths(string text, string path)
    {
        var url = DatabaseUrl.Parse(text);
        Assert.Equal(DatabaseEngine.Sqlite, url.Engine);
        Assert.Equal(path, url.Database);
    }

    [Fact]
    public void ToString_never_shows_the_password()
    {
        var url = DatabaseUrl.Parse("postgres://admin:hunter2@localhost/app");
        Assert.Equal("postgres://admin:***@localhost/app", url.ToString());
        Assert.DoesNotContain("hunter2", url.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("oracle://x/y", "scheme 'oracle'")]
    [InlineData("mysql://u:p@host:99999/db", "port '99999'")]
    [InlineData("mysql://u:p@host/", "names no database")]
    [InlineData("nonsense", "no scheme")]
    [InlineData("sqlite:", "names no file")]
    [InlineData("postgres://u:p@host/db?shema=billing", "the option(s) 'shema', which Swap does not know (a postgres URL takes socket, schema, sslmode, application_name, connect_timeout)")]
    [InlineData("mysql://u:p@host/db?sslmod=required&socket=/s", "the option(s) 'sslmod', which Swap does not know (a mysql URL takes socket, sslmode,")]
    [InlineData("sqlite:ro.db?mode=ro", "the option(s) 'mode', which Swap does not know (a SQLite URL takes no options)")]
    [InlineData("sqlite::memory:", "an in-memory SQLite database is gone when the command ends")]
    public void Rejects_malformed_urls_with_a_usage_error_that_hides_the_password(string text, string reason)
    {
        var e = Assert.Throws<SwapException>(() => DatabaseUrl.Parse(text));
        Assert.Equal(SwapErrorKind.Usage, e.Kind);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Contains("Use mysql://user@host:port/db, postgres://user@host:port/db or sqlite:path/to.db; a password goes after the user, as user:password@host.", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(":p@", e.Message, StringComparison.Ordinal);
        // The CLI masks passwords in URLs it prints: the hint must come out as written, not as 'user:***@host'.
        Assert.Equal(e.Message, DatabaseUrl.Redact(e.Message));
    }

    [Fact]
    public void Redact_hides_passwords_inside_free_text()
    {
        Assert.Equal("mysql://root:***@h:1/d", DatabaseUrl.Redact("mysql://root:pw@h:1/d"));
        Assert.Equal("sqlite:a.db", DatabaseUrl.Redact("sqlite:a.db"));
    }
}
