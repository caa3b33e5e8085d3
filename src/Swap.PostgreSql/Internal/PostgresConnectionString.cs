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
            Pooling = true,
            // Idle pooled connections go back to the server soon: a CLI run, or a host that opens
            // many targets, must not hold connections it no longer uses.
            ConnectionIdleLifetime = 10,
            ConnectionPruningInterval = 5,
            IncludeErrorDetail = false,
            // Never echo the password back through ConnectionString.
            PersistSecurityInfo = false,
        };
        if (url.Option("sslmode") is { } ssl)
            b.SslMode = Enum.Parse<SslMode>(ssl, ignoreCase: true);
        return b.ConnectionString;
    }
}
