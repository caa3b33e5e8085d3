using System.Globalization;
using Swap.MySql.Client;

namespace Swap.Scenarios.ClientBench;

/// <summary>The 6-column table both readers stream; created and filled once per row count.</summary>
internal static class BenchTable
{
    internal static string Name(long rows) => "bench_client_" + rows.ToString(CultureInfo.InvariantCulture);

    internal static string Query(long rows) => $"SELECT id, n, s, dt, amount, ratio FROM {Name(rows)}";

    internal static void Ensure(MySqlConnection connection, long rows)
    {
        var table = Name(rows);
        using (var create = connection.CreateCommand())
        {
            create.CommandText = $"""
                CREATE TABLE IF NOT EXISTS {table} (
                  id BIGINT PRIMARY KEY, n INT NOT NULL, s VARCHAR(64) NOT NULL, dt DATETIME(6) NOT NULL,
                  amount DECIMAL(12,2) NOT NULL, ratio DOUBLE NOT NULL) ENGINE=InnoDB
                """;
            create.ExecuteNonQuery();
        }
        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM {table}";
        if (Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture) == rows) return;

        Console.WriteLine($"Filling {table} with {rows:N0} rows...");
        using var fill = connection.CreateCommand();
        fill.CommandTimeout = 0;
        fill.CommandText = $"""
            TRUNCATE TABLE {table};
            INSERT INTO {table}
            SELECT seq, seq % 100000, CONCAT('row-', seq, '-', MD5(seq)),
                   TIMESTAMP('2024-01-01') + INTERVAL seq SECOND + INTERVAL (seq % 1000000) MICROSECOND,
                   (seq * 1.25) % 100000000, seq / 7.0
            FROM seq_1_to_{rows.ToString(CultureInfo.InvariantCulture)}
            """;
        fill.ExecuteNonQuery();
    }
}
