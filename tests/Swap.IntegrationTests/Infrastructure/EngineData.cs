
namespace Swap.IntegrationTests.Infrastructure;

/// <summary>The engines every runner and CLI test runs on.</summary>
public static class EngineData
{
    public static TheoryData<DatabaseEngine> Engines => new()
    {
        DatabaseEngine.Sqlite,
        DatabaseEngine.PostgreSql,
        DatabaseEngine.MySql,
    };

    /// <summary>The engines reached over the network with a user and password.</summary>
    public static TheoryData<DatabaseEngine> ServerEngines => new()
    {
        DatabaseEngine.PostgreSql,
        DatabaseEngine.MySql,
    };
}
