using System.Net.Sockets;
using Npgsql;
using Swap.Dialects;

namespace Swap.PostgreSql;

public sealed partial class PostgresDatabase
{
    /// <summary>SQLSTATE class 08: connection exceptions.</summary>
    private const string ConnectionExceptionClass = "08";

    protected override SwapException TranslateConnectError(Exception error)
    {
        var state = (error as PostgresException)?.SqlState;
        var what = state switch
        {
            PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification => "the server refused the user name or password. Check the credentials in --db or SWAP_DB",
            PostgresErrorCodes.InvalidCatalogName => $"the database '{Database}' does not exist. Create it, or fix the database name in the URL",
            PostgresErrorCodes.TooManyConnections => "the server has too many connections. Try again later, or raise max_connections",
            PostgresErrorCodes.CannotConnectNow => "the server is starting up or shutting down. Try again in a moment",
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

    public override SwapException Translate(Exception error, string context)
    {
        if (error is SwapException s)
            return s;
        if (error is PostgresException pg)
        {
            var hint = pg.SqlState switch
            {
                PostgresErrorCodes.ActiveSqlTransaction => " This statement cannot run inside a transaction: add '-- swap:no-transaction' to the SQL script, or call NoTransaction() in the C# script's constructor.",
                PostgresErrorCodes.LockNotAvailable => " A lock could not be taken within the lock timeout; the statement is retried.",
                PostgresErrorCodes.DeadlockDetected => " Deadlock; the statement is retried.",
                PostgresErrorCodes.InsufficientPrivilege => " The database user lacks a privilege this needs; grant it, or run as a user that has it.",
                _ => "",
            };
            var where = pg.Position > 0 ? $" (at character {pg.Position})" : "";
            return new SwapException(SwapErrorKind.Failure, $"{context} failed: {pg.SqlState}: {pg.MessageText}{where}.{hint}", error)
            {
                SqlState = pg.SqlState,
                IsTransient = IsTransient(error),
            };
        }
        return new SwapException(SwapErrorKind.Failure, $"{context} failed: {error.Message}", error) { IsTransient = IsTransient(error) };
    }

    public override bool IsTransient(Exception error) => error switch
    {
        SwapException s => s.IsTransient,
        PostgresException pg => pg.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections
            || pg.SqlState.StartsWith(ConnectionExceptionClass, StringComparison.Ordinal),
        NpgsqlException n => n.IsTransient || IsConnectionLost(n),
        _ => false,
    };

    public override bool IsConnectionLost(Exception error) => error switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown || pg.SqlState.StartsWith(ConnectionExceptionClass, StringComparison.Ordinal),
        NpgsqlException n => n.InnerException is IOException or SocketException || n.Message.Contains("connection", StringComparison.OrdinalIgnoreCase),
        InvalidOperationException io => io.Message.Contains("Connection is not open", StringComparison.OrdinalIgnoreCase) || io.Message.Contains("broken", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    public override bool IsLockTimeout(Exception error) => error switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.LockNotAvailable,
        SwapException { InnerException: { } inner } => IsLockTimeout(inner),
        _ => false,
    };

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
