using System.Data;
using Swap.MySql.Client;

namespace Swap.IntegrationTests.MySqlClient;

public class TransactionTests
{
    private static (MySqlConnection Connection, string Table) Setup()
    {
        var connection = MySqlTestServer.Open();
        var table = MySqlTestServer.UniqueTable();
        connection.Execute($"CREATE TABLE {table} (id INT PRIMARY KEY) ENGINE=InnoDB");
        return (connection, table);
    }

    private static long CountFromOtherConnection(string table)
    {
        using var other = MySqlTestServer.Open();
        return Convert.ToInt64(other.Scalar($"SELECT COUNT(*) FROM {table}"));
    }

    [Fact]
    public void Commit_makes_changes_visible_to_others()
    {
        var (connection, table) = Setup();
        using (connection)
        {
            using var transaction = connection.BeginTransaction();
            connection.Execute($"INSERT INTO {table} VALUES (1), (2)");
            Assert.Equal(0L, CountFromOtherConnection(table));
            transaction.Commit();
            Assert.Null(transaction.Connection);
            Assert.Equal(2L, CountFromOtherConnection(table));
            Assert.Throws<InvalidOperationException>(transaction.Commit);
        }
    }

    [Fact]
    public async Task Rollback_and_dispose_discard_changes()
    {
        var (connection, table) = Setup();
        await using (connection)
        {
            var transaction = await connection.BeginTransactionAsync();
            using (var command = new MySqlCommand($"INSERT INTO {table} VALUES (1)", connection, transaction)) await command.ExecuteNonQueryAsync();
            await transaction.RollbackAsync();
            Assert.Equal(0L, Convert.ToInt64(connection.Scalar($"SELECT COUNT(*) FROM {table}")));

            await using (await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted))
            {
                connection.Execute($"INSERT INTO {table} VALUES (2)");
            } // disposed without commit
            Assert.Equal(0L, Convert.ToInt64(connection.Scalar($"SELECT COUNT(*) FROM {table}")));
            Assert.Equal(0L, Convert.ToInt64(connection.Scalar("SELECT @@in_transaction")));
        }
    }

    [Theory]
    [InlineData(IsolationLevel.ReadUncommitted, "READ UNCOMMITTED")]
    [InlineData(IsolationLevel.ReadCommitted, "READ COMMITTED")]
    [InlineData(IsolationLevel.RepeatableRead, "REPEATABLE READ")]
    [InlineData(IsolationLevel.Serializable, "SERIALIZABLE")]
    [InlineData(IsolationLevel.Snapshot, "REPEATABLE READ")]
    public void Isolation_level_applies_to_the_transaction(IsolationLevel level, string expected)
    {
        var (connection, table) = Setup();
        using (connection)
        {
            using var transaction = connection.BeginTransaction(level);
            Assert.Equal(level, transaction.IsolationLevel);
            connection.Scalar($"SELECT COUNT(*) FROM {table}"); // makes InnoDB register the transaction
            Assert.Equal(expected, InnoDbIsolation(connection));
        }
    }

    /// <summary>INNODB_TRX is a cache refreshed only when last read over 100 ms ago, so poll slower than that.</summary>
    private static object? InnoDbIsolation(MySqlConnection connection)
    {
        for (var attempt = 0; ; attempt++)
        {
            var level = connection.Scalar("SELECT trx_isolation_level FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = CONNECTION_ID()");
            if (level is not null || attempt == 10) return level;
            Thread.Sleep(150);
        }
    }

    [Fact]
    public void Only_one_transaction_at_a_time_and_commands_must_use_the_active_one()
    {
        var (connection, table) = Setup();
        using (connection)
        {
            var first = connection.BeginTransaction();
            Assert.Throws<InvalidOperationException>(() => connection.BeginTransaction());
            first.Commit();
            using var command = new MySqlCommand($"SELECT COUNT(*) FROM {table}", connection, first);
            Assert.Throws<InvalidOperationException>(() => command.ExecuteScalar()); // completed transaction
            using var second = connection.BeginTransaction();
            command.Transaction = second;
            Assert.Equal(0L, Convert.ToInt64(command.ExecuteScalar()));
        }
    }
}
