using Microsoft.Data.Sqlite;

namespace Swap.Sqlite.Internal;

/// <summary>Turns a <c>sqlite:</c> URL into a Microsoft.Data.Sqlite connection string.</summary>
internal static class SqliteConnectionString
{
    public static string From(DatabaseUrl url) => From(url.Database);

    public static string From(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = false,
    }.ToString();
}
