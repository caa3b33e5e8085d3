using Swap.Data;
using Swap.MySql;

namespace Swap.IntegrationTests.Infrastructure;

/// <summary>Fresh MariaDB databases for tests, dropped afterwards.</summary>
internal static class MySqlTarget
{
    public static async Task<TestTarget> CreateAsync(string name, Func<DatabaseUrl, string, Func<Task>, TestTarget> make)
    {
        var server = TestServers.MySql;
        await using (var admin = await new MySqlDatabase(server).OpenConnectionAsync(default))
            await admin.ExecuteAsync($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4", default);
        var url = DatabaseUrl.Parse($"mysql://{Uri.EscapeDataString(server.User!)}:{Uri.EscapeDataString(server.Password!)}@{server.Host}:{server.Port}/{name}");
        return make(url, name, async () =>
        {
            await using var admin = await new MySqlDatabase(server).OpenConnectionAsync(default);
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS `{name}`", default);
        });
    }
}
