using System.Data.Common;
using System.Globalization;
using MySqlConnector;
using Swap.Data;
using Swap.IntegrationTests.Engine;
using Swap.IntegrationTests.Infrastructure;
using Swap.MySql;
using Swap.MySql.Internal;

namespace Swap.IntegrationTests.Smoke;

/// <summary>
/// What differs between MySqlConnector and the MySQL C client that Swap relied on before, each
/// handled where Swap opens, uses and classifies its connections, on the real MariaDB.
/// </summary>
public class MySqlDriverTests
{
    private static MySqlDatabase Database(Action<MySqlConnectionStringBuilder>? change = null)
    {
        var settings = MySqlConnectionString.From(TestServers.MySql);
        settings.SslMode = MySqlSslMode.None;
        change?.Invoke(settings);
        return new MySqlDatabase(settings);
    }

    private static async Task<long> ConnectionIdAsync(DbConnection connection) =>
        Convert.ToInt64(await connection.ScalarAsync("SELECT CONNECTION_ID()", default), CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_session_killed_on_the_server_is_a_lost_connection_and_transient()
    {
        var database = Database();
        await using var admin = await database.OpenConnectionAsync(default);
        await using var victim = await database.OpenConnectionAsync(default);
        var id = await ConnectionIdAsync(victim);
        await admin.ExecuteAsync($"KILL CONNECTION {id}", default);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => victim.ScalarAsync("SELECT 1", default));

        // MySqlConnector reports this without a server code (an I/O failure, or code 0): it must not read as permanent.
        Assert.True(database.IsDatabaseError(error), error.ToString());
        Assert.True(database.IsConnectionLost(error), error.ToString());
        Assert.True(database.IsTransient(error), error.ToString());
        var translated = database.Translate(error, "a chunk");
        Assert.True(translated.IsTransient);
        Assert.StartsWith("a chunk failed: ", translated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_a_connection_error_and_a_lock_wait_timeout_is_named()
    {
        var closed = Database(b => b.Port = 1);
        var refused = await Assert.ThrowsAsync<SwapException>(() => closed.OpenConnectionAsync(default));
        Assert.Equal(SwapErrorKind.Connection, refused.Kind);
        Assert.Equal((int)MySqlErrorCode.UnableToConnectToHost, refused.ServerCode);
        Assert.Contains("the server cannot be reached", refused.Message, StringComparison.Ordinal);

        var database = Database();
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE held (id INT PRIMARY KEY) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO held VALUES (1)");
        var db = (MySqlDatabase)target.Database();
        await using var holder = await db.OpenConnectionAsync(default);
        await using var tx = await db.BeginTransactionAsync(holder, default);
        await holder.ExecuteAsync("UPDATE held SET id = 1 WHERE id = 1", null, tx, default);
        await using var waiter = await db.OpenConnectionAsync(default);
        await waiter.ExecuteAsync("SET SESSION innodb_lock_wait_timeout = 1", default);

        var timeout = await Assert.ThrowsAnyAsync<Exception>(() => waiter.ExecuteAsync("UPDATE held SET id = 1 WHERE id = 1", default));

        Assert.True(db.IsLockTimeout(timeout));
        Assert.True(db.IsTransient(timeout));
        Assert.False(db.IsConnectionLost(timeout));
        Assert.Equal((int)MySqlErrorCode.LockWaitTimeout, db.Translate(timeout, "x").ServerCode);
    }

    [Fact]
    public async Task Swap_connections_are_unpooled_even_when_the_host_asks_for_a_pool_so_a_closed_session_holds_no_lock()
    {
        var database = Database(b => b.Pooling = true);
        var name = "swap-test-" + Guid.NewGuid().ToString("N");
        await using (var session = await database.OpenConnectionAsync(default))
            Assert.Equal(1L, Convert.ToInt64(await session.ScalarAsync("SELECT GET_LOCK(@n, 0)", new { n = name }, null, default), CultureInfo.InvariantCulture));

        await using var other = await database.OpenConnectionAsync(default);
        // A pooled connection would keep its server session, and the lock with it, after Dispose,
        // for as long as the pool lives; a closed one ends it as soon as the server has read the quit.
        object? holder = null;
        for (var i = 0; i < 50; i++)
        {
            holder = await other.ScalarAsync("SELECT IS_USED_LOCK(@n)", new { n = name }, null, default);
            if (holder is null)
                break;
            await Task.Delay(100);
        }
        Assert.Null(holder);
    }

    [Fact]
    public async Task Every_transaction_swap_begins_is_read_committed()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE probe (id INT PRIMARY KEY) ENGINE=InnoDB");
        var database = target.Database();
        await using var connection = await database.OpenConnectionAsync(default);
        await using var tx = await database.BeginTransactionAsync(connection, default);
        // The transaction exists in InnoDB once it has read something.
        await connection.ScalarAsync("SELECT COUNT(*) FROM probe", null, tx, default);

        var level = await connection.ScalarAsync(
            "SELECT trx_isolation_level FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = CONNECTION_ID()", null, tx, default);

        // MySqlConnector's BeginTransaction() without a level would send REPEATABLE READ.
        Assert.Equal("READ COMMITTED", level);
    }

    [Fact]
    public async Task Char36_values_stay_strings()
    {
        var database = Database();
        await using var connection = await database.OpenConnectionAsync(default);

        var value = await connection.ScalarAsync("SELECT CAST('6f9619ff-8b86-d011-b42d-00c04fc964ff' AS CHAR(36))", default);

        Assert.Equal("6f9619ff-8b86-d011-b42d-00c04fc964ff", Assert.IsType<string>(value));
    }

    [Fact]
    public async Task Cancelling_a_statement_kills_it_on_the_server_and_leaves_nothing_half_applied()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE chunk (id BIGINT PRIMARY KEY) ENGINE=InnoDB");
        var database = target.Database();
        await using var connection = await database.OpenConnectionAsync(default);
        var id = await ConnectionIdAsync(connection);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection.ExecuteAsync(
            "INSERT INTO chunk (id) SELECT seq FROM seq_1_to_1000000 WHERE SLEEP(0.001) = 0", null, null, cancel.Token));

        await using var admin = await database.OpenConnectionAsync(default);
        var running = await admin.ScalarAsync("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = @id AND COMMAND = 'Query'", new { id }, null, default);
        Assert.Equal(0L, Convert.ToInt64(running, CultureInfo.InvariantCulture));
        Assert.Equal(0L, Convert.ToInt64(await admin.ScalarAsync("SELECT COUNT(*) FROM chunk", default), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_swap_on_a_server_with_no_backslash_escapes_keeps_every_value_and_its_journal()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, 300);
        // Values and a schema whose journal JSON needs escaping: backslashes, quotes, a default and a comment.
        await target.ExecuteAsync(@"ALTER TABLE items ADD COLUMN path VARCHAR(100) NOT NULL DEFAULT 'C:\\data\\x' COMMENT 'it''s a \\ path'");
        await target.ExecuteAsync(@"UPDATE items SET v = CONCAT('a\\b''c""d\\', id) WHERE id % 3 = 0");
        var before = await target.QueryAsync("SELECT id, v, path FROM items ORDER BY id");
        EngineKit.WriteSwapScript(target);
        var database = new MySqlDatabase(target.Url) { SessionInit = "SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')" };
        await using (var probe = await database.OpenConnectionAsync(default))
            Assert.Contains("NO_BACKSLASH_ESCAPES", (string)(await probe.ScalarAsync("SELECT @@SESSION.sql_mode", default))!, StringComparison.Ordinal);
        var options = new MigratorOptions();
        options.Sources.Add(Swap.MigrationSource.Folder(Path.Combine(target.Folder, "migrations")));
        options.Swap.InitialChunkSize = 50;
        options.Swap.MaxChunkSize = 50;

        await new Migrator(database, options).UpAsync();

        var after = await target.QueryAsync("SELECT id, v, path, flag FROM items ORDER BY id");
        Assert.Equal(before.Select(r => (r.Int64("id"), r.String("v"), r.String("path"))), after.Select(r => (r.Int64("id"), r.String("v"), r.String("path"))));
        Assert.Equal(@"a\b'c""d\3", after[2].String("v"));
        Assert.Equal(@"C:\data\x", after[0].String("path"));
        Assert.Equal(["MigrateItems"], await target.HistoryIdsAsync());
    }

    [Fact]
    public async Task A_socket_url_and_client_spellings_of_sslmode_map_to_mysqlconnector()
    {
        var socket = Environment.GetEnvironmentVariable("SWAP_TEST_MYSQL_SOCKET") ?? throw new InvalidOperationException("SWAP_TEST_MYSQL_SOCKET is not set; run the Databases target.");
        var server = TestServers.MySql;
        var url = DatabaseUrl.Parse($"mysql://{Uri.EscapeDataString(server.User!)}:{Uri.EscapeDataString(server.Password!)}@localhost/{server.Database}?socket={Uri.EscapeDataString(socket)}&sslmode=DISABLED");
        var settings = MySqlConnectionString.From(url);
        Assert.Equal(MySqlConnectionProtocol.UnixSocket, settings.ConnectionProtocol);
        Assert.Equal(socket, settings.Server);
        Assert.Equal(MySqlSslMode.None, settings.SslMode);
        Assert.Equal(MySqlSslMode.VerifyCA, MySqlConnectionString.SslModeOf(url, "verify_ca"));
        Assert.Equal(MySqlSslMode.VerifyFull, MySqlConnectionString.SslModeOf(url, "VERIFY_IDENTITY"));

        await using var connection = await new MySqlDatabase(url).OpenConnectionAsync(default);
        Assert.Equal(1L, Convert.ToInt64(await connection.ScalarAsync("SELECT 1", default), CultureInfo.InvariantCulture));
        var bad = Assert.Throws<SwapException>(() => MySqlConnectionString.SslModeOf(url, "sometimes"));
        Assert.Equal(SwapErrorKind.Usage, bad.Kind);
    }

    [Fact]
    public async Task A_hosts_own_data_source_settings_are_honoured()
    {
        var settings = MySqlConnectionString.From(TestServers.MySql);
        settings.SslMode = MySqlSslMode.Required;
        settings.Pooling = true;
        await using var hostSource = new MySqlDataSource(settings.ConnectionString);
        var database = new MySqlDatabase(hostSource);

        await using var connection = await database.OpenConnectionAsync(default);
        var cipher = (await connection.QueryAsync("SHOW SESSION STATUS LIKE 'Ssl_cipher'", null, default))[0].String("Value");

        Assert.False(string.IsNullOrEmpty(cipher), "the host asked for TLS");
        Assert.Equal($"mysql://{settings.UserID}@{settings.Server}:{settings.Port}/{settings.Database}", database.DisplayName);
    }
}
