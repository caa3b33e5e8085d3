using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Swap.MySql.Client.Internal.Session;

namespace Swap.MySql.Client;

/// <summary>
/// A connection to MySQL or MariaDB through libmariadb (Debian package <c>libmariadb3</c>).
/// One connection serves one caller at a time (as every ADO.NET connection); use one connection
/// per thread or task. There is no pool: <see cref="Open"/> always creates a session and
/// <see cref="Close"/> ends it. The character set is always utf8mb4.
/// </summary>
public sealed partial class MySqlConnection : DbConnection, ICloneable
{
    private string _connectionString = "";
    private MySqlConnectionStringBuilder _builder = new();
    private ConnectionState _state = ConnectionState.Closed;
    private NativeSession? _session;
    private string _database = "";
    private bool _opened;

    public MySqlConnection() { }

    public MySqlConnection(string? connectionString) => ConnectionString = connectionString;

    /// <summary>
    /// The connection string. After the connection has been opened the password is omitted unless
    /// <c>Persist Security Info=true</c>.
    /// </summary>
    [AllowNull]
    public override string ConnectionString
    {
        get => _opened && !_builder.PersistSecurityInfo ? _builder.WithoutPassword().ConnectionString : _connectionString;
        set
        {
            if (_state != ConnectionState.Closed) throw new InvalidOperationException("The connection string cannot change while the connection is open.");
            var builder = new MySqlConnectionStringBuilder(value ?? "");
            _builder = builder;
            _connectionString = value ?? "";
            _database = builder.Database;
            _opened = false;
        }
    }

    public override string Database => _database;

    public override string DataSource => _builder.UnixSocket.Length > 0 ? _builder.UnixSocket : _builder.Server;

    /// <summary>The server's version string, e.g. <c>10.11.6-MariaDB-0+deb12u1</c>.</summary>
    public override string ServerVersion => Session.ServerVersion;

    /// <summary>The server's connection id (CONNECTION_ID(), the id KILL takes).</summary>
    public ulong ServerThreadId => Session.ThreadId;

    public override ConnectionState State => _state;

    public override int ConnectionTimeout => (int)Math.Min(_builder.ConnectionTimeout, int.MaxValue);

    protected override DbProviderFactory DbProviderFactory => MySqlClientFactory.Instance;

    internal int DefaultCommandTimeout => (int)Math.Min(_builder.DefaultCommandTimeout, int.MaxValue);

    internal MySqlDataReader? ActiveReader { get; set; }

    internal MySqlTransaction? CurrentTransaction { get; set; }

    internal NativeSession Session =>
        _state == ConnectionState.Open && _session != null
            ? _session
            : throw new InvalidOperationException($"The connection must be open; its state is {_state}.");

    internal NativeSession? SessionOrNull => _session;

    public new MySqlCommand CreateCommand() => new() { Connection = this };

    protected override DbCommand CreateDbCommand() => CreateCommand();

    public new MySqlTransaction BeginTransaction() => BeginTransaction(IsolationLevel.Unspecified);

    public new MySqlTransaction BeginTransaction(IsolationLevel isolationLevel) =>
        MySqlTransaction.BeginAsync(this, isolationLevel, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public new ValueTask<MySqlTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default) =>
        BeginTransactionAsync(IsolationLevel.Unspecified, cancellationToken);

    public new ValueTask<MySqlTransaction> BeginTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken = default) =>
        MySqlTransaction.BeginAsync(this, isolationLevel, async: true, cancellationToken);

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => BeginTransaction(isolationLevel);

    protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken) =>
        await BeginTransactionAsync(isolationLevel, cancellationToken).ConfigureAwait(false);

    public override void ChangeDatabase(string databaseName)
    {
        ArgumentException.ThrowIfNullOrEmpty(databaseName);
        using var command = CreateCommand();
        command.CommandText = "USE `" + databaseName.Replace("`", "``", StringComparison.Ordinal) + "`";
        command.ExecuteNonQuery();
        _database = databaseName;
    }

    public MySqlConnection Clone() => new(_connectionString);

    object ICloneable.Clone() => Clone();
}
