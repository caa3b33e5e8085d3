using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Swap.Scenarios.Demo;

/// <summary>
/// <c>demo-write &lt;file.db&gt; --until &lt;stop-file&gt;</c>: the demo's application. It records an
/// order for a random customer about every 20 ms (one UPDATE, on its own connection with a normal
/// busy timeout) until the stop file exists, then says how many it recorded, how long the slowest
/// waited, and whether every one is in the table (the orders counted before and after).
/// </summary>
internal static class DemoWriteCommand
{
    private const string Usage = "usage: demo-write <file.db> --until <stop-file>";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 3 || args[1] != "--until")
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        var (path, stop) = (args[0], args[2]);
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        await connection.OpenAsync();
        await ExecAsync(connection, "PRAGMA busy_timeout = 5000");
        var before = await OrdersAsync(connection);
        var ids = Convert.ToInt64(await ScalarAsync(connection, "SELECT max(id) FROM customers"), CultureInfo.InvariantCulture);
        var random = new Random(7);
        var waits = new List<double>();
        Console.WriteLine("demo-write: recording an order every ~20 ms while 'swap up' runs...");
        while (!File.Exists(stop))
        {
            var watch = Stopwatch.StartNew();
            await using (var update = connection.CreateCommand())
            {
                update.CommandText = "UPDATE customers SET orders_count = orders_count + 1, total_spent = total_spent + 10, last_order_at = @at WHERE id = @id";
                update.Parameters.AddWithValue("@at", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                update.Parameters.AddWithValue("@id", random.NextInt64(1, ids + 1));
                await update.ExecuteNonQueryAsync();
            }
            waits.Add(watch.Elapsed.TotalMilliseconds);
            await Task.Delay(20);
        }
        var after = await OrdersAsync(connection);
        waits.Sort();
        var median = waits.Count == 0 ? 0 : waits[waits.Count / 2];
        var slowest = waits.Count == 0 ? 0 : waits[^1];
        var landed = after - before == waits.Count;
        var verdict = landed ? "all of them are in the swapped table." : FormattableString.Invariant($"but the table counts {after - before:N0} more orders: some were lost!");
        Console.WriteLine(FormattableString.Invariant($"demo-write: {waits.Count:N0} orders recorded while 'swap up' ran (median {median:0.0} ms, slowest {slowest:0} ms); {verdict}"));
        return landed ? 0 : 1;
    }

    private static async Task<long> OrdersAsync(DbConnection connection) =>
        Convert.ToInt64(await ScalarAsync(connection, "SELECT sum(orders_count) FROM customers"), CultureInfo.InvariantCulture);

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private static async Task ExecAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
