using Microsoft.Extensions.Logging;
using Swap.Connections;
using Swap.Dialects;
using Swap.MySql;
using Swap.PostgreSql;
using Swap.Sqlite;

namespace Swap.Cli;

/// <summary>Opens the Swap target a database URL names, on the right dialect.</summary>
public static class Databases
{
    public static SwapDatabase Open(DatabaseUrl url, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.Engine switch
        {
            DatabaseEngine.Sqlite => new SqliteDatabase(url, loggerFactory),
            DatabaseEngine.PostgreSql => new PostgresDatabase(url, loggerFactory),
            DatabaseEngine.MySql => MySqlDatabaseFactory.Open(url, loggerFactory),
            _ => throw new SwapException(SwapErrorKind.Usage, $"Unsupported engine {url.Engine}."),
        };
    }
}
