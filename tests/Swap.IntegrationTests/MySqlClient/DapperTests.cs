using Dapper;

namespace Swap.IntegrationTests.MySqlClient;

public class DapperTests
{
    public sealed class Person
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public decimal Balance { get; set; }
        public DateTime Born { get; set; }
        public bool Active { get; set; }
        public string? Nickname { get; set; }
        public byte[]? Photo { get; set; }
    }

    public sealed record Pair(long Id, string Name);

    public sealed record Small(int Id, string Name);

    [Fact]
    public async Task Execute_and_Query_map_rows_and_parameters()
    {
        await using var connection = await MySqlTestServer.OpenAsync();
        var table = MySqlTestServer.UniqueTable();
        await connection.ExecuteAsync($"""
            CREATE TABLE {table} (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL, balance DECIMAL(12,2),
              born DATETIME(6), active TINYINT(1), nickname VARCHAR(20) NULL, photo BLOB NULL)
            """);
        var people = new[]
        {
            new Person { Name = "Ann O'Neil", Balance = 12.5m, Born = new DateTime(1990, 1, 2, 3, 4, 5), Active = true, Photo = [1, 0, 255] },
            new Person { Name = "Björn 😀", Balance = -3m, Born = new DateTime(2001, 12, 31), Active = false, Nickname = "bj" },
        };
        var inserted = await connection.ExecuteAsync(
            $"INSERT INTO {table} (name, balance, born, active, nickname, photo) VALUES (@Name, @Balance, @Born, @Active, @Nickname, @Photo)", people);
        Assert.Equal(2, inserted);

        var read = (await connection.QueryAsync<Person>($"SELECT * FROM {table} ORDER BY id")).ToList();
        Assert.Equal(["Ann O'Neil", "Björn 😀"], read.Select(p => p.Name));
        Assert.Equal([12.5m, -3m], read.Select(p => p.Balance));
        Assert.Equal(people.Select(p => p.Born), read.Select(p => p.Born));
        Assert.Equal([true, false], read.Select(p => p.Active));
        Assert.Equal([null, "bj"], read.Select(p => p.Nickname));
        Assert.Equal(new byte[] { 1, 0, 255 }, read[0].Photo);
        Assert.Null(read[1].Photo);

        var ids = read.Select(p => p.Id).ToArray();
        var pairs = connection.Query<Pair>($"SELECT id, name FROM {table} WHERE id IN @ids AND name <> @skip ORDER BY id", new { ids, skip = "'; DROP TABLE x; --" }).ToList();
        Assert.Equal(ids, pairs.Select(p => p.Id));
        Assert.Equal("Ann O'Neil", connection.QuerySingle<string>($"SELECT name FROM {table} WHERE id = @id", new { id = ids[0] }));
        Assert.Equal(2L, connection.ExecuteScalar<long>($"SELECT COUNT(*) FROM {table}"));
    }

    [Fact]
    public void Dapper_uses_the_transaction()
    {
        using var connection = MySqlTestServer.Open();
        var table = MySqlTestServer.UniqueTable();
        connection.Execute($"CREATE TABLE {table} (id INT PRIMARY KEY) ENGINE=InnoDB");
        using (var transaction = connection.BeginTransaction())
        {
            connection.Execute($"INSERT INTO {table} VALUES (@id)", new[] { new { id = 1 }, new { id = 2 } }, transaction);
            Assert.Equal(2, connection.ExecuteScalar<int>($"SELECT COUNT(*) FROM {table}", transaction: transaction));
            transaction.Rollback();
        }
        Assert.Equal(0, connection.ExecuteScalar<int>($"SELECT COUNT(*) FROM {table}"));
    }

    [Fact]
    public void QueryMultiple_reads_several_result_sets()
    {
        using var connection = MySqlTestServer.Open();
        using var grid = connection.QueryMultiple("SELECT 1 AS Id, 'a' AS Name; SELECT seq FROM seq_1_to_3");
        Assert.Equal(new Small(1, "a"), grid.ReadSingle<Small>()); // a small literal is INT, so Int32
        Assert.Equal([1L, 2L, 3L], grid.Read<long>());
    }
}
