
namespace Swap.IntegrationTests.Infrastructure;

/// <summary>Where engines differ in what a test may expect.</summary>
public static class EngineTraits
{
    /// <summary>False on MySQL, where DDL commits implicitly: every script runs as journaled steps.</summary>
    public static bool RunsScriptsInOneTransaction(DatabaseEngine engine) => engine != DatabaseEngine.MySql;

    /// <summary>How plan and the logs name the mode of a script that did not opt out of transactions.</summary>
    public static string DefaultMode(DatabaseEngine engine) =>
        RunsScriptsInOneTransaction(engine) ? "one transaction" : "journaled steps";
}
