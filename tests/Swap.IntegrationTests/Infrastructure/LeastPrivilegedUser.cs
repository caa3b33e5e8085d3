using Swap.Data;
using Swap.Dialects;
using Swap.MySql;
using Swap.PostgreSql;

namespace Swap.IntegrationTests.Infrastructure;

/// <summary>
/// A login made by the test with only the grants it is given (no SUPER, no superuser), dropped
/// when the test ends: MariaDB <c>'name'@'%'</c>, or a PostgreSQL role.
/// </summary>
public sealed class LeastPrivilegedUser : IAsyncDisposable
{
    private const string Password = "lp-test-pw-3Kd9";
    private readonly TestTarget target;

    private LeastPrivilegedUser(TestTarget target, string name)
    {
        this.target = target;
        Name = name;
    }

    public string Name { get; }

    /// <summary>The target's URL with this user's credentials.</summary>
    public DatabaseUrl Url => DatabaseUrl.Parse(target.Engine == DatabaseEngine.PostgreSql
        ? $"postgres://{Name}:{Password}@{target.Url.Host}:{target.Url.Port}/{target.Url.Database}?schema={target.Name}"
        : $"mysql://{Name}:{Password}@{target.Url.Host}:{target.Url.Port}/{target.Url.Database}");

    public SwapDatabase Database() => Swap.Cli.Databases.Open(Url);

    /// <summary>MariaDB: the grants are on the target database (e.g. "SELECT, INSERT"); PostgreSQL: USAGE and CREATE on the schema.</summary>
    public static async Task<LeastPrivilegedUser> CreateAsync(TestTarget target, string? mySqlPrivileges = null)
    {
        var user = new LeastPrivilegedUser(target, UniqueName.Next("lp"));
        if (target.Engine == DatabaseEngine.PostgreSql)
        {
            await target.ExecuteAsync($"CREATE ROLE \"{user.Name}\" LOGIN PASSWORD '{Password}'");
            await target.ExecuteAsync($"GRANT USAGE, CREATE ON SCHEMA \"{target.Name}\" TO \"{user.Name}\"");
        }
        else
        {
            await target.ExecuteAsync($"CREATE USER '{user.Name}'@'%' IDENTIFIED BY '{Password}'");
            await target.ExecuteAsync($"GRANT {mySqlPrivileges ?? string.Join(", ", AllNeeded)} ON `{target.Name}`.* TO '{user.Name}'@'%'");
        }
        return user;
    }

    /// <summary>What docs/operating-online-swaps.md lists for MariaDB.</summary>
    public static readonly string[] AllNeeded = ["SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "INDEX", "TRIGGER", "LOCK TABLES"];

    public async ValueTask DisposeAsync()
    {
        if (target.Engine == DatabaseEngine.PostgreSql)
        {
            await using var admin = await new PostgresDatabase(TestServers.Postgres).OpenConnectionAsync(default);
            await admin.ExecuteAsync($"DROP SCHEMA IF EXISTS \"{target.Name}\" CASCADE", default);
            await admin.ExecuteAsync($"DROP OWNED BY \"{Name}\" CASCADE", default);
            await admin.ExecuteAsync($"DROP ROLE IF EXISTS \"{Name}\"", default);
        }
        else
        {
            await using var admin = await new MySqlDatabase(TestServers.MySql).OpenConnectionAsync(default);
            await admin.ExecuteAsync($"DROP USER IF EXISTS '{Name}'@'%'", default);
        }
    }
}
