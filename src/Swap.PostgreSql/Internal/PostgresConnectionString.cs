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
            Timeout = ConnectTimeout(url),
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
            b.SslMode = SslModeOf(url, ssl);
        return b.ConnectionString;
    }

    private static int ConnectTimeout(DatabaseUrl url)
    {
        var text = url.Option("connect_timeout");
        if (text is null)
            return 15;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= 1024
            ? seconds
            : throw BadOption(url, $"connect_timeout={text} is not a whole number of seconds from 0 to 1024");
    }

    private static SslMode SslModeOf(DatabaseUrl url, string text) =>
        Enum.TryParse<SslMode>(text.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode) && !char.IsDigit(text[0]) && Enum.IsDefined(mode)
            ? mode
            : throw BadOption(url, $"sslmode={text} is not one of {string.Join(", ", Enum.GetNames<SslMode>().Select(n => n.ToLowerInvariant()))}");

    private static SwapException BadOption(DatabaseUrl url, string what) =>
        new(SwapErrorKind.Usage, $"The database URL {url} is not valid: {what}.");
}
