using System.Data.Common;
using System.Net.Sockets;
using MySqlConnector;
using Swap.MySql.Internal;

namespace Swap.MySql;

/// <summary>
/// How MySqlConnector's errors are read. A lost connection does not always carry a server code:
/// MySqlConnector reports it as an <see cref="IOException"/>, a <see cref="MySqlEndOfStreamException"/>,
/// a <see cref="MySqlException"/> with code 0 wrapping one of those, or (when connecting)
/// <see cref="MySqlErrorCode.UnableToConnectToHost"/> (1042), where libmysqlclient said 2002/2003/2013.
/// </summary>
public sealed partial class MySqlDatabase
{
    private static readonly MySqlErrorCode[] LostCodes =
    [
        MySqlErrorCode.UnableToConnectToHost,      // 1042
        MySqlErrorCode.ServerShutdown,             // 1053
        ServerErrors.ConnectionKilled,             // 1927 (MariaDB: the session was killed)
        ServerErrors.ServerGone,                   // 2006
        ServerErrors.ServerLost,                   // 2013
        MySqlErrorCode.ClientInteractionTimeout,   // 4031
    ];

    private static readonly MySqlErrorCode[] TransientCodes =
    [
        MySqlErrorCode.ConnectionCountError,       // 1040 too many connections
        MySqlErrorCode.LockWaitTimeout,            // 1205
        MySqlErrorCode.LockDeadlock,               // 1213
        MySqlErrorCode.XARBDeadlock,               // 1614
    ];

    private static readonly MySqlErrorCode[] AlreadyDoneCodes =
    [
        MySqlErrorCode.TableExists,                // 1050
        MySqlErrorCode.BadTable,                   // 1051
        MySqlErrorCode.DuplicateFieldName,         // 1060
        MySqlErrorCode.DuplicateKeyName,           // 1061
        MySqlErrorCode.MultiplePrimaryKey,         // 1068
        MySqlErrorCode.CannotDropFieldOrKey,       // 1091
        MySqlErrorCode.TriggerAlreadyExists,       // 1359
        MySqlErrorCode.TriggerDoesNotExist,        // 1360
        ServerErrors.DuplicateForeignKeyName,       // 1826
    ];

    private static readonly MySqlErrorCode[] PrivilegeCodes =
    [
        MySqlErrorCode.TableAccessDenied,          // 1142
        MySqlErrorCode.ColumnAccessDenied,         // 1143
        MySqlErrorCode.SpecifiedAccessDeniedError, // 1227
        MySqlErrorCode.DatabaseAccessDenied,       // 1044
    ];

    private static readonly MySqlErrorCode[] MisfitCodes =
    [
        MySqlErrorCode.DataTooLong,                 // 1406
        MySqlErrorCode.WarningDataOutOfRange,       // 1264
        MySqlErrorCode.ColumnCannotBeNull,          // 1048
        MySqlErrorCode.WarningDataTruncated,        // 1265
        MySqlErrorCode.TruncatedWrongValueForField, // 1366
        MySqlErrorCode.TruncatedWrongValue,         // 1292
        (MySqlErrorCode)4025,                       // MariaDB ER_CONSTRAINT_FAILED: a CHECK the new table has
        (MySqlErrorCode)3819,                       // MySQL 8 ER_CHECK_CONSTRAINT_VIOLATED
        MySqlErrorCode.NoReferencedRow2,            // 1452: a foreign key the new table has finds no parent row
        MySqlErrorCode.NoReferencedRow,             // 1216: the same, from older servers
    ];

    /// <summary>The server's (or MySqlConnector's) error code, from the error or any error it wraps; null when none carries one.</summary>
    internal static MySqlErrorCode? Code(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is MySqlException m && m.ErrorCode != 0)
                return m.ErrorCode;
        }
        return null;
    }

    /// <summary>The error number as an integer, for <see cref="SwapException.ServerCode"/>.</summary>
    internal static int? Number(Exception? error) => Code(error) is { } code ? (int)code : null;

    /// <summary>
    /// Says what to check for refused credentials (1045), an unknown database (1049), a database the
    /// user may not use (1044), too many connections (1040), an unreachable host (1042) and TLS failures.
    /// Too many connections and a server shutting down are transient.
    /// </summary>
    protected override SwapException TranslateConnectError(Exception error)
    {
        var code = Code(error);
        var what = code switch
        {
            MySqlErrorCode.AccessDenied => "the server refused the user name or password. Check the credentials in --db or SWAP_DB",
            MySqlErrorCode.UnknownDatabase => $"the database '{DatabaseName}' does not exist. Create it, or fix the database name in the URL",
            MySqlErrorCode.DatabaseAccessDenied => $"the user may not use the database '{DatabaseName}'. Grant it access, or use another user",
            MySqlErrorCode.ConnectionCountError => "the server has too many connections. Try again later, or raise max_connections",
            MySqlErrorCode.UnableToConnectToHost => "the server cannot be reached. Check the host and port, and that MySQL/MariaDB is running",
            _ when IsTlsFailure(error) => $"the TLS handshake failed ({Innermost(error).Message.TrimEnd('.')}). Check sslmode, and sslca for verify_ca/verify_identity",
            _ => error.Message,
        };
        return new SwapException(SwapErrorKind.Connection, $"Could not connect to {DisplayName}: {what.TrimEnd('.')}.", error)
        {
            ServerCode = code is { } c ? (int)c : null,
            SqlState = Find<MySqlException>(error)?.SqlState,
            IsTransient = code is MySqlErrorCode.ConnectionCountError or MySqlErrorCode.ServerShutdown,
        };
    }

    /// <summary>
    /// Keeps the error number and SQL state, and adds a hint for lock wait timeouts (1205), deadlocks
    /// (1213), missing privileges and lost connections. A <see cref="SwapException"/> is returned as is.
    /// </summary>
    public override SwapException Translate(Exception error, string context)
    {
        if (error is SwapException s)
            return s;
        var code = Code(error);
        var hint = code switch
        {
            MySqlErrorCode.LockWaitTimeout => " Another session held a lock this needed beyond the lock wait timeout (SHOW PROCESSLIST shows it)." + RetriedThenRunAgain,
            MySqlErrorCode.LockDeadlock => " A deadlock with another session." + RetriedThenRunAgain,
            // Capture's triggers on a server with its binary log on (every server with replicas).
            MySqlErrorCode.BinLogCreateRoutineNeedSuper => " The binary log is on, so creating triggers needs the SUPER privilege or log_bin_trust_function_creators=1 on the server (managed services expose it as a parameter); grant one of them.",
            { } c when PrivilegeCodes.Contains(c) => " The database user lacks a privilege this needs; grant it, or run as a user that has it.",
            _ when IsConnectionLost(error) => " The connection to the server was lost; the step is resumed on a new connection.",
            _ => "",
        };
        var message = Innermost(error) is MySqlException inner ? inner.Message : error.Message;
        return new SwapException(SwapErrorKind.Failure, $"{context} failed: {(code is { } n ? (int)n + ": " : "")}{message.TrimEnd('.')}.{hint}", error)
        {
            ServerCode = code is { } c2 ? (int)c2 : null,
            SqlState = Find<MySqlException>(error)?.SqlState,
            IsTransient = IsTransient(error),
        };
    }

    /// <summary>A <see cref="DbException"/>, or a lost connection (which MySqlConnector may report as an <see cref="IOException"/> or <see cref="MySqlEndOfStreamException"/>).</summary>
    public override bool IsDatabaseError(Exception error) => error is DbException || IsConnectionLost(error);

    /// <summary>
    /// A lost connection, too many connections (1040), a lock wait timeout (1205) or a deadlock (1213,
    /// 1614); for a <see cref="SwapException"/>, its <see cref="SwapException.IsTransient"/>.
    /// </summary>
    public override bool IsTransient(Exception error) => error switch
    {
        SwapException s => s.IsTransient,
        _ => IsConnectionLost(error) || Code(error) is { } c && TransientCodes.Contains(c),
    };

    /// <summary>Error 1205: a row or metadata lock was not granted within the lock wait timeout.</summary>
    public override bool IsLockTimeout(Exception error) => Code(error) == MySqlErrorCode.LockWaitTimeout;

    /// <summary>Error 1062 (<c>ER_DUP_ENTRY</c>), anywhere in the chain.</summary>
    public override bool IsUniqueViolation(Exception error) => Code(error) == MySqlErrorCode.DuplicateKeyEntry;

    /// <summary>
    /// Data too long (1406), out of range (1264), cannot be null (1048), data truncated (1265),
    /// incorrect value (1366, 1292), a CHECK the row fails (MariaDB 4025, MySQL 3819), a foreign key without a parent
    /// row (1452, 1216), anywhere in the chain; the column from the server's message, and its "at row N" (a row of the
    /// statement, not of the table) left out.
    /// </summary>
    internal override Dialects.ValueMisfit? ValueNotFitting(Exception error)
    {
        if (Code(error) is not { } code || !MisfitCodes.Contains(code))
            return null;
        var message = Find<MySqlException>(error)!.Message;
        var foreignKey = code is MySqlErrorCode.NoReferencedRow2 or MySqlErrorCode.NoReferencedRow;
        return new Dialects.ValueMisfit(AtRow().Replace(message, "").TrimEnd('.', ' '), foreignKey ? null : MisfitColumn(message), foreignKey);
    }

    /// <summary>
    /// The column a value error names: MySQL's <c>column 'c'</c> and <c>Column 'c'</c>, MariaDB's
    /// <c>column `db`.`t`.`c`</c>; the last part of the name.
    /// </summary>
    internal static string? MisfitColumn(string message)
    {
        var match = ColumnInMessage().Match(message);
        return match.Success ? match.Groups["name"].Value : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"[Cc]olumn (?:[`'][^`']*[`']\.)*[`'](?<name>[^`']+)[`']")]
    private static partial System.Text.RegularExpressions.Regex ColumnInMessage();

    [System.Text.RegularExpressions.GeneratedRegex(@" at row \d+")]
    private static partial System.Text.RegularExpressions.Regex AtRow();

    internal override bool IsUnknownDatabase(Exception error) =>
        Code(error) == MySqlErrorCode.UnknownDatabase || (error as SwapException)?.ServerCode == (int)MySqlErrorCode.UnknownDatabase;

    internal override bool IsLoginRefused(Exception error) =>
        (Code(error) ?? (MySqlErrorCode?)(error as SwapException)?.ServerCode) is MySqlErrorCode.AccessDenied or MySqlErrorCode.DatabaseAccessDenied;

    /// <summary>
    /// The connection is gone: a lost-connection code anywhere in the chain, or a driver error
    /// without a code that wraps an I/O failure, or the "not open" state a killed session leaves.
    /// </summary>
    public override bool IsConnectionLost(Exception error)
    {
        if (error is SwapException { InnerException: { } wrapped })
            return IsConnectionLost(wrapped);
        if (Code(error) is { } code)
            return LostCodes.Contains(code);
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is IOException or SocketException or MySqlEndOfStreamException or ObjectDisposedException)
                return true;
            if (e is InvalidOperationException io && io.Message.Contains("Connection must be Open", StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    /// <summary>
    /// Table exists or unknown (1050, 1051), duplicate column, key or foreign key name (1060, 1061, 1826),
    /// multiple primary key (1068), cannot drop (1091), trigger exists or does not (1359, 1360).
    /// </summary>
    public override bool IsAlreadyDone(Exception error) => Code(error) is { } c && AlreadyDoneCodes.Contains(c);

    private static bool IsTlsFailure(Exception error) =>
        Find<System.Security.Authentication.AuthenticationException>(error) is not null
        || error.Message.Contains("SSL", StringComparison.Ordinal) || error.Message.Contains("TLS", StringComparison.Ordinal);

    private static Exception Innermost(Exception error)
    {
        var e = error;
        while (e.InnerException is not null)
            e = e.InnerException;
        return e;
    }

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
