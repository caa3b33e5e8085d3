using System.Globalization;
using System.Runtime.InteropServices;
using Swap.MySql.Client;

namespace Swap.Scenarios.ClientBench;

/// <summary>
/// <c>client-bench [--rows N] [--runs K] [--url mysql://...]</c>: streams a 6-column table through
/// Swap.MySql.Client and through the <c>mariadb</c> C client in the same run, and prints rows/s,
/// peak memory and the ratio as a Markdown table. The server URL defaults to SWAP_TEST_MYSQL.
/// </summary>
internal static class ClientBenchCommand
{
    internal static int Run(string[] args)
    {
        long rows = 1_000_000;
        var runs = 3;
        var url = Environment.GetEnvironmentVariable("SWAP_TEST_MYSQL");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rows" when i + 1 < args.Length: rows = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs" when i + 1 < args.Length: runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--url" when i + 1 < args.Length: url = args[++i]; break;
                default:
                    Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: client-bench [--rows N] [--runs K] [--url mysql://user:pw@host:port/db]");
                    return 2;
            }
        }
        if (string.IsNullOrEmpty(url))
        {
            Console.Error.WriteLine("No server: set SWAP_TEST_MYSQL (run 'dotnet cake --target=Databases' and source /tmp/swap-servers/servers.env) or pass --url.");
            return 2;
        }
        var settings = MySqlConnectionStringBuilder.FromUrl(url);
        settings.SslMode = MySqlSslMode.None;
        return RunAsync(settings, rows, runs).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(MySqlConnectionStringBuilder settings, long rows, int runs)
    {
        using (var connection = new MySqlConnection(settings.ConnectionString))
        {
            connection.Open();
            BenchTable.Ensure(connection, rows);
        }
        var query = BenchTable.Query(rows);
        Console.WriteLine($"Query: {query}  ({runs} runs each, best rows/s kept; server {settings.Server}:{settings.Port})");

        var best = new Dictionary<string, BenchResult>();
        for (var run = 1; run <= runs; run++)
        {
            // Alternate the readers within each run so both see the same server and cache state.
            if (CliReader.Available) Keep(best, CliReader.Run(settings, query, rows), run);
            foreach (var mode in new[] { ManagedReader.Mode.FetchOnly, ManagedReader.Mode.Decode, ManagedReader.Mode.DecodeAsync })
                Keep(best, await ManagedReader.RunAsync(settings.ConnectionString, query, mode), run);
        }

        var cli = best.Values.FirstOrDefault(r => r.Reader.StartsWith("mariadb", StringComparison.Ordinal));
        Console.WriteLine();
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; date {DateTime.UtcNow:yyyy-MM-dd}");
        Console.WriteLine("| reader | rows | seconds | rows/s | peak RSS MB | ratio vs C client | notes |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---|");
        foreach (var r in best.Values)
        {
            var ratio = cli is null ? "n/a" : (r.RowsPerSecond / cli.RowsPerSecond).ToString("F2", CultureInfo.InvariantCulture) + "x";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Reader} | {r.Rows:N0} | {r.Elapsed.TotalSeconds:F2} | {r.RowsPerSecond:N0} | {r.PeakMb:F0} | {ratio} | {r.Memory} |"));
        }
        return 0;
    }

    private static void Keep(Dictionary<string, BenchResult> best, BenchResult result, int run)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"run {run}: {result.Reader}: {result.RowsPerSecond:N0} rows/s, peak RSS {result.PeakMb:F0} MB, {result.Memory}"));
        if (!best.TryGetValue(result.Reader, out var previous) || result.RowsPerSecond > previous.RowsPerSecond) best[result.Reader] = result;
    }
}
