using System.Globalization;
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
        Schema = Identifiers.Validate(schema, "schema", PostgresDialect.Instance);
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

    /// <summary>Advisory locks belong to one database of a server: a lock this session holds, the other's session cannot take.</summary>
    internal override async Task<bool> IsSameDatabaseAsync(SwapDatabase other, CancellationToken cancellationToken)
    {
        if (other is not PostgresDatabase o || !string.Equals(Schema, o.Schema, StringComparison.Ordinal))
            return false;
        var key = System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, int.MaxValue);
        await using var mine = await OpenConnectionAsync(cancellationToken);
        await using var theirs = await o.OpenConnectionAsync(cancellationToken);
        await mine.ExecuteAsync($"SELECT pg_advisory_lock(-{key})", cancellationToken);
        var taken = Equals(await theirs.ScalarAsync($"SELECT pg_try_advisory_lock(-{key})", cancellationToken), true);
        if (taken)
            await theirs.ExecuteAsync($"SELECT pg_advisory_unlock(-{key})", cancellationToken);
        await mine.ExecuteAsync($"SELECT pg_advisory_unlock(-{key})", cancellationToken);
        return !taken;
    }

    /// <summary>The schema Swap works in (the URL's <c>schema</c> option, default <c>public</c>); set as <c>search_path</c> on each connection.</summary>
    public string Schema { get; }

    /// <summary>The database name from the connection string (<c>postgres</c> when it names none).</summary>
    public string Database { get; }

    /// <summary><see cref="DatabaseEngine.PostgreSql"/>.</summary>
    public override DatabaseEngine Engine => DatabaseEngine.PostgreSql;

    internal override SqlDialect Dialect => PostgresDialect.Instance;

    /// <summary><c>postgres://user@host:port/db</c>, with <c>?schema=</c> when not <c>public</c>, or the name given; never the password.</summary>
    public override string DisplayName => display;

    /// <summary><c>database/schema</c>: one runner at a time per schema.</summary>
    public override string LockScope => Database + "/" + Schema;

    /// <summary>True: DDL runs in the script's transaction and rolls back with it.</summary>
    public override bool TransactionalDdl => true;

    /// <summary>A connection from the data source: the one given, or one pool shared by every target with the same connection string.</summary>
    protected override DbConnection CreateConnection() => dataSource.CreateConnection();

    /// <summary>
    /// Sets <c>search_path</c> to <see cref="Schema"/>. On the first connection it also checks that the
    /// schema exists, and fails with <see cref="SwapErrorKind.Connection"/> saying so when it does not.
    /// </summary>
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
        var rights = await connection.QueryAsync("SELECT current_user AS u, has_schema_privilege(@schema, 'USAGE') AS can_use, has_schema_privilege(@schema, 'CREATE') AS can_create", new { schema = Schema }, null, cancellationToken);
        var user = rights[0].String("u")!;
        if (!rights[0].Bool("can_use"))
        {
            throw new SwapException(
                SwapErrorKind.Refused,
                $"The user \"{user}\" may not use the schema '{Schema}' of {DisplayName} (no USAGE privilege), so Swap can read and create nothing there. Grant it: GRANT USAGE, CREATE ON SCHEMA {Dialect.Quote(Schema)} TO {Dialect.Quote(user)};");
        }
        if (!rights[0].Bool("can_create"))
            cannotCreate = $" The user \"{user}\" may not create tables in the schema '{Schema}' (Swap keeps its history, journal and lock there, and makes copies and change logs there). Grant it: GRANT USAGE, CREATE ON SCHEMA {Dialect.Quote(Schema)} TO {Dialect.Quote(user)};";
        schemaExists = true;
    }

    private bool schemaExists;

    /// <summary>Set on the first connection when the user lacks CREATE on the schema: the advice a refused CREATE gets.</summary>
    private string? cannotCreate;

    /// <summary>Sets the session's <c>lock_timeout</c> to <paramref name="timeout"/> in milliseconds.</summary>
    public override Task ApplyLockTimeoutAsync(DbConnection connection, TimeSpan timeout, CancellationToken cancellationToken) =>
        connection.ExecuteAsync($"SET lock_timeout = '{LockTimeoutMs(timeout).ToString(CultureInfo.InvariantCulture)}ms'", cancellationToken);

    /// <summary>
    /// A lock wait in whole milliseconds, at least 1: PostgreSQL reads <c>lock_timeout = 0</c> as no
    /// timeout at all, so a zero or sub-millisecond wait would make a bounded lock wait unbounded.
    /// </summary>
    internal static long LockTimeoutMs(TimeSpan timeout) => Math.Max(1, (long)Math.Ceiling(timeout.TotalMilliseconds));

    /// <summary>A transaction with <c>SET TRANSACTION READ ONLY</c>: writes and DDL in it fail.</summary>
    public override async Task<DbTransaction> BeginReadOnlyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var tx = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("SET TRANSACTION READ ONLY", null, tx, cancellationToken);
        return tx;
    }

    /// <summary>Looks for a table, partitioned table, view or materialized view of that name in <see cref="Schema"/>.</summary>
    public override async Task<bool> TableExistsAsync(DbConnection connection, string table, CancellationToken cancellationToken) =>
        await connection.ScalarAsync(
            "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = @schema AND c.relname = @name AND c.relkind IN ('r', 'p', 'v', 'm')",
            new { schema = Schema, name = table },
            null,
            cancellationToken) is not null;

    /// <summary><c>PostgreSQL</c> and <c>server_version</c>, e.g. <c>PostgreSQL 16.2</c>.</summary>
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
