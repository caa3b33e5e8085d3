using MySqlConnector;

namespace Swap.MySql.Internal;

/// <summary>Error numbers Swap reads that <see cref="MySqlErrorCode"/> does not name.</summary>
internal static class ServerErrors
{
    /// <summary>MariaDB's ER_CONNECTION_KILLED: the session was killed (KILL, or the server shutting down).</summary>
    public const MySqlErrorCode ConnectionKilled = (MySqlErrorCode)1927;

    /// <summary>CR_SERVER_GONE_ERROR, as a server or proxy may still report it.</summary>
    public const MySqlErrorCode ServerGone = (MySqlErrorCode)2006;

    /// <summary>CR_SERVER_LOST.</summary>
    public const MySqlErrorCode ServerLost = (MySqlErrorCode)2013;

    /// <summary>ER_FK_DUP_NAME: a foreign key of that name exists.</summary>
    public const MySqlErrorCode DuplicateForeignKeyName = (MySqlErrorCode)1826;

    /// <summary>ER_ALTER_OPERATION_NOT_SUPPORTED: the ALGORITHM or LOCK asked for is not possible for this ALTER.</summary>
    public const MySqlErrorCode AlterOperationNotSupported = (MySqlErrorCode)1845;

    /// <summary>ER_ALTER_OPERATION_NOT_SUPPORTED_REASON: the same, with the reason.</summary>
    public const MySqlErrorCode AlterOperationNotSupportedReason = (MySqlErrorCode)1846;

    /// <summary>
    /// MySQL 8.0.29+'s ER_INNODB_MAX_ROW_VERSION: the table has had its 64 instant column adds and
    /// drops (255 from MySQL 9.1) and takes no more with <c>ALGORITHM=INSTANT</c> until it is rebuilt.
    /// (MariaDB numbers its ER_UNKNOWN_VIEW 4092, which an ALTER TABLE of a table never raises.)
    /// </summary>
    public const MySqlErrorCode InnoDbMaxRowVersion = (MySqlErrorCode)4092;
}
