using Microsoft.Extensions.Logging;
using Swap.Dialects;
using Swap.MySql;
using Swap.PostgreSql;
using Swap.Sqlite;

namespace Swap.Cli;

/// <summary>Opens the Swap target a database URL names, on the right dialect.</summary>
internal static class Databases
{
    /// <param name="mustExist">For SQLite: refuse a missing file instead of creating an empty database.</param>
    public static SwapDatabase Open(DatabaseUrl url, ILoggerFactory? loggerFactory = null, bool mustExist = false)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.Engine switch
        {
            DatabaseEngine.Sqlite => new SqliteDatabase(url, loggerFactory) { MustExist = mustExist },
            DatabaseEngine.PostgreSql => new PostgresDatabase(url, loggerFactory),
            DatabaseEngine.MySql => MySqlDatabaseFactory.Open(url, loggerFactory),
            _ => throw new SwapException(SwapErrorKind.Usage, $"Unsupported engine {url.Engine}."),
        };
    }
}
