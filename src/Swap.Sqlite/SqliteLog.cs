using Microsoft.Extensions.Logging;

namespace Swap.Sqlite;

/// <summary>Log messages of the SQLite dialect.</summary>
internal static partial class SqliteLog
{
    [LoggerMessage(3000, LogLevel.Warning, "The SQLite database {Path} does not exist yet; showing it as empty. 'swap up' creates it. Check the path if you expected an existing database")]
    public static partial void MissingFile(ILogger logger, string path);

    [LoggerMessage(3001, LogLevel.Warning, "The SQLite database {Path} does not exist, nor does its folder {Folder}; showing it as empty. 'swap up' creates the file but not the folder: create the folder, or check the path")]
    public static partial void MissingFolder(ILogger logger, string path, string folder);
}
