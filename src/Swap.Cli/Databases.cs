using Microsoft.Extensions.Logging;
using Swap.Dialects;
using Swap.Sqlite;

namespace Swap.Cli;

/// <summary>Opens the Swap target a database URL names, on the right dialect.</summary>
internal static class Databases
{
    /// <param name="mustExist">For SQLite: refuse a missing file instead of creating an empty database.</param>
    public static SwapDatabase Open(DatabaseUrl url, ILoggerFactory? loggerFactory = null, bool mustExist = false)
    {
        ArgumentNullException.ThrowIfNull(url);
        // SQLite's "must exist" is the command's own rule (a mistyped path must not create a file).
        return url.Engine == DatabaseEngine.Sqlite
            ? new SqliteDatabase(url, loggerFactory) { MustExist = mustExist }
            : SwapDatabase.Open(url, loggerFactory);
    }
}
