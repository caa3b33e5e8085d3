using Microsoft.Data.Sqlite;
using Swap.Dialects;

namespace Swap.Sqlite;

public sealed partial class SqliteDatabase
{
    private const int Busy = 5;
    private const int Locked = 6;
    private const int CantOpen = 14;
    private const int NotADatabase = 26;
    private const int ReadOnly = 8;

    protected override SwapException TranslateConnectError(Exception error)
    {
        var code = (error as SqliteException)?.SqliteErrorCode;
        var what = code switch
        {
            CantOpen => "the file cannot be opened or created (check that the folder exists and is writable)",
            NotADatabase => "the file is not a SQLite database",
            ReadOnly => "the file is read-only",
            _ => error.Message,
        };
        return new SwapException(SwapErrorKind.Connection, $"Could not open {DisplayName}: {what.TrimEnd('.')}.", error) { ServerCode = code, IsTransient = code is Busy or Locked };
    }

    public override SwapException Translate(Exception error, string context)
    {
        if (error is SwapException s)
            return s;
        var code = (error as SqliteException)?.SqliteErrorCode;
        var hint = code is Busy or Locked ? " Another connection holds a write lock on the database; the statement is retried." : "";
        return new SwapException(SwapErrorKind.Failure, $"{context} failed: {error.Message}{hint}", error)
        {
            ServerCode = code,
            IsTransient = IsTransient(error),
        };
    }

    public override bool IsTransient(Exception error) => error switch
    {
        SqliteException e => e.SqliteErrorCode is Busy or Locked,
        SwapException s => s.IsTransient,
        _ => false,
    };

    public override bool IsConnectionLost(Exception error) => false;

    public override bool IsLockTimeout(Exception error) => error switch
    {
        SqliteException e => e.SqliteErrorCode is Busy or Locked,
        SwapException { InnerException: { } inner } => IsLockTimeout(inner),
        _ => false,
    };

    public override bool IsAlreadyDone(Exception error) =>
        error is SqliteException e && (
            e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("duplicate column name", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("no such index", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("no such table", StringComparison.OrdinalIgnoreCase));
}
