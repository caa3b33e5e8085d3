using Swap.Connections;

namespace Swap.IntegrationTests.Infrastructure;

/// <summary>
/// The engines every runner and CLI test runs on. The one list to extend: add
/// <see cref="DatabaseEngine.MySql"/> here when the MySQL dialect lands.
/// </summary>
public static class EngineData
{
    public static TheoryData<DatabaseEngine> Engines => new()
    {
        DatabaseEngine.Sqlite,
        DatabaseEngine.PostgreSql,
    };

    /// <summary>The engines reached over the network with a user and password (add MySQL here too).</summary>
    public static TheoryData<DatabaseEngine> ServerEngines => new()
    {
        DatabaseEngine.PostgreSql,
    };
}
