using System.Globalization;
using Swap.Data;
using Swap.IntegrationTests.Infrastructure;
using Swap.MySql;
using Swap.PostgreSql;
using Swap.Scenarios.Faults;

namespace Swap.IntegrationTests.Faults;

/// <summary>
/// No password appears in anything Swap prints or stores. A dedicated login whose password holds
/// '/', '@', ':' and '?' (written into the URL unescaped, as people do) runs a copy-and-swap that
/// is killed, resumed, fails on a broken script, is asked for status, a plan and a revert; then
/// wrong passwords, a malformed URL, an unreachable port, a missing database, SWAP_DB and
/// swap.json. Every byte the real processes print is searched for the passwords and their
/// pieces, and so are the history and journal rows.
/// </summary>
public abstract class SecretsTests(DatabaseEngine engine)
{
    private const string Secret = "Qx7/Kv9@Wm3:Zp5?Rt2";
    private const string WrongSecret = "Jh4/Lc8@Np6:Bd1";

    private static readonly string[] Needles = [Secret, Uri.EscapeDataString(Secret), WrongSecret, Uri.EscapeDataString(WrongSecret), "Qx7", "Kv9", "Wm3", "Zp5", "Rt2", "Jh4", "Lc8", "Np6", "Bd1"];

    [Fact]
    public async Task Nothing_a_failing_run_prints_or_stores_holds_the_password()
    {
        await using var target = await FaultTarget.CreateAsync(engine);
        var table = new ItemsTable(target);
        await table.CreateAsync(3_000, seed: 71);
        table.WriteMigration();
        target.WriteMigration("20261202000000_broken.sql", "INSERT INTO no_such_table (id) VALUES (1);\n");
        var login = "fs_" + target.Name[2..];
        await CreateLoginAsync(target, login);
        try
        {
            var server = engine == DatabaseEngine.MySql ? TestServers.MySql : TestServers.Postgres;
            var scheme = engine == DatabaseEngine.MySql ? "mysql" : "postgres";
            var options = engine == DatabaseEngine.MySql ? "" : $"?schema={target.Name}";
            var database = engine == DatabaseEngine.MySql ? target.Name : server.Database;
            string Url(string password, int? port = null, string? db = null) => $"{scheme}://{login}:{password}@{server.Host}:{port ?? server.Port}/{db ?? database}{options}";

            var runs = new List<(string What, int Expected, int Code, string Output)>();
            async Task RunAsync(string what, int expected, string[] args, Dictionary<string, string>? env = null)
            {
                using var process = SwapProcess.StartRaw(target.Folder, args, env);
                var code = await process.WaitAsync(TimeSpan.FromMinutes(3));
                runs.Add((what, expected, code, process.Output));
            }

            await RunAsync("up killed inside the copy", 137, ["--db", Url(Secret), "up", "-v"], new() { ["SWAP_FAULT_KILL_AT"] = "chunk:1" });
            await RunAsync("up resuming, then failing on a broken script", 1, ["--db", Url(Secret), "up", "--verbose"]);
            await RunAsync("status --json", 0, ["--db", Url(Uri.EscapeDataString(Secret)), "status", "--json", "-v"]);
            await RunAsync("plan", 0, ["--db", Url(Secret), "plan", "-v"]);
            await RunAsync("down of a script without a down", 7, ["--db", Url(Secret), "down", "-v"]);
            await RunAsync("cleanup --dry-run", 0, ["--db", Url(Secret), "cleanup", "--dry-run", "-v"]);
            await RunAsync("wrong password", 5, ["--db", Url(WrongSecret), "status", "-v"]);
            await RunAsync("malformed URL", 2, ["--db", $"{scheme}://{login}:{Secret}@{server.Host}:notaport/{database}", "status"]);
            await RunAsync("unreachable port", 5, ["--db", Url(Secret, port: 1), "up", "-v"]);
            await RunAsync("missing database", 5, ["--db", Url(Secret, db: "no_such_db_" + target.Name), "up", "-v"]);
            await RunAsync("SWAP_DB", 1, ["up", "-v"], new() { ["SWAP_DB"] = Url(Secret) });
            File.WriteAllText(Path.Combine(target.Folder, "swap.json"), $$"""{ "db": "{{Url(WrongSecret)}}" }""");
            await RunAsync("swap.json", 5, ["status", "-v"]);

            foreach (var (what, expected, code, output) in runs)
            {
                Assert.True(code == expected, $"{what}: expected exit {expected}, got {code}:\n{output}");
                foreach (var needle in Needles)
                    Assert.False(output.Contains(needle, StringComparison.Ordinal), $"{what} printed '{needle}' of a password:\n{output}");
            }
            // The runs did show where they connected, with the password masked.
            Assert.Contains($"{login}:***@", string.Concat(runs.Select(r => r.Output)), StringComparison.Ordinal);

            await using var c = await target.OpenAsync();
            var stored = string.Concat((await c.QueryAsync("SELECT COALESCE(error_text, '') AS e FROM swap_history", null, default)).Select(r => r.String("e")))
                + string.Concat((await c.QueryAsync("SELECT COALESCE(data, '') AS d FROM swap_journal", null, default)).Select(r => r.String("d")));
            Assert.Contains("no_such_table", stored, StringComparison.Ordinal);
            foreach (var needle in Needles)
                Assert.DoesNotContain(needle, stored, StringComparison.Ordinal);
        }
        finally
        {
            await DropLoginAsync(target, login);
        }
    }

    private async Task CreateLoginAsync(FaultTarget target, string login)
    {
        if (engine == DatabaseEngine.MySql)
        {
            await using var admin = await new MySqlDatabase(TestServers.MySql).OpenConnectionAsync(default);
            await admin.ExecuteAsync($"CREATE USER '{login}'@'%' IDENTIFIED BY '{Secret}'", default);
            await admin.ExecuteAsync($"GRANT ALL PRIVILEGES ON `{target.Name}`.* TO '{login}'@'%'", default);
            return;
        }
        await using var pg = await new PostgresDatabase(TestServers.Postgres).OpenConnectionAsync(default);
        await pg.ExecuteAsync($"CREATE ROLE \"{login}\" LOGIN PASSWORD '{Secret}'", default);
        await pg.ExecuteAsync($"GRANT USAGE, CREATE ON SCHEMA \"{target.Name}\" TO \"{login}\"", default);
        await pg.ExecuteAsync($"ALTER TABLE \"{target.Name}\".items OWNER TO \"{login}\"", default);
    }

    private async Task DropLoginAsync(FaultTarget target, string login)
    {
        if (engine == DatabaseEngine.MySql)
        {
            await using var admin = await new MySqlDatabase(TestServers.MySql).OpenConnectionAsync(default);
            await admin.ExecuteAsync($"DROP USER IF EXISTS '{login}'@'%'", default);
            return;
        }
        await using var pg = await new PostgresDatabase(TestServers.Postgres).OpenConnectionAsync(default);
        await pg.ExecuteAsync($"DROP SCHEMA IF EXISTS \"{target.Name}\" CASCADE", default);
        await pg.ExecuteAsync($"DROP ROLE IF EXISTS \"{login}\"", default);
    }
}

public class PostgresSecretsTests() : SecretsTests(DatabaseEngine.PostgreSql);

// Its login has no SUPER: with binary logging on it needs log_bin_trust_function_creators, which LeastPrivilegeTests turns off for a moment.
[Collection(MariaDbGlobalSettings.Name)]
public class MySqlSecretsTests() : SecretsTests(DatabaseEngine.MySql);
