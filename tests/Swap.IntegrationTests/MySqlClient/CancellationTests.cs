using System.Diagnostics;
using Swap.MySql.Client;

namespace Swap.IntegrationTests.MySqlClient;

/// <summary>Tokens and CommandTimeout stop the statement on the server (KILL QUERY) and leave the connection usable.</summary>
public class CancellationTests
{
    private static long RunningSleeps(ulong threadId)
    {
        using var observer = MySqlTestServer.Open();
        return Convert.ToInt64(observer.Scalar(
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = @id AND INFO LIKE '%SLEEP%'", ("id", threadId)));
    }

    [Fact]
    public async Task Token_stops_sleep_on_the_server_and_connection_still_works()
    {
        await using var connection = await MySqlTestServer.OpenAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection.CreateCommand().Also("SELECT SLEEP(30)").ExecuteScalarAsync(cts.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Equal(0L, RunningSleeps(connection.ServerThreadId));
        Assert.Equal(1L, Convert.ToInt64(await connection.CreateCommand().Also("SELECT 1").ExecuteScalarAsync()));
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
    }

    [Fact]
    public void Command_timeout_kills_the_query_and_reports_a_timeout()
    {
        using var connection = MySqlTestServer.Open();
        using var command = connection.CreateCommand().Also("SELECT SLEEP(30)");
        command.CommandTimeout = 1;
        var clock = Stopwatch.StartNew();
        var ex = Assert.Throws<MySqlException>(() => command.ExecuteScalar());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.True(ex.IsTimeout);
        Assert.Equal(MySqlErrorCodes.CommandTimeoutExpired, ex.Number);
        Assert.Equal(0L, RunningSleeps(connection.ServerThreadId));
        Assert.Equal(1L, Convert.ToInt64(connection.Scalar("SELECT 1")));
    }

    [Fact]
    public async Task Token_stops_a_statement_waiting_for_a_row_lock()
    {
        await using var holder = await MySqlTestServer.OpenAsync();
        var table = MySqlTestServer.UniqueTable();
        holder.Execute($"CREATE TABLE {table} (id INT PRIMARY KEY, v INT) ENGINE=InnoDB; INSERT INTO {table} VALUES (1, 0)");
        await using var transaction = await holder.BeginTransactionAsync();
        holder.Execute($"UPDATE {table} SET v = 1 WHERE id = 1");

        await using var waiter = await MySqlTestServer.OpenAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => waiter.CreateCommand().Also($"UPDATE {table} SET v = 2 WHERE id = 1").ExecuteNonQueryAsync(cts.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        await transaction.CommitAsync();
        Assert.Equal(1, Convert.ToInt32(await waiter.CreateCommand().Also($"SELECT v FROM {table}").ExecuteScalarAsync()));
    }

    [Fact]
    public async Task ReadAsync_token_stops_a_slow_row()
    {
        await using var connection = await MySqlTestServer.OpenAsync();
        // 1 KB rows so the server flushes the first rows before it reaches the sleeping one.
        const string sql = "SELECT seq, REPEAT('x', 1000) AS pad, IF(seq = 100, SLEEP(30), 0) AS slow FROM seq_1_to_100";
        await using (var reader = await connection.CreateCommand().Also(sql).ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(1L, reader.GetInt64(0));
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                while (await reader.ReadAsync(cts.Token)) { }
            });
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
            Assert.True(reader.IsClosed);
        }
        Assert.Equal(0L, RunningSleeps(connection.ServerThreadId));
        Assert.Equal("ok", await connection.CreateCommand().Also("SELECT 'ok'").ExecuteScalarAsync());
    }

    [Fact]
    public void Cancel_from_another_thread_stops_a_blocking_execute()
    {
        using var connection = MySqlTestServer.Open();
        using var command = connection.CreateCommand().Also("SELECT SLEEP(30)");
        using var timer = new Timer(_ => command.Cancel(), null, 300, Timeout.Infinite);
        var clock = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => command.ExecuteScalar());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(1L, Convert.ToInt64(connection.Scalar("SELECT 1")));
    }

    [Fact]
    public async Task Already_cancelled_token_sends_nothing()
    {
        await using var connection = await MySqlTestServer.OpenAsync();
        var table = MySqlTestServer.UniqueTable();
        connection.Execute($"CREATE TABLE {table} (id INT)");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => connection.CreateCommand().Also($"INSERT INTO {table} VALUES (1)").ExecuteNonQueryAsync(new CancellationToken(canceled: true)));
        Assert.Equal(0L, Convert.ToInt64(connection.Scalar($"SELECT COUNT(*) FROM {table}")));
    }

    [Fact]
    public async Task Repeated_cancellations_never_hit_the_next_statement()
    {
        await using var connection = await MySqlTestServer.OpenAsync();
        for (var i = 0; i < 10; i++)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(20 + i * 7));
            try
            {
                await connection.CreateCommand().Also("SELECT SLEEP(0.05)").ExecuteScalarAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                // expected for most iterations; the point is what follows
            }
            Assert.Equal((long)i, Convert.ToInt64(await connection.CreateCommand().Also("SELECT @i").With("i", i).ExecuteScalarAsync()));
        }
    }

    [Fact]
    public void Command_timeout_also_bounds_waiting_for_the_next_row()
    {
        using var connection = MySqlTestServer.Open();
        using var command = connection.CreateCommand().Also("SELECT seq, REPEAT('x', 1000) AS pad, IF(seq = 100, SLEEP(30), 0) FROM seq_1_to_100");
        command.CommandTimeout = 1;
        var clock = Stopwatch.StartNew();
        var rows = 0;
        using (var reader = command.ExecuteReader())
        {
            var ex = Assert.Throws<MySqlException>(() => { while (reader.Read()) rows++; });
            Assert.True(ex.IsTimeout);
        }
        Assert.InRange(rows, 1, 99); // rows before the slow one arrived; the slow one never did
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(0L, RunningSleeps(connection.ServerThreadId));
        Assert.Equal(1L, Convert.ToInt64(connection.Scalar("SELECT 1")));
    }

    [Fact]
    public async Task OpenAsync_honours_its_token()
    {
        await using var connection = new MySqlConnection(MySqlTestServer.ConnectionString);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection.OpenAsync(new CancellationToken(canceled: true)));
        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
        await connection.OpenAsync();
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
    }
}
