using System.Net.Sockets;
using Npgsql;
using Swap.Dialects;

namespace Swap.PostgreSql;

public sealed partial class PostgresDatabase
{
    /// <summary>SQLSTATE class 08: connection exceptions.</summary>
    private const string ConnectionExceptionClass = "08";

    /// <summary>
    /// Says what to check for refused credentials (28P01, 28000), a password the server asks for and
    /// nothing gave, a missing database (3D000), too many
    /// connections (53300), a server starting or stopping (57P03), an unreachable host and a timeout.
    /// Too many connections and a server starting or stopping are transient.
    /// </summary>
    protected override SwapException TranslateConnectError(Exception error)
    {
        var state = (error as PostgresException)?.SqlState;
        var what = state switch
        {
            PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification => "the server refused the user name or password. Check the credentials in --db or SWAP_DB",
            PostgresErrorCodes.InvalidCatalogName => $"the database '{Database}' does not exist. Create it, or fix the database name in the URL",
            PostgresErrorCodes.TooManyConnections => "the server has too many connections. Try again later, or raise max_connections",
            PostgresErrorCodes.CannotConnectNow => "the server is starting up or shutting down. Try again in a moment",
            // Npgsql's own words, before any server code: the URL (and PGPASSWORD, ~/.pgpass) gave none.
            _ when error is NpgsqlException { SqlState: null } && error.Message.StartsWith("No password has been provided", StringComparison.Ordinal) =>
                "the server asks for a password and none was given. Add it to the URL after the user name and a colon, or put it in PGPASSWORD or a password file (~/.pgpass, or the file PGPASSFILE names)",
            _ when Find<SocketException>(error) is { } s => $"the server cannot be reached ({s.SocketErrorCode}). Check the host and port, and that PostgreSQL is running",
            _ when error is TimeoutException || Find<TimeoutException>(error) is not null => "the connection timed out. Check the host and port, and the network",
            _ => (error as PostgresException)?.MessageText ?? error.Message,
        };
        return new SwapException(SwapErrorKind.Connection, $"Could not connect to {DisplayName}: {what.TrimEnd('.')}.", error)
        {
            SqlState = state,
            IsTransient = state is PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.CannotConnectNow,
        };
    }

    /// <summary>
    /// Keeps the SQLSTATE and the error's position, and adds a hint for statements that cannot run in a
    /// transaction (25001), lock timeouts (55P03), deadlocks (40P01) and missing privileges (42501).
    /// A <see cref="SwapException"/> is returned as is.
    /// </summary>
    public override SwapException Translate(Exception error, string context)
    {
        if (error is SwapException s)
            return s;
        if (error is PostgresException pg)
        {
            var hint = pg.SqlState switch
            {
                PostgresErrorCodes.ActiveSqlTransaction => " This statement cannot run inside a transaction: add '-- swap:no-transaction' to the SQL script, or call NoTransaction() in the C# script's constructor.",
                PostgresErrorCodes.LockNotAvailable => " Another session held a lock this needed beyond the lock timeout (pg_stat_activity shows it)." + RetriedThenRunAgain,
                PostgresErrorCodes.DeadlockDetected => " A deadlock with another session." + RetriedThenRunAgain,
                PostgresErrorCodes.InsufficientPrivilege => " The database user lacks a privilege this needs; grant it, or run as a user that has it.",
                _ => "",
            };
            var where = pg.Position > 0 ? $" (at character {pg.Position})" : "";
            if (pg.SqlState == PostgresErrorCodes.InsufficientPrivilege && cannotCreate is not null && pg.MessageText.Contains("schema", StringComparison.OrdinalIgnoreCase))
                return new SwapException(SwapErrorKind.Refused, $"{context} failed: {pg.SqlState}: {pg.MessageText}.{cannotCreate}", error) { SqlState = pg.SqlState };
            return new SwapException(SwapErrorKind.Failure, $"{context} failed: {pg.SqlState}: {pg.MessageText}{where}.{hint}", error)
            {
                SqlState = pg.SqlState,
                IsTransient = IsTransient(error),
            };
        }
        return new SwapException(SwapErrorKind.Failure, $"{context} failed: {error.Message}", error) { IsTransient = IsTransient(error) };
    }

    /// <summary>
    /// Deadlocks (40P01), serialization failures (40001), lock timeouts (55P03), server shutdown or
    /// startup (57P01, 57P02, 57P03), too many connections (53300), connection errors (class 08), and
    /// what Npgsql marks transient; for a <see cref="SwapException"/>, its <see cref="SwapException.IsTransient"/>.
    /// </summary>
    public override bool IsTransient(Exception error) => error switch
    {
        SwapException s => s.IsTransient,
        PostgresException pg => pg.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections
            || pg.SqlState.StartsWith(ConnectionExceptionClass, StringComparison.Ordinal),
        NpgsqlException n => n.IsTransient || IsConnectionLost(n),
        _ => false,
    };

    internal override bool IsUnknownDatabase(Exception error) =>
        (Find<PostgresException>(error)?.SqlState ?? (error as SwapException)?.SqlState) == PostgresErrorCodes.InvalidCatalogName;

    internal override bool IsLoginRefused(Exception error) =>
        (Find<PostgresException>(error)?.SqlState ?? (error as SwapException)?.SqlState) is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification;

    /// <summary>Connection errors (class 08), an administrator or crash shutdown (57P01, 57P02), an Npgsql I/O failure, or a connection that is no longer open.</summary>
    public override bool IsConnectionLost(Exception error) => error switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown || pg.SqlState.StartsWith(ConnectionExceptionClass, StringComparison.Ordinal),
        NpgsqlException n => n.InnerException is IOException or SocketException || n.Message.Contains("connection", StringComparison.OrdinalIgnoreCase),
        InvalidOperationException io => io.Message.Contains("Connection is not open", StringComparison.OrdinalIgnoreCase) || io.Message.Contains("broken", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>SQLSTATE 23505 (<c>unique_violation</c>).</summary>
    public override bool IsUniqueViolation(Exception error) => error switch
    {
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        SwapException { InnerException: { } inner } => IsUniqueViolation(inner),
        _ => false,
    };

    /// <summary>
    /// Value too long (22001), out of range (22003), NULL in a NOT NULL column (23502), invalid text
    /// representation (22P02), invalid datetime format or overflow (22007, 22008), a CHECK the row
    /// fails (23514: an enum's list narrowed, say), a foreign key without a parent row (23503), anywhere in the
    /// chain; the column where the server names one (23502).
    /// </summary>
    internal override ValueMisfit? ValueNotFitting(Exception error) =>
        Find<PostgresException>(error) is { SqlState: PostgresErrorCodes.StringDataRightTruncation or PostgresErrorCodes.NumericValueOutOfRange or PostgresErrorCodes.NotNullViolation
            or PostgresErrorCodes.InvalidTextRepresentation or PostgresErrorCodes.InvalidDatetimeFormat or PostgresErrorCodes.DatetimeFieldOverflow or PostgresErrorCodes.CheckViolation
            or PostgresErrorCodes.ForeignKeyViolation } pg
            ? new ValueMisfit($"{pg.SqlState}: {pg.MessageText.TrimEnd('.')}", pg.ColumnName, pg.SqlState == PostgresErrorCodes.ForeignKeyViolation)
            : null;

    /// <summary>SQLSTATE 55P03 (<c>lock_not_available</c>): <c>lock_timeout</c> expired.</summary>
    public override bool IsLockTimeout(Exception error) => error switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.LockNotAvailable,
        SwapException { InnerException: { } inner } => IsLockTimeout(inner),
        _ => false,
    };

    /// <summary>
    /// Duplicate table, column or object (42P07, 42701, 42710), or undefined object, table or column
    /// (42704, 42P01, 42703) when dropping.
    /// </summary>
    public override bool IsAlreadyDone(Exception error) =>
        error is PostgresException { SqlState: PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateColumn or PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.UndefinedObject or PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn };

    private static T? Find<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T t)
                return t;
        }
        return null;
    }
}
