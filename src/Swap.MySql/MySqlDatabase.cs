using System.Data;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Swap.Data;
using Swap.Dialects;
using Swap.Locking;
using MySqlConnector;
using Swap.MySql.Internal;

namespace Swap.MySql;

/// <summary>
/// A MySQL or MariaDB database as a Swap target, over MySqlConnector. Build it from a
/// <c>mysql://</c> URL, or hand it your own <see cref="MySqlConnectionStringBuilder"/> or
/// <see cref="MySqlDataSource"/> settings (TLS, timeouts, socket): Swap honours them, and only
/// turns pooling off and reads <c>CHAR(36)</c> as text on its own connections.
/// </summary>
public sealed partial class MySqlDatabase : SwapDatabase
{
    private readonly MySqlDataSource dataSource;

    /// <summary>From a <c>mysql://user:pass@host:port/db</c> URL.</summary>
    public MySqlDatabase(DatabaseUrl url, ILoggerFactory? loggerFactory = null)
        : this(MySqlConnectionString.From(url ?? throw new ArgumentNullException(nameof(url))), url.ToString(), loggerFactory)
    {
    }

    /// <summary>From a host's connection settings; <paramref name="settings"/> is not changed.</summary>
    public MySqlDatabase(MySqlConnectionStringBuilder settings, ILoggerFactory? loggerFactory = null)
        : this(Copy(settings), null, loggerFactory)
    {
    }

    /// <summary>From a host's data source: its settings, on Swap's own unpooled connections.</summary>
    public MySqlDatabase(MySqlDataSource dataSource, ILoggerFactory? loggerFactory = null)
        : this(new MySqlConnectionStringBuilder((dataSource ?? throw new ArgumentNullException(nameof(dataSource))).ConnectionString), null, loggerFactory)
    {
    }

    private MySqlDatabase(MySqlConnectionStringBuilder settings, string? displayName, ILoggerFactory? loggerFactory)
        : base(loggerFactory)
    {
        MySqlConnectionString.Harden(settings);
        DatabaseName = Identifiers.Validate(settings.Database, "database", 64);
        DisplayName = displayName ?? Describe(settings);
        dataSource = new MySqlDataSource(settings.ConnectionString);
    }

    /// <summary>Named locks belong to the server: a lock this session holds, the other's session sees as used; then the database names decide.</summary>
    internal override async Task<bool> IsSameDatabaseAsync(SwapDatabase other, CancellationToken cancellationToken)
    {
        if (other is not MySqlDatabase o || !string.Equals(DatabaseName, o.DatabaseName, StringComparison.OrdinalIgnoreCase))
            return false;
        var name = "swap-same-" + Guid.NewGuid().ToString("N");
        await using var mine = await OpenConnectionAsync(cancellationToken);
        await using var theirs = await o.OpenConnectionAsync(cancellationToken);
        await mine.ScalarAsync("SELECT GET_LOCK(@name, 0)", new { name }, null, cancellationToken);
        var used = await theirs.ScalarAsync("SELECT IS_USED_LOCK(@name)", new { name }, null, cancellationToken);
        await mine.ScalarAsync("SELECT RELEASE_LOCK(@name)", new { name }, null, cancellationToken);
        return used is not null;
    }

    /// <summary>The database Swap works in, from the URL or the settings; the run lock is per database.</summary>
    public string DatabaseName { get; }

    /// <summary><see cref="DatabaseEngine.MySql"/>, for MariaDB too.</summary>
    public override DatabaseEngine Engine => DatabaseEngine.MySql;

    internal override SqlDialect Dialect => MySqlDialect.Instance;

    /// <summary><c>mysql://user@host:port/db</c> (<c>?socket=</c> for a Unix socket), or the URL given; never the password.</summary>
    public override string DisplayName { get; }

    /// <summary>The database name: one runner at a time per database.</summary>
    public override string LockScope => DatabaseName;

    /// <summary>False: MySQL and MariaDB commit each DDL statement on its own, so a script's DDL cannot roll back with it.</summary>
    public override bool TransactionalDdl => false;

    internal override Swap.Engine.TableEngine TableEngine => tableEngine ??= new MySqlTableEngine(this);

    private MySqlTableEngine? tableEngine;

    /// <summary>SQL run on every new session after Swap's own settings (tests use it to set a server's sql_mode).</summary>
    internal string? SessionInit { get; init; }

    /// <summary>The GET_LOCK name: "swap:" and the database (hashed when long; lock names hold 64 characters).</summary>
    internal string LockName => ("swap:" + DatabaseName) is { Length: <= 64 } n ? n : "swap:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(DatabaseName)))[..32];

    private static MySqlConnectionStringBuilder Copy(MySqlConnectionStringBuilder settings) =>
        new((settings ?? throw new ArgumentNullException(nameof(settings))).ConnectionString);

    /// <summary>mysql://user@host:port/db, never the password.</summary>
    private static string Describe(MySqlConnectionStringBuilder b) =>
        b.ConnectionProtocol == MySqlConnectionProtocol.UnixSocket
            ? $"mysql://{b.UserID}@localhost/{b.Database}?socket={b.Server}"
            : $"mysql://{b.UserID}@{b.Server}:{b.Port}/{b.Database}";

    /// <summary>A new connection from Swap's own unpooled data source.</summary>
    protected override DbConnection CreateConnection() => dataSource.CreateConnection();

    /// <summary>
    /// Strict mode (bad values fail instead of being truncated), UTF-8, and a session that does not
    /// write to the binary log differently from the application's own.
    /// </summary>
    protected override async Task InitializeConnectionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_TRANS_TABLES', 'NO_ENGINE_SUBSTITUTION')", cancellationToken);
        if (CachesTableStatistics(connection.ServerVersion))
        {
            // MySQL 8 serves information_schema.TABLES' AUTO_INCREMENT and TABLE_ROWS from a cache
            // kept up to a day (information_schema_stats_expiry); 0 reads them from InnoDB, as
            // MariaDB always does. The cut-over carries the original's AUTO_INCREMENT to the copy.
            try
            {
                await connection.ExecuteAsync("SET SESSION information_schema_stats_expiry = 0", cancellationToken);
            }
            catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.UnknownSystemVariable)
            {
                // A server that says it is MySQL 8 but has no such cache (a proxy or a lookalike).
            }
        }
        if (SessionInit is { } init)
            await connection.ExecuteAsync(init, cancellationToken);
    }

    /// <summary>
    /// True for MySQL 8.0 and later (not MariaDB, whose version string says so): the servers with
    /// <c>information_schema_stats_expiry</c>.
    /// </summary>
    internal static bool CachesTableStatistics(string? serverVersion)
    {
        if (string.IsNullOrEmpty(serverVersion) || serverVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase))
            return false;
        var digits = serverVersion.TakeWhile(char.IsAsciiDigit).ToArray();
        return digits.Length > 0 && int.TryParse(new string(digits), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var major) && major >= 8;
    }

    /// <summary>
    /// Sets the session's <c>lock_wait_timeout</c> (metadata locks) and <c>innodb_lock_wait_timeout</c>
    /// (row locks) to <paramref name="timeout"/> in whole seconds, rounded up, at least 1.
    /// </summary>
    public override async Task ApplyLockTimeoutAsync(DbConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(timeout.TotalSeconds));
        await connection.ExecuteAsync($"SET SESSION lock_wait_timeout = {seconds}, SESSION innodb_lock_wait_timeout = {seconds}", cancellationToken);
    }

    /// <summary>
    /// A read-only transaction at REPEATABLE READ: changes to data in it fail. It does not stop DDL,
    /// which MySQL commits on its own.
    /// </summary>
    public override async Task<DbTransaction> BeginReadOnlyAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ((MySqlConnection)connection).BeginTransactionAsync(IsolationLevel.RepeatableRead, isReadOnly: true, cancellationToken);

    /// <summary>
    /// READ COMMITTED, sent explicitly: MySqlConnector's <c>BeginTransaction()</c> sends REPEATABLE
    /// READ, which takes gap locks in <c>INSERT ... SELECT</c> and <c>UPDATE</c>.
    /// </summary>
    public override IsolationLevel DefaultIsolation => IsolationLevel.ReadCommitted;

    /// <summary>Looks the name up in <c>information_schema.TABLES</c> of the current database (views included).</summary>
    public override async Task<bool> TableExistsAsync(DbConnection connection, string table, CancellationToken cancellationToken) =>
        await connection.ScalarAsync(
            "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @name",
            new { name = table },
            null,
            cancellationToken) is not null;

    /// <summary>The result of <c>SELECT VERSION()</c>, e.g. <c>8.0.36</c> or <c>10.11.6-MariaDB</c>.</summary>
    public override async Task<string> ServerVersionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        (string)(await connection.ScalarAsync("SELECT VERSION()", cancellationToken))!;

    internal override RunLock CreateRunLock(string lockInfoTable) => new MySqlRunLock(this, lockInfoTable);

    internal override Task<LockHolder?> PeekLockHolderAsync(DbConnection connection, string lockInfoTable, CancellationToken cancellationToken) =>
        MySqlRunLock.PeekAsync(this, connection, lockInfoTable, cancellationToken);
}
