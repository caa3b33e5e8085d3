using Microsoft.Extensions.Logging;
using Swap.Dialects;

namespace Swap.MySql;

/// <summary>Opens MySQL/MariaDB targets from URLs.</summary>
internal static class MySqlDatabaseFactory
{
    public static SwapDatabase Open(DatabaseUrl url, ILoggerFactory? loggerFactory = null) => new MySqlDatabase(url, loggerFactory);
}
