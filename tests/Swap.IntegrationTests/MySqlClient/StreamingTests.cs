using System.Diagnostics;

namespace Swap.IntegrationTests.MySqlClient;

/// <summary>
/// Rows are streamed (mysql_use_result), never buffered: reading a million ~220-byte rows
/// (~220 MB if buffered) must keep both the managed heap and the process working set flat.
/// Memory is process-wide, so this class runs alone (not in parallel with other tests).
/// </summary>
[Collection(MemoryMeasurement.Name)]
public class StreamingTests
{
    private const int Rows = 1_000_000;
    private const string Query = "SELECT seq, REPEAT(CHAR(65 + seq % 26), 200) AS pad, seq * 0.5 AS half FROM seq_1_to_1000000";

    [Fact]
    public void Reading_a_million_rows_keeps_memory_flat()
    {
        using var connection = MySqlTestServer.Open();
        var process = Process.GetCurrentProcess();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        process.Refresh();
        var workingSetBefore = process.WorkingSet64;
        long peakHeap = 0, peakWorkingSet = 0, sum = 0, count = 0;

        using (var reader = connection.CreateCommand().Also(Query).ExecuteReader())
        {
            while (reader.Read())
            {
                var seq = reader.GetInt64(0);
                sum += seq;
                count++;
                if (reader.GetRawBytes(1).Length != 200) Assert.Fail($"row {seq}: pad has the wrong length");
                if (seq % 100_000 == 0)
                {
                    Assert.Equal(seq * 0.5m, reader.GetDecimal(2));
                    peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: false));
                    process.Refresh();
                    peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                }
            }
        }

        Assert.Equal(Rows, count);
        Assert.Equal((long)Rows * (Rows + 1) / 2, sum);
        Assert.True(peakHeap - heapBefore < 32L << 20, $"managed heap grew by {(peakHeap - heapBefore) >> 20} MB");
        Assert.True(peakWorkingSet - workingSetBefore < 64L << 20, $"working set grew by {(peakWorkingSet - workingSetBefore) >> 20} MB");
    }

    [Fact]
    public async Task ReadAsync_streams_the_same_rows()
    {
        await using var connection = await MySqlTestServer.OpenAsync();
        await using var reader = await connection.CreateCommand().Also("SELECT seq FROM seq_1_to_200000").ExecuteReaderAsync();
        long sum = 0, count = 0, expected = 1;
        while (await reader.ReadAsync())
        {
            var seq = reader.GetInt64(0);
            Assert.Equal(expected++, seq);
            sum += seq;
            count++;
        }
        Assert.Equal(200_000, count);
        Assert.Equal(200_000L * 200_001 / 2, sum);
    }

    [Fact]
    public void Disposing_a_reader_half_way_leaves_the_connection_ready()
    {
        using var connection = MySqlTestServer.Open();
        using (var reader = connection.CreateCommand().Also("SELECT seq FROM seq_1_to_300000; SELECT 'second'").ExecuteReader())
        {
            for (var i = 0; i < 10; i++) Assert.True(reader.Read());
        }
        Assert.Equal("next", connection.Scalar("SELECT 'next'"));
    }

    [Fact]
    public void Closing_the_connection_mid_stream_does_not_read_the_rest()
    {
        var connection = MySqlTestServer.Open();
        var reader = connection.CreateCommand().Also("SELECT seq, REPEAT('x', 1000) FROM seq_1_to_100000000").ExecuteReader();
        Assert.True(reader.Read());
        var clock = Stopwatch.StartNew();
        connection.Close(); // 100 GB of rows are pending; draining them would take minutes
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.True(reader.IsClosed);
        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
        connection.Open();
        Assert.Equal(1L, Convert.ToInt64(connection.Scalar("SELECT 1")));
        connection.Dispose();
    }

    [Fact]
    public void CloseConnection_behavior_closes_the_connection_with_the_reader()
    {
        using var connection = MySqlTestServer.Open();
        using (var reader = connection.CreateCommand().Also("SELECT 1").ExecuteReader(System.Data.CommandBehavior.CloseConnection))
        {
            Assert.True(reader.Read());
        }
        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurement
{
    public const string Name = "MySqlClient memory measurement (runs alone)";
}
