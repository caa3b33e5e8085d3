using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Swap.Connections;
using Swap.Data;
using Swap.Dialects;
using Swap.Locking;
using Swap.MySql.Client;
using Swap.MySql.Internal;

namespace Swap.MySql;

/// <summary>
/// A MySQL or MariaDB database as a Swap target. Connections come from the in-project
/// libmariadb provider by default; pass a factory to use another ADO.NET provider (such as
/// MySqlConnector) instead.
/// </summary>
public sealed partial class MySqlDatabase : SwapDatabase
{
    private readonly Func<DbConnection> factory;

    /// <summary>From a <c>mysql://user:pass@host:port/db</c> URL, over the libmariadb provider.</summary>
    public MySqlDatabase(DatabaseUrl url, ILoggerFactory? loggerFactory = null)
        : this(Factory(url ?? throw new ArgumentNullException(nameof(url))), url.Database, url.ToString(), loggerFactory)
    {
    }

    /// <summary>From any ADO.NET provider's connections (opened by Swap), for database <paramref name="database"/>.</summary>
    public MySqlDatabase(Func<DbConnection> connectionFactory, string database, string displayName, ILoggerFactory? loggerFactory = null)
        : base(loggerFactory)
    {
        factory = connectionFactory ?? throw new ArgumentNullException(nameof(connectionFactory));
        DatabaseName = Identifiers.Validate(database, "database", 64);
        DisplayName = displayName;
    }

    public string DatabaseName { get; }

    public override DatabaseEngine Engine => DatabaseEngine.MySql;

    public override SqlDialect Dialect => MySqlDialect.Instance;

    public override string DisplayName { get; }

    public override string LockScope => DatabaseName;

    public override bool TransactionalDdl => false;

    public override Swap.Engine.TableEngine TableEngine => tableEngine ??= new MySqlTableEngine(this);

    private MySqlTableEngine? tableEngine;

    /// <summary>The GET_LOCK name: "swap:" and the database (hashed when long; lock names hold 64 characters).</summary>
    internal string LockName => ("swap:" + DatabaseName) is { Length: <= 64 } n ? n : "swap:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(DatabaseName)))[..32];

    private static Func<DbConnection> Factory(DatabaseUrl url)
    {
        var b = new MySqlConnectionStringBuilder
        {
            Server = url.Option("socket") is null ? url.Host ?? "localhost" : "",
            Port = (uint)(url.Port ?? 3306),
            UserID = url.User ?? "",
            Password = url.Password ?? "",
            Database = url.Database,
            DefaultCommandTimeout = 0,
            ConnectionTimeout = uint.Parse(url.Option("connect_timeout") ?? "15", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (url.Option("socket") is { } socket)
            b["Unix Socket"] = socket;
        if (url.Option("sslmode") is { } ssl)
            b["SslMode"] = ssl;
        var text = b.ConnectionString;
        return () => new MySqlConnection(text);
    }

    protected override DbConnection CreateConnection() => factory();

    /// <summary>
    /// Strict mode (bad values fail instead of being truncated), UTF-8, and a session that does not
    /// write to the binary log differently from the application's own.
    /// </summary>
    protected override async Task InitializeConnectionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_TRANS_TABLES', 'NO_ENGINE_SUBSTITUTION')", cancellationToken);
    }

    public override async Task ApplyLockTimeoutAsync(DbConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(timeout.TotalSeconds));
        await connection.ExecuteAsync($"SET SESSION lock_wait_timeout = {seconds}, SESSION innodb_lock_wait_timeout = {seconds}", cancellationToken);
    }

    public override async Task<DbTransaction> BeginReadOnlyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("SET TRANSACTION READ ONLY", cancellationToken);
        return await connection.BeginTransactionAsync(cancellationToken);
    }

    public override async Task<bool> TableExistsAsync(DbConnection connection, string table, CancellationToken cancellationToken) =>
        await connection.ScalarAsync(
            "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @name",
            new { name = table },
            null,
            cancellationToken) is not null;

    public override async Task<string> ServerVersionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        (string)(await connection.ScalarAsync("SELECT VERSION()", cancellationToken))!;

    internal override RunLock CreateRunLock(string lockInfoTable) => new MySqlRunLock(this, lockInfoTable);

    internal override Task<LockHolder?> PeekLockHolderAsync(DbConnection connection, string lockInfoTable, CancellationToken cancellationToken) =>
        MySqlRunLock.PeekAsync(this, connection, lockInfoTable, cancellationToken);
}
