using System.Net.Sockets;
using Npgsql;
using Swap.Dialects;

namespace Swap.PostgreSql;

public sealed partial class PostgresDatabase
{
    protected override SwapException TranslateConnectError(Exception error)
    {
        var state = (error as PostgresException)?.SqlState;
        var what = state switch
        {
            "28P01" or "28000" => "the server refused the user name or password. Check the credentials in --db or SWAP_DB",
            "3D000" => $"the database '{Database}' does not exist. Create it, or fix the database name in the URL",
            "53300" => "the server has too many connections. Try again later, or raise max_connections",
            "57P03" => "the server is starting up or shutting down. Try again in a moment",
            _ when Find<SocketException>(error) is { } s => $"the server cannot be reached ({s.SocketErrorCode}). Check the host and port, and that PostgreSQL is running",
            _ when error is TimeoutException || Find<TimeoutException>(error) is not null => "the connection timed out. Check the host and port, and the network",
            _ => (error as PostgresException)?.MessageText ?? error.Message,
        };
        return new SwapException(SwapErrorKind.Connection, $"Could not connect to {DisplayName}: {what.TrimEnd('.')}.", error)
        {
            SqlState = state,
            IsTransient = state is "53300" or "57P03",
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
                "25001" => " This statement cannot run inside a transaction: add '-- swap:no-transaction' to the SQL script, or call NoTransaction() in the C# script's constructor.",
                "55P03" => " A lock could not be taken within the lock timeout; the statement is retried.",
                "40P01" => " Deadlock; the statement is retried.",
                "42501" => " The database user lacks a privilege this needs; grant it, or run as a user that has it.",
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
        PostgresException pg => pg.SqlState is "40P01" or "40001" or "55P03" or "57P01" or "57P02" or "57P03" or "53300"
            || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException n => n.IsTransient || IsConnectionLost(n),
        _ => false,
    };

    public override bool IsConnectionLost(Exception error) => error switch
    {
        PostgresException pg => pg.SqlState is "57P01" or "57P02" || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException n => n.InnerException is IOException or SocketException || n.Message.Contains("connection", StringComparison.OrdinalIgnoreCase),
        InvalidOperationException io => io.Message.Contains("Connection is not open", StringComparison.OrdinalIgnoreCase) || io.Message.Contains("broken", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    public override bool IsAlreadyDone(Exception error) =>
        error is PostgresException { SqlState: "42P07" or "42701" or "42710" or "42704" or "42P01" or "42703" };

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
