namespace Swap.Dialects;

/// <summary>The tables operators and runners talk through (control, live status, heartbeat) and the server-load signal.</summary>
internal abstract partial class SqlDialect
{
    /// <summary>What follows a <c>CREATE TABLE</c> of Swap's own tables (MySQL: engine and character set).</summary>
    protected virtual string OwnTableOptions => "";

    /// <summary>DDL for the operators' commands to a running swap.</summary>
    public string CreateControlTable(string table) => $"""
        CREATE TABLE IF NOT EXISTS {Quote(table)} (
          command_id VARCHAR(36) NOT NULL PRIMARY KEY,
          command VARCHAR(32) NOT NULL,
          argument VARCHAR(255) NULL,
          sent_by VARCHAR(255) NOT NULL,
          sent_at {TimestampType} NOT NULL,
          handled_at {TimestampType} NULL,
          outcome VARCHAR(1000) NULL
        ){OwnTableOptions}
        """;

    /// <summary>DDL for the live status of the running swap (one row per script being swapped).</summary>
    public string CreateLiveStatusTable(string table) => $"""
        CREATE TABLE IF NOT EXISTS {Quote(table)} (
          script_id VARCHAR(255) NOT NULL PRIMARY KEY,
          runner VARCHAR(255) NOT NULL,
          updated_at {TimestampType} NOT NULL,
          snapshot {TextType} NOT NULL
        ){OwnTableOptions}
        """;

    /// <summary>DDL for the heartbeat row (microseconds since the Unix epoch, by the runner's clock).</summary>
    public string CreateHeartbeatTable(string table) => $"""
        CREATE TABLE IF NOT EXISTS {Quote(table)} (
          id INTEGER NOT NULL PRIMARY KEY,
          beat BIGINT NOT NULL
        ){OwnTableOptions}
        """;

    /// <summary>
    /// A statement whose first row ends with a number: sessions running a statement now
    /// (MySQL/MariaDB <c>SHOW GLOBAL STATUS LIKE 'Threads_running'</c>, whose count includes the
    /// asking session, see <see cref="ServerLoadCountsSelf"/>; PostgreSQL active client backends
    /// other than this one). Null when the engine has none (SQLite).
    /// </summary>
    public virtual string? ServerLoadQuery => null;

    /// <summary>True when <see cref="ServerLoadQuery"/>'s number counts the session that asks, which the load check then takes off.</summary>
    public virtual bool ServerLoadCountsSelf => false;

    /// <summary>What <see cref="ServerLoadQuery"/> counts, for messages.</summary>
    public virtual string ServerLoadName => "load";
}
