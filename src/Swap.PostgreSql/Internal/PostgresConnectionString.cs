using System.Globalization;
using Npgsql;
using Swap.Connections;

namespace Swap.PostgreSql.Internal;

/// <summary>Turns a <c>postgres://</c> URL into an Npgsql connection string.</summary>
internal static class PostgresConnectionString
{
    public static string From(DatabaseUrl url)
    {
        var b = new NpgsqlConnectionStringBuilder
        {
            Host = url.Option("socket") ?? url.Host,
            Port = url.Port ?? 5432,
            Database = url.Database,
            Username = url.User,
            Password = url.Password,
            ApplicationName = url.Option("application_name") ?? "swap",
            Timeout = int.Parse(url.Option("connect_timeout") ?? "15", CultureInfo.InvariantCulture),
            CommandTimeout = 0,
            // A run holds few, long-lived connections, so a pool saves nothing; and a pooled
            // connection keeps its server session (and any session state, such as an advisory
            // lock) open after Dispose, for as long as the never-disposed data source lives.
            // Hosts that want pooling pass their own NpgsqlDataSource.
            Pooling = false,
            IncludeErrorDetail = false,
            // Never echo the password back through ConnectionString.
            PersistSecurityInfo = false,
        };
        if (url.Option("schema") is { } schema)
            b.SearchPath = schema;
        if (url.Option("sslmode") is { } ssl)
            b.SslMode = Enum.Parse<SslMode>(ssl, ignoreCase: true);
        return b.ConnectionString;
    }
}
