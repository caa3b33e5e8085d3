using System.Text.Json;
using Swap.Data;
using Swap.IntegrationTests.Infrastructure;
using Swap.MySql;
using Swap.PostgreSql;

namespace Swap.IntegrationTests.Runner;

/// <summary>
/// A password that is an ordinary word (the table's name, Swap's own prefix) is hidden where it
/// stands as a password, and nowhere else: logs, ids and JSON come out exact.
/// </summary>
public class RedactionTests
{
    public static TheoryData<DatabaseEngine, string> Cases => new()
    {
        { DatabaseEngine.PostgreSql, "invoices" },
        { DatabaseEngine.PostgreSql, "swap" },
        { DatabaseEngine.MySql, "invoices" },
        { DatabaseEngine.MySql, "swap" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_password_that_is_an_ordinary_word_is_hidden_only_in_the_url(DatabaseEngine engine, string password)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.Sql("20261201000000_create_invoices", "CREATE TABLE invoices (id INT NOT NULL PRIMARY KEY, swap VARCHAR(10) NOT NULL);\n");
        var login = "rd_" + target.Name[2..];
        var server = engine == DatabaseEngine.MySql ? TestServers.MySql : TestServers.Postgres;
        var url = engine == DatabaseEngine.MySql
            ? $"mysql://{login}:{password}@{server.Host}:{server.Port}/{target.Name}"
            : $"postgres://{login}:{password}@{server.Host}:{server.Port}/{server.Database}?schema={target.Name}";
        var shown = engine == DatabaseEngine.MySql
            ? $"mysql://{login}:***@{server.Host}:{server.Port}/{target.Name}"
            : $"postgres://{login}:***@{server.Host}:{server.Port}/{server.Database}";
        await CreateLoginAsync(engine, target, login, password);
        try
        {
            var up = await SwapCli.RunRawAsync(target.Folder, ["--db", url, "up"]);
            Assert.True(up.ExitCode == 0, up.ToString());
            var log = up.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[9..]).ToList();
            Assert.Contains("info: Created the history table swap_history", log);
            Assert.Contains(log, l => l.StartsWith("info: Applying 20261201000000_create_invoices (sql, ", StringComparison.Ordinal));
            Assert.Equal("applied\t20261201000000_create_invoices", up.OutLines[0][..up.OutLines[0].LastIndexOf('\t')]);

            var status = await SwapCli.RunRawAsync(target.Folder, ["--db", url, "status", "--json"]);
            Assert.True(status.ExitCode == 0, status.ToString());
            using var json = JsonDocument.Parse(status.Out);
            Assert.StartsWith(shown, json.RootElement.GetProperty("target").GetString(), StringComparison.Ordinal);
            var script = json.RootElement.GetProperty("scripts")[0];
            Assert.Equal("20261201000000_create_invoices", script.GetProperty("id").GetString());
            Assert.EndsWith("20261201000000_create_invoices.sql", script.GetProperty("source").GetString(), StringComparison.Ordinal);
            Assert.Equal(1, status.Out.Split("***").Length - 1);
            Assert.DoesNotContain($":{password}@", status.All, StringComparison.Ordinal);
            Assert.DoesNotContain($":{password}@", up.All, StringComparison.Ordinal);
        }
        finally
        {
            await DropLoginAsync(engine, login);
        }
    }

    private static async Task CreateLoginAsync(DatabaseEngine engine, TestTarget target, string login, string password)
    {
        if (engine == DatabaseEngine.MySql)
        {
            await using var admin = await new MySqlDatabase(TestServers.MySql).OpenConnectionAsync(default);
            await admin.ExecuteAsync($"CREATE USER '{login}'@'%' IDENTIFIED BY '{password}'", default);
            await admin.ExecuteAsync($"GRANT ALL PRIVILEGES ON `{target.Name}`.* TO '{login}'@'%'", default);
            return;
        }
        await using var pg = await new PostgresDatabase(TestServers.Postgres).OpenConnectionAsync(default);
        await pg.ExecuteAsync($"CREATE ROLE \"{login}\" LOGIN PASSWORD '{password}'", default);
        await pg.ExecuteAsync($"GRANT USAGE, CREATE ON SCHEMA \"{target.Name}\" TO \"{login}\"", default);
    }

    private static async Task DropLoginAsync(DatabaseEngine engine, string login)
    {
        if (engine == DatabaseEngine.MySql)
        {
            await using var admin = await new MySqlDatabase(TestServers.MySql).OpenConnectionAsync(default);
            await admin.ExecuteAsync($"DROP USER IF EXISTS '{login}'@'%'", default);
            return;
        }
        await using var pg = await new PostgresDatabase(TestServers.Postgres).OpenConnectionAsync(default);
        await pg.ExecuteAsync($"DROP OWNED BY \"{login}\"", default);
        await pg.ExecuteAsync($"DROP ROLE IF EXISTS \"{login}\"", default);
    }
}
