namespace Swap.IntegrationTests.MySqlClient;

/// <summary>Many connections used from many threads at once (one caller per connection).</summary>
public class ParallelTests
{
    [Fact]
    public async Task Parallel_connections_do_not_interfere()
    {
        var table = MySqlTestServer.UniqueTable();
        using (var setup = MySqlTestServer.Open()) setup.Execute($"CREATE TABLE {table} (worker INT, n INT, s VARCHAR(40), PRIMARY KEY (worker, n))");

        var workers = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            await using var connection = await MySqlTestServer.OpenAsync();
            for (var n = 0; n < 50; n++)
                await connection.CreateCommand().Also($"INSERT INTO {table} VALUES (@w, @n, @s)").With("w", worker).With("n", n).With("s", $"w{worker}-n{n}").ExecuteNonQueryAsync();
            await using var reader = await connection.CreateCommand().Also($"SELECT n, s FROM {table} WHERE worker = @w ORDER BY n").With("w", worker).ExecuteReaderAsync();
            var seen = 0;
            while (await reader.ReadAsync())
            {
                Assert.Equal(seen, reader.GetInt32(0));
                Assert.Equal($"w{worker}-n{seen}", reader.GetString(1));
                seen++;
            }
            return seen;
        })).ToArray();

        Assert.All(await Task.WhenAll(workers), count => Assert.Equal(50, count));
        using var check = MySqlTestServer.Open();
        Assert.Equal(800L, Convert.ToInt64(check.Scalar($"SELECT COUNT(*) FROM {table}")));
        check.Execute($"DROP TABLE {table}");
    }

    [Fact]
    public void Parallel_blocking_streams_on_threads()
    {
        var sums = new long[8];
        Parallel.For(0, sums.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            using var connection = MySqlTestServer.Open();
            using var reader = connection.CreateCommand().Also("SELECT seq FROM seq_1_to_100000 WHERE seq % @m = 0").With("m", i + 1).ExecuteReader();
            while (reader.Read()) sums[i] += reader.GetInt64(0);
        });
        for (var i = 0; i < sums.Length; i++)
        {
            long m = i + 1, k = 100000 / m;
            Assert.Equal(m * k * (k + 1) / 2, sums[i]);
        }
    }
}
