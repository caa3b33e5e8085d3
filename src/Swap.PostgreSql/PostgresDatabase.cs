using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;
using Swap.Data;
using Swap.Dialects;
using Swap.Locking;
using Swap.PostgreSql.Internal;

namespace Swap.PostgreSql;

/// <summary>A PostgreSQL database (and schema) as a Swap target.</summary>
public sealed partial class PostgresDatabase : SwapDatabase
{
    private readonly NpgsqlDataSource dataSource;
    private readonly string display;

    /// <summary>From a <c>postgres://user:pass@host:port/db?schema=app</c> URL.</summary>
    public PostgresDatabase(DatabaseUrl url, ILoggerFactory? loggerFactory = null)
        : this(Shared(PostgresConnectionString.From(url ?? throw new ArgumentNullException(nameof(url)))), url.Option("schema") ?? "public", url.ToString(), loggerFactory)
    {
    }

    /// <summary>From an Npgsql data source the application already has. Tables live in <paramref name="schema"/>.</summary>
    public PostgresDatabase(NpgsqlDataSource dataSource, string schema = "public", string? displayName = null, ILoggerFactory? loggerFactory = null)
        : base(loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        this.dataSource = dataSource;
        Schema = Identifiers.Validate(schema, "schema", PostgresDialect.Instance.MaxIdentifierLength);
        var b = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Database = b.Database ?? "postgres";
        UserName = b.Username;
        display = displayName ?? $"postgres://{b.Username}@{b.Host}:{b.Port}/{b.Database}";
        if (Schema != "public" && !display.Contains("schema=", StringComparison.Ordinal))
            display += "?schema=" + Schema;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, NpgsqlDataSource> DataSources = new(StringComparer.Ordinal);

    /// <summary>One data source (one pool) per connection string, however many targets use it; the schema is set per connection.</summary>
    private static NpgsqlDataSource Shared(string connectionString) =>
        DataSources.GetOrAdd(connectionString, cs => new NpgsqlDataSourceBuilder(cs).Build());

    public string Schema { get; }

    public string Database { get; }

    public override DatabaseEngine Engine => DatabaseEngine.PostgreSql;

    internal override SqlDialect Dialect => PostgresDialect.Instance;

    public override string DisplayName => display;

    public override string LockScope => Database + "/" + Schema;

    public override bool TransactionalDdl => true;

    protected override DbConnection CreateConnection() => dataSource.CreateConnection();

    protected override async Task InitializeConnectionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync($"SET search_path TO {Dialect.Quote(Schema)}", cancellationToken);
        if (schemaExists)
            return;
        // A search_path naming a missing schema is accepted silently; every CREATE would then fail
        // with "no schema has been selected to create in". Say what is wrong instead.
        if (await connection.ScalarAsync("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = @schema", new { schema = Schema }, null, cancellationToken) is null)
        {
            throw new SwapException(
                SwapErrorKind.Connection,
                $"Could not connect to {DisplayName}: the schema '{Schema}' does not exist in the database '{Database}'. Create it with CREATE SCHEMA, or fix the schema in the URL.");
        }
        schemaExists = true;
    }

    private bool schemaExists;

    public override Task ApplyLockTimeoutAsync(DbConnection connection, TimeSpan timeout, CancellationToken cancellationToken) =>
        connection.ExecuteAsync($"SET lock_timeout = '{(long)timeout.TotalMilliseconds}ms'", cancellationToken);

    public override async Task<DbTransaction> BeginReadOnlyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var tx = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("SET TRANSACTION READ ONLY", null, tx, cancellationToken);
        return tx;
    }

    public override async Task<bool> TableExistsAsync(DbConnection connection, string table, CancellationToken cancellationToken) =>
        await connection.ScalarAsync(
            "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = @schema AND c.relname = @name AND c.relkind IN ('r', 'p', 'v', 'm')",
            new { schema = Schema, name = table },
            null,
            cancellationToken) is not null;

    public override async Task<string> ServerVersionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        "PostgreSQL " + await connection.ScalarAsync("SHOW server_version", cancellationToken);

    internal override Swap.Engine.TableEngine TableEngine => tableEngine ??= new PostgresTableEngine(this);

    private PostgresTableEngine? tableEngine;

    /// <summary>The user Swap connects as.</summary>
    public string? UserName { get; }

    internal override RunLock CreateRunLock(string lockInfoTable) => new PostgresRunLock(this, lockInfoTable);

    internal override Task<LockHolder?> PeekLockHolderAsync(DbConnection connection, string lockInfoTable, CancellationToken cancellationToken) =>
        PostgresRunLock.PeekAsync(this, connection, lockInfoTable, cancellationToken);
}
