using System.Data.Common;
using Swap.MySql.Client;

namespace Swap.MySql;

public sealed partial class MySqlDatabase
{
    private static readonly int[] Transient = [1040, 1042, 1053, 1205, 1213, 1614, 1927, 2002, 2003, 2006, 2013, 2055, 4031];
    private static readonly int[] Lost = [1053, 1927, 2006, 2013, 2055, 4031];
    private static readonly int[] AlreadyDone = [1050, 1051, 1060, 1061, 1068, 1091, 1359, 1360, 1826];

    /// <summary>The server's error number, from this project's provider or any provider with a <c>Number</c> property (MySqlConnector).</summary>
    internal static int? Number(Exception? error) => error switch
    {
        MySqlException m => m.Number,
        DbException d when d.GetType().GetProperty("Number")?.GetValue(d) is int n => n,
        _ => null,
    };

    protected override SwapException TranslateConnectError(Exception error)
    {
        var number = Number(error);
        var what = number switch
        {
            1045 => "the server refused the user name or password. Check the credentials in --db or SWAP_DB",
            1049 => $"the database '{DatabaseName}' does not exist. Create it, or fix the database name in the URL",
            1044 => $"the user may not use the database '{DatabaseName}'. Grant it access, or use another user",
            1040 => "the server has too many connections. Try again later, or raise max_connections",
            2002 or 2003 or 2005 => "the server cannot be reached. Check the host and port, and that MySQL/MariaDB is running",
            MySqlErrorCodes.ClientLibraryUnavailable => error.Message,
            _ => error.Message,
        };
        return new SwapException(SwapErrorKind.Connection, $"Could not connect to {DisplayName}: {what}.", error)
        {
            ServerCode = number,
            SqlState = (error as DbException)?.SqlState,
            IsTransient = number is 1040 or 1053,
        };
    }

    public override SwapException Translate(Exception error, string context)
    {
        if (error is SwapException s)
            return s;
        var number = Number(error);
        var hint = number switch
        {
            1205 => " A lock could not be taken in time; the statement is retried.",
            1213 => " Deadlock; the statement is retried.",
            1142 or 1143 or 1227 or 1044 => " The database user lacks a privilege this needs; grant it, or run as a user that has it.",
            _ => "",
        };
        return new SwapException(SwapErrorKind.Failure, $"{context} failed: {(number is { } n ? n + ": " : "")}{error.Message}.{hint}", error)
        {
            ServerCode = number,
            SqlState = (error as DbException)?.SqlState,
            IsTransient = IsTransient(error),
        };
    }

    public override bool IsTransient(Exception error) => error switch
    {
        SwapException s => s.IsTransient,
        _ => Number(error) is { } n && Transient.Contains(n),
    };

    public override bool IsConnectionLost(Exception error) => Number(error) is { } n && Lost.Contains(n);

    public override bool IsAlreadyDone(Exception error) => Number(error) is { } n && AlreadyDone.Contains(n);
}
