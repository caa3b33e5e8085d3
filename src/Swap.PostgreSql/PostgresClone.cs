using Npgsql;
using Swap.Data;
using Swap.PostgreSql.Internal;

namespace Swap.PostgreSql;

/// <summary>A staging database made with <c>CREATE DATABASE ... TEMPLATE</c> on the server that holds the source.</summary>
internal static class PostgresClone
{
    /// <summary>The SQLSTATE of "source database is being accessed by other users".</summary>
    private const string ObjectInUse = "55006";

    /// <summary>The SQLSTATE of "database already exists".</summary>
    private const string DuplicateDatabase = "42P04";

    /// <summary>
    /// Creates the database of <paramref name="staging"/> as a copy of the database of
    /// <paramref name="source"/>. PostgreSQL copies a template only while nobody is connected to
    /// it, so the sessions connected to the source are named and nothing is created while there
    /// are any. Connects to the server's <c>postgres</c> database with the staging credentials.
    /// </summary>
    public static async Task CreateFromTemplateAsync(DatabaseUrl source, DatabaseUrl staging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(staging);
        if (!string.Equals(source.Host, staging.Host, StringComparison.OrdinalIgnoreCase) || (source.Port ?? 5432) != (staging.Port ?? 5432))
        {
            throw new SwapException(
                SwapErrorKind.Refused,
                $"--clone-from {source} is on another server than --on {staging}: CREATE DATABASE ... TEMPLATE copies only within one server. Copy it with pg_dump and pg_restore, then pass that database as --on.");
        }
        if (source.Database == staging.Database)
            throw new SwapException(SwapErrorKind.Usage, "--clone-from and --on name the same database.");
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.From(staging)) { Database = "postgres", SearchPath = null };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException)
        {
            throw new SwapException(SwapErrorKind.Connection, $"Could not connect to the staging server of {staging} (database postgres) to clone {source}: {e.Message}", e);
        }
        if (await connection.ScalarAsync("SELECT 1 FROM pg_catalog.pg_database WHERE datname = @name", new { name = staging.Database }, null, cancellationToken) is not null)
            throw new SwapException(SwapErrorKind.Refused, $"--on {staging}: the database '{staging.Database}' exists already; a clone never overwrites a database. Drop it, or rehearse on it without --clone-from.");
        if (await connection.ScalarAsync("SELECT 1 FROM pg_catalog.pg_database WHERE datname = @name", new { name = source.Database }, null, cancellationToken) is null)
            throw new SwapException(SwapErrorKind.Connection, $"--clone-from {source}: the database '{source.Database}' does not exist. Check the database name of the database to copy.");
        await RefuseIfConnectedAsync(connection, source, cancellationToken);
        var quote = PostgresDialect.Instance;
        try
        {
            await connection.ExecuteAsync($"CREATE DATABASE {quote.Quote(staging.Database)} TEMPLATE {quote.Quote(source.Database)}", cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == ObjectInUse)
        {
            // Someone connected between the check and the copy.
            await RefuseIfConnectedAsync(connection, source, cancellationToken);
            throw new SwapException(SwapErrorKind.Refused, $"Cannot clone {source}: {e.MessageText}. Run again when nothing is connected to it.", e);
        }
        catch (PostgresException e) when (e.SqlState == DuplicateDatabase)
        {
            throw new SwapException(SwapErrorKind.Refused, $"--on {staging}: the database '{staging.Database}' exists already.", e);
        }
        catch (PostgresException e)
        {
            throw new SwapException(SwapErrorKind.Refused, $"Cannot clone {source} into '{staging.Database}': {e.MessageText} (SQLSTATE {e.SqlState}).", e);
        }
    }

    private static async Task RefuseIfConnectedAsync(NpgsqlConnection connection, DatabaseUrl source, CancellationToken cancellationToken)
    {
        var sessions = await connection.QueryAsync(
            // CREATE DATABASE stops autovacuum workers on the template itself; every other session blocks it.
            "SELECT pid, usename, application_name, client_addr::text AS addr, state, backend_type FROM pg_catalog.pg_stat_activity WHERE datname = @name AND pid <> pg_backend_pid() AND backend_type <> 'autovacuum worker' ORDER BY pid LIMIT 10",
            new { name = source.Database },
            cancellationToken);
        if (sessions.Count == 0)
            return;
        var named = string.Join("; ", sessions.Select(s => $"pid {s.Int64("pid")} user {s.String("usename") ?? "(" + s.String("backend_type") + ")"}" +
            (string.IsNullOrEmpty(s.String("application_name")) ? "" : $" application '{s.String("application_name")}'") +
            (s.String("addr") is { } a ? $" from {a}" : "") + $" ({s.String("state") ?? "?"})"));
        throw new SwapException(
            SwapErrorKind.Refused,
            $"Cannot clone {source}: CREATE DATABASE ... TEMPLATE needs nobody connected to '{source.Database}', and {sessions.Count} session(s) are: {named}. " +
            "Clone from a copy nobody uses (a restored backup), or give a staging database with --on and no --clone-from.");
    }
}
