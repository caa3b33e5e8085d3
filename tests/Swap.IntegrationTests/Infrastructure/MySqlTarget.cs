using Swap.Connections;

namespace Swap.IntegrationTests.Infrastructure;

/// <summary>Fresh MariaDB databases for tests (filled in once the MySQL dialect lands).</summary>
internal static class MySqlTarget
{
    public static Task<TestTarget> CreateAsync(string name, Func<DatabaseUrl, string, Func<Task>, TestTarget> make) =>
        throw new NotSupportedException("The MySQL dialect is not built yet.");
}
