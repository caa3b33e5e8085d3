using Swap.MySql.Client;

namespace Swap.IntegrationTests.MySqlClient;

public class ErrorTests
{
    [Fact]
    public void Syntax_error_carries_number_and_sql_state_and_is_not_transient()
    {
        using var connection = MySqlTestServer.Open();
        var ex = Assert.Throws<MySqlException>(() => connection.Execute("SELEKT 1"));
        Assert.Equal(MySqlErrorCodes.ParseError, ex.Number);
        Assert.Equal(MySqlErrorCodes.ParseError, ex.ErrorCode);
        Assert.Equal("42000", ex.SqlState);
        Assert.False(ex.IsTransient);
        Assert.Contains("SELEKT", ex.Message, StringComparison.Ordinal);
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        Assert.Equal(1L, Convert.ToInt64(connection.Scalar("SELECT 1")));
    }

    [Fact]
    public void Lock_wait_timeout_is_transient()
    {
        using var holder = MySqlTestServer.Open();
        var table = MySqlTestServer.UniqueTable();
        holder.Execute($"CREATE TABLE {table} (id INT PRIMARY KEY, v INT) ENGINE=InnoDB; INSERT INTO {table} VALUES (1, 0)");
        using var transaction = holder.BeginTransaction();
        holder.Execute($"UPDATE {table} SET v = 1 WHERE id = 1");

        using var waiter = MySqlTestServer.Open();
        waiter.Execute("SET SESSION innodb_lock_wait_timeout = 1");
        var ex = Assert.Throws<MySqlException>(() => waiter.Execute($"UPDATE {table} SET v = 2 WHERE id = 1"));
        Assert.Equal(MySqlErrorCodes.LockWaitTimeout, ex.Number);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task Deadlock_is_reported_as_1213_and_transient()
    {
        await using var a = await MySqlTestServer.OpenAsync();
        await using var b = await MySqlTestServer.OpenAsync();
        var table = MySqlTestServer.UniqueTable();
        a.Execute($"CREATE TABLE {table} (id INT PRIMARY KEY, v INT) ENGINE=InnoDB; INSERT INTO {table} VALUES (1, 0), (2, 0)");
        await using var ta = await a.BeginTransactionAsync();
        await using var tb = await b.BeginTransactionAsync();
        a.Execute($"UPDATE {table} SET v = 1 WHERE id = 1");
        b.Execute($"UPDATE {table} SET v = 1 WHERE id = 2");
        var first = a.CreateCommand().Also($"UPDATE {table} SET v = 2 WHERE id = 2").ExecuteNonQueryAsync(); // waits for b
        await Task.Delay(200);
        var second = b.CreateCommand().Also($"UPDATE {table} SET v = 2 WHERE id = 1").ExecuteNonQueryAsync(); // closes the cycle
        var results = await Task.WhenAll(Outcome(first), Outcome(second));
        var deadlock = Assert.Single(results.OfType<MySqlException>());
        Assert.Equal(MySqlErrorCodes.LockDeadlock, deadlock.Number);
        Assert.Equal("40001", deadlock.SqlState);
        Assert.True(deadlock.IsTransient);
    }

    private static async Task<object> Outcome(Task<int> task)
    {
        try
        {
            return await task;
        }
        catch (MySqlException ex)
        {
            return ex;
        }
    }

    [Fact]
    public void Error_codes_classify_transient_failures()
    {
        int[] transient = [1040, 1053, 1205, 1213, 1927, 2002, 2003, 2006, 2013];
        Assert.All(transient, n => Assert.True(new MySqlException("x", n, null).IsTransient, $"{n}"));
        int[] permanent = [1045, 1062, 1064, 1146, 1317, MySqlErrorCodes.CommandTimeoutExpired];
        Assert.All(permanent, n => Assert.False(new MySqlException("x", n, null).IsTransient, $"{n}"));
    }
}
