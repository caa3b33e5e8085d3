namespace Swap.MySql.Client;

/// <summary>
/// Server (1xxx, 4xxx) and client (2xxx) error numbers that callers commonly branch on, plus
/// negative codes raised by this provider itself.
/// </summary>
public static class MySqlErrorCodes
{
    // Provider-side codes (never sent by a server).
    /// <summary>The command timeout expired and the query was killed on the server.</summary>
    public const int CommandTimeoutExpired = -2;
    /// <summary>MariaDB Connector/C (libmariadb) could not be loaded.</summary>
    public const int ClientLibraryUnavailable = -3;
    /// <summary>A parameter value could not be sent (unsupported type, NaN, invalid UTF-16, ...).</summary>
    public const int ParameterValueInvalid = -4;

    // Server errors.
    public const int TooManyConnections = 1040;
    public const int BadHostError = 1042;
    public const int AccessDenied = 1045;
    public const int UnknownDatabase = 1049;
    public const int TableExists = 1050;
    public const int BadFieldError = 1054;
    public const int DuplicateKeyName = 1061;
    public const int DuplicateEntry = 1062;
    public const int ParseError = 1064;
    public const int ServerShutdown = 1053;
    public const int NoSuchTable = 1146;
    public const int LockWaitTimeout = 1205;
    public const int LockDeadlock = 1213;
    public const int QueryInterrupted = 1317;
    public const int XARBDeadlock = 1614;
    public const int ConnectionKilled = 1927;
    public const int ClientInteractionTimeout = 4031;

    // Client library errors (CR_*).
    public const int UnknownError = 2000;
    public const int ConnectionError = 2002;
    public const int ConnHostError = 2003;
    public const int UnknownHost = 2005;
    public const int ServerGoneError = 2006;
    public const int OutOfMemory = 2008;
    public const int ServerLost = 2013;
    public const int CommandsOutOfSync = 2014;
    public const int SslConnectionError = 2026;
    public const int ServerLostExtended = 2055;

    /// <summary>
    /// Whether retrying the operation (on a new connection if this one broke) can succeed.
    /// Transient: deadlock, lock wait timeout, too many connections, server shutdown or gone,
    /// connection lost/killed, cannot connect. Not transient: 1317 query interrupted, because it
    /// is the result of a deliberate KILL QUERY or cancellation, and the provider's command timeout.
    /// </summary>
    public static bool IsTransient(int number) => number switch
    {
        TooManyConnections or BadHostError or ServerShutdown or LockWaitTimeout or LockDeadlock
            or XARBDeadlock or ConnectionKilled or ClientInteractionTimeout
            or ConnectionError or ConnHostError or ServerGoneError or ServerLost or ServerLostExtended => true,
        _ => false,
    };

    /// <summary>Whether the error leaves the connection unusable (it must be closed and reopened).</summary>
    internal static bool BreaksConnection(int number) => number switch
    {
        ServerShutdown or ConnectionKilled or ClientInteractionTimeout or ServerGoneError or ServerLost
            or ServerLostExtended or CommandsOutOfSync or OutOfMemory => true,
        _ => false,
    };
}
