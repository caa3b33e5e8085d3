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

    /// <summary>
    /// Says what is wrong when the file cannot be opened or created (14), is not a database (26) or is
    /// read-only (8). Busy (5) and locked (6) are transient.
    /// </summary>
    protected override SwapException TranslateConnectError(Exception error)
    {
        var code = (error as SqliteException)?.SqliteErrorCode;
        var what = code switch
        {
            CantOpen => "the file cannot be opened or created (check that the folder exists and is writable)",
            NotADatabase => "the file is not a SQLite database",
            ReadOnly => "the file is read-only",
            Busy or Locked => "another connection held the database's write lock (an open write transaction, or another process writing) until the busy timeout ran out. Run again once it is done",
            _ => error.Message,
        };
        return new SwapException(SwapErrorKind.Connection, $"Could not open {DisplayName}: {what.TrimEnd('.')}.", error) { ServerCode = code, IsTransient = code is Busy or Locked };
    }

    /// <summary>
    /// Keeps the SQLite error code as <see cref="SwapException.ServerCode"/>, and adds a hint for busy (5)
    /// and locked (6), which are transient. Read-only (8) is the file's, not the statement's: SQLite opens a
    /// file it may not write read-only without a word and refuses the first write, so it is a connection
    /// error (exit 5) that says so. A <see cref="SwapException"/> is returned as is.
    /// </summary>
    public override SwapException Translate(Exception error, string context)
    {
        if (error is SwapException s)
            return s;
        var code = (error as SqliteException)?.SqliteErrorCode;
        var hint = code switch
        {
            Busy or Locked => " Another connection held the database's write lock." + RetriedThenRunAgain,
            ReadOnly => $" This user may read {DisplayName} but not write it: run swap as a user that may write the file and its folder (SQLite creates its journal files there).",
            _ => "",
        };
        return new SwapException(code == ReadOnly ? SwapErrorKind.Connection : SwapErrorKind.Failure, $"{context} failed: {error.Message}{hint}", error)
        {
            ServerCode = code,
            IsTransient = IsTransient(error),
        };
    }

    /// <summary>Busy (5) or locked (6): another connection holds the write lock. For a <see cref="SwapException"/>, its <see cref="SwapException.IsTransient"/>.</summary>
    public override bool IsTransient(Exception error) => error switch
    {
        SqliteException e => e.SqliteErrorCode is Busy or Locked,
        SwapException s => s.IsTransient,
        _ => false,
    };

    /// <summary>
    /// A STRICT column's datatype (<c>SQLITE_CONSTRAINT_DATATYPE</c>), NOT NULL
    /// (<c>SQLITE_CONSTRAINT_NOTNULL</c>) or CHECK (<c>SQLITE_CONSTRAINT_CHECK</c>: SQLite checks the
    /// portable boolean and enum types with one) or a foreign key without a parent row
    /// (<c>SQLITE_CONSTRAINT_FOREIGNKEY</c>), anywhere in the chain; the column from
    /// <c>table.column</c> at the end of the message where SQLite names one.
    /// </summary>
    internal override ValueMisfit? ValueNotFitting(Exception error)
    {
        SqliteException? found = null;
        for (var e = error; e is not null && found is null; e = e.InnerException)
            found = e as SqliteException;
        if (found is not { SqliteExtendedErrorCode: ConstraintDatatype or ConstraintNotNull or ConstraintCheck or ConstraintForeignKey })
            return null;
        var words = found.Message.StartsWith("SQLite Error ", StringComparison.Ordinal) && found.Message.IndexOf(": ", StringComparison.Ordinal) is > 0 and var colon
            ? found.Message[(colon + 2)..]
            : found.Message;
        words = words.Trim().Trim('\'', '.', ' ');
        string? column = null;
        if (found.SqliteExtendedErrorCode is ConstraintNotNull or ConstraintDatatype && words.LastIndexOf(' ') is > 0 and var space && words[(space + 1)..].Split('.') is [_, var name])
            column = name;
        return new ValueMisfit(words, column, found.SqliteExtendedErrorCode == ConstraintForeignKey);
    }

    private const int ConstraintCheck = 275;
    private const int ConstraintForeignKey = 787;
    private const int ConstraintNotNull = 1299;
    private const int ConstraintDatatype = 3091;

    /// <summary>Always false: a file has no connection to lose.</summary>
    public override bool IsConnectionLost(Exception error) => false;

    /// <summary>Busy (5) or locked (6): the busy timeout expired.</summary>
    public override bool IsLockTimeout(Exception error) => error switch
    {
        SqliteException e => e.SqliteErrorCode is Busy or Locked,
        SwapException { InnerException: { } inner } => IsLockTimeout(inner),
        _ => false,
    };

    /// <summary>A message that says <c>already exists</c>, <c>duplicate column name</c>, <c>no such index</c> or <c>no such table</c>.</summary>
    public override bool IsAlreadyDone(Exception error) =>
        error is SqliteException e && (
            e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("duplicate column name", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("no such index", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("no such table", StringComparison.OrdinalIgnoreCase));
}
