using Swap.MySql.Client;

namespace Swap.IntegrationTests.MySqlClient;

public class MultipleResultTests
{
    [Fact]
    public void NextResult_walks_result_sets_and_skips_non_queries()
    {
        using var connection = MySqlTestServer.Open();
        var table = MySqlTestServer.UniqueTable();
        connection.Execute($"CREATE TABLE {table} (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
        using var command = connection.CreateCommand().Also(
            $"SELECT 1 AS a; INSERT INTO {table} (v) VALUES (10), (20); SELECT 'x' AS b, 'y' AS c; UPDATE {table} SET v = v + 1; SELECT v FROM {table} ORDER BY id");
        using (var reader = command.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Equal("a", reader.GetName(0));
            Assert.False(reader.Read());
            Assert.True(reader.NextResult());
            Assert.Equal(2, reader.FieldCount);
            Assert.True(reader.Read());
            Assert.Equal("y", reader.GetString(1));
            Assert.True(reader.NextResult());
            Assert.True(reader.Read());
            Assert.Equal(11, reader.GetInt32(0));
            Assert.True(reader.Read());
            Assert.Equal(21, reader.GetInt32(0));
            Assert.False(reader.NextResult());
            Assert.Equal(4, reader.RecordsAffected);
        }
        Assert.Equal(1L, command.LastInsertedId); // a multi-row insert reports its first id, as LAST_INSERT_ID() does
        Assert.Equal(1L, Convert.ToInt64(connection.Scalar("SELECT 1")));
    }

    [Fact]
    public async Task ExecuteNonQuery_sums_affected_rows_and_reports_last_insert_id()
    {
        await using var connection = await MySqlTestServer.OpenAsync();
        var table = MySqlTestServer.UniqueTable();
        connection.Execute($"CREATE TABLE {table} (id BIGINT AUTO_INCREMENT PRIMARY KEY, v INT) AUTO_INCREMENT = 5000000000");
        using var command = connection.CreateCommand().Also($"INSERT INTO {table} (v) VALUES (1); INSERT INTO {table} (v) VALUES (2), (3); DELETE FROM {table} WHERE v = 3");
        Assert.Equal(4, await command.ExecuteNonQueryAsync());
        Assert.Equal(5000000001L, command.LastInsertedId);
        using var single = connection.CreateCommand().Also($"INSERT INTO {table} (v) VALUES (9)");
        Assert.Equal(1, single.ExecuteNonQuery());
        Assert.Equal(Convert.ToInt64(connection.Scalar($"SELECT id FROM {table} WHERE v = 9")), single.LastInsertedId);
        Assert.Equal(-1, connection.CreateCommand().Also("SELECT 1").ExecuteNonQuery());
    }

    [Fact]
    public void Update_reports_matched_rows_by_default_and_changed_rows_on_request()
    {
        using var connection = MySqlTestServer.Open();
        var table = MySqlTestServer.UniqueTable();
        connection.Execute($"CREATE TABLE {table} (id INT PRIMARY KEY, v INT); INSERT INTO {table} VALUES (1, 5), (2, 6)");
        Assert.Equal(2, connection.Execute($"UPDATE {table} SET v = 5")); // matched 2, changed 1
        var builder = MySqlTestServer.Builder();
        builder.UseAffectedRows = true;
        using var affected = new MySqlConnection(builder.ConnectionString);
        affected.Open();
        Assert.Equal(0, affected.Execute($"UPDATE {table} SET v = 5")); // matched 2, changed 0
        Assert.Equal(1, affected.Execute($"UPDATE {table} SET v = 7 WHERE id = 2"));
    }

    [Fact]
    public async Task Error_in_a_later_statement_surfaces_and_the_connection_recovers()
    {
        await using var connection = await MySqlTestServer.OpenAsync();
        var table = MySqlTestServer.UniqueTable();
        connection.Execute($"CREATE TABLE {table} (id INT PRIMARY KEY)");
        using var command = connection.CreateCommand().Also($"INSERT INTO {table} VALUES (1); INSERT INTO {table} VALUES (1); INSERT INTO {table} VALUES (3)");
        var ex = await Assert.ThrowsAsync<MySqlException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(MySqlErrorCodes.DuplicateEntry, ex.Number);
        Assert.Equal("23000", ex.SqlState);
        Assert.Equal(1L, Convert.ToInt64(connection.Scalar($"SELECT COUNT(*) FROM {table}"))); // the third never ran

        await using var reader = await connection.CreateCommand().Also("SELECT 1; SELECT * FROM no_such_table_here; SELECT 3").ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var second = await Assert.ThrowsAsync<MySqlException>(() => reader.NextResultAsync());
        Assert.Equal(MySqlErrorCodes.NoSuchTable, second.Number);
        Assert.True(reader.IsClosed);
        Assert.Equal(4L, Convert.ToInt64(connection.Scalar("SELECT 4")));
    }
}
