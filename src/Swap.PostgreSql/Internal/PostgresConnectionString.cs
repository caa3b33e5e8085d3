using System.Globalization;
using Npgsql;

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
            Timeout = url.ConnectTimeoutSeconds(),
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
            b.SearchPath = SearchPath(schema);
        if (url.Option("sslmode") is { } ssl)
            b.SslMode = SslModeOf(url, ssl);
        return b.ConnectionString;
    }


    /// <summary>
    /// The schema as a search path: PostgreSQL reads the setting as a list of names, so a name with
    /// a space, comma or quote in it is quoted (a plain name is left as it is, folded to lower case
    /// by the server as before).
    /// </summary>
    internal static string SearchPath(string schema) =>
        schema.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$')
            ? schema
            : "\"" + schema.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static SslMode SslModeOf(DatabaseUrl url, string text) =>
        Enum.TryParse<SslMode>(text.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode) && !char.IsDigit(text[0]) && Enum.IsDefined(mode)
            ? mode
            : throw url.BadOption($"sslmode={text} is not one of disable, allow, prefer, require, verify-ca, verify-full");

}
