using System.Diagnostics;
using Swap.MySql.Client;

namespace Swap.Scenarios.ClientBench;

/// <summary>Streams the query through Swap.MySql.Client and decodes every column to its CLR type.</summary>
internal static class ManagedReader
{
    /// <summary>What a pass does with each row: decode all six columns, or only fetch the row.</summary>
    internal enum Mode { Decode, FetchOnly, DecodeAsync }

    internal static async Task<BenchResult> RunAsync(string connectionString, string query, Mode mode)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        MemoryProbe.ResetPeak();
        var rssBefore = MemoryProbe.CurrentRssMb();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long rows = 0, peakHeap = 0, checksum = 0;
        var clock = Stopwatch.StartNew();
        await using (var command = new MySqlCommand(query, connection) { CommandTimeout = 0 })
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (mode == Mode.DecodeAsync ? await reader.ReadAsync() : reader.Read())
            {
                rows++;
                if (mode != Mode.FetchOnly) checksum += Decode(reader);
                if ((rows & 0xFFFF) == 0) peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: false));
            }
        }
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        GC.KeepAlive(checksum);
        var memory = $"RSS before the query {rssBefore:F0} MB; GC heap +{Math.Max(0, peakHeap - heapBefore) / 1048576.0:F1} MB (gen0 garbage); allocated {allocated / (double)rows:F0} B/row";
        return new BenchResult($"Swap.MySql.Client ({Describe(mode)})", rows, clock.Elapsed, MemoryProbe.PeakRssMb(), memory);
    }

    private static string Describe(Mode mode) => mode switch
    {
        Mode.Decode => "Read + 6 typed getters",
        Mode.DecodeAsync => "ReadAsync + 6 typed getters",
        _ => "Read only, no decoding",
    };

    private static long Decode(MySqlDataReader reader)
    {
        var id = reader.GetInt64(0);
        var n = reader.GetInt32(1);
        var s = reader.GetString(2);
        var dt = reader.GetDateTime(3);
        var amount = reader.GetDecimal(4);
        var ratio = reader.GetDouble(5);
        return id + n + s.Length + dt.Second + (long)amount + (long)ratio;
    }
}
