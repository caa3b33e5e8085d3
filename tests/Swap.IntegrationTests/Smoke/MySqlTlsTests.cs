using System.Globalization;
using Swap.Data;
using Swap.IntegrationTests.Infrastructure;
using Swap.MySql;

namespace Swap.IntegrationTests.Smoke;

/// <summary>
/// TLS against the test MariaDB, which the build starts with a private CA's certificate and a
/// user that may only connect over TLS (<c>SWAP_TEST_MYSQL_CA</c>, <c>SWAP_TEST_MYSQL_TLS_USER</c>).
/// </summary>
public class MySqlTlsTests
{
    private static string Variable(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : throw new InvalidOperationException($"{name} is not set. Run 'dotnet cake --target=Databases' and source /tmp/swap-servers/servers.env.");

    private static string Url(string options, string? user = null)
    {
        var s = TestServers.MySql;
        return $"mysql://{Uri.EscapeDataString(user ?? s.User!)}:{Uri.EscapeDataString(s.Password!)}@127.0.0.1:{s.Port}/{s.Database}?{options}";
    }

    private static async Task<string> CipherAsync(string url)
    {
        await using var connection = await new MySqlDatabase(DatabaseUrl.Parse(url)).OpenConnectionAsync(default);
        var rows = await connection.QueryAsync("SHOW SESSION STATUS LIKE 'Ssl_cipher'", null, default);
        return rows[0].String("Value") ?? "";
    }

    [Fact]
    public async Task Required_tls_is_encrypted()
    {
        Assert.NotEqual("", await CipherAsync(Url("sslmode=required")));
    }

    [Fact]
    public async Task Verify_ca_checks_the_server_certificate_against_the_given_ca()
    {
        var ca = Variable("SWAP_TEST_MYSQL_CA");
        Assert.NotEqual("", await CipherAsync(Url("sslmode=verify_ca&sslca=" + Uri.EscapeDataString(ca))));
        Assert.NotEqual("", await CipherAsync(Url("sslmode=verify_identity&sslca=" + Uri.EscapeDataString(ca))));

        // Without the private CA the system's trust store cannot vouch for the server: refused, and said so.
        var error = await Assert.ThrowsAsync<SwapException>(() => CipherAsync(Url("sslmode=verify_ca")));
        Assert.Equal(SwapErrorKind.Connection, error.Kind);
        Assert.Contains("Could not connect to mysql://", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestServers.MySql.Password!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_that_requires_tls_is_refused_a_plain_connection_with_exit_5_and_accepted_over_tls()
    {
        var user = Variable("SWAP_TEST_MYSQL_TLS_USER");
        var folder = Directory.CreateTempSubdirectory("swap-tls").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "migrations"));
            var plain = await SwapCli.RunRawAsync(folder, ["--db", Url("sslmode=disabled", user), "status"]);
            Assert.Equal(5, plain.ExitCode);
            Assert.StartsWith($"error: Could not connect to mysql://{user}:***@127.0.0.1:", plain.Err, StringComparison.Ordinal);
            Assert.Contains("the server refused the user name or password", plain.Err, StringComparison.Ordinal);

            var tls = await SwapCli.RunRawAsync(folder, ["--db", Url("sslmode=required", user), "status"]);
            Assert.True(tls.ExitCode == 0, tls.ToString());
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public async Task The_server_really_requires_tls_for_that_user()
    {
        var user = Variable("SWAP_TEST_MYSQL_TLS_USER");
        await using var admin = await new MySqlDatabase(TestServers.MySql).OpenConnectionAsync(default);
        var ssl = await admin.ScalarAsync("SELECT ssl_type FROM mysql.user WHERE user = @u AND host = '127.0.0.1'", new { u = user }, null, default);
        Assert.Equal("ANY", Convert.ToString(ssl, CultureInfo.InvariantCulture));
    }
}
