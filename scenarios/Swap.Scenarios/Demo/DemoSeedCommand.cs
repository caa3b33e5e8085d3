using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Swap.Sqlite;

namespace Swap.Scenarios.Demo;

/// <summary>
/// <c>demo-seed &lt;file.db&gt; [--rows N] [--seed S]</c>: a fresh SQLite database with a
/// <c>customers</c> table of realistic rows, for the Demo build target and for trying Swap.
/// </summary>
internal static class DemoSeedCommand
{
    private const string Usage = "usage: demo-seed <file.db> [--rows N] [--seed S]";

    private const string CreateTable = """
        CREATE TABLE customers (
            id            INTEGER PRIMARY KEY,
            first_name    TEXT NOT NULL,
            last_name     TEXT NOT NULL,
            email         TEXT NOT NULL UNIQUE,
            country       TEXT NOT NULL,
            city          TEXT NOT NULL,
            signed_up_at  TEXT NOT NULL,
            orders_count  INTEGER NOT NULL,
            total_spent   REAL NOT NULL,
            last_order_at TEXT NULL
        )
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var path, out var rows, out var seed))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        if (File.Exists(path))
        {
            Console.Error.WriteLine($"{path} already exists; demo-seed only creates new databases.");
            return 1;
        }
        var watch = Stopwatch.StartNew();
        await SeedAsync(path, rows, seed, cts.Token);
        Console.WriteLine($"Created {path}: {rows:N0} customers (seed {seed}) in {watch.Elapsed.TotalSeconds:0.0} s.");
        return 0;
    }

    private static async Task SeedAsync(string path, int rows, int seed, CancellationToken cancellationToken)
    {
        var database = new SqliteDatabase(path);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using (var create = connection.CreateCommand())
        {
            // WAL, as docs/operating-online-swaps.md recommends: readers and the swap never wait for each other.
            create.CommandText = "PRAGMA journal_mode = WAL; " + CreateTable;
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT INTO customers (id, first_name, last_name, email, country, city, signed_up_at, orders_count, total_spent, last_order_at)
            VALUES (@id, @first, @last, @email, @country, @city, @signed, @orders, @spent, @lastOrder)
            """;
        var p = new[] { "id", "first", "last", "email", "country", "city", "signed", "orders", "spent", "lastOrder" }
            .ToDictionary(n => n, n => AddParameter(insert, n));
        foreach (var c in CustomerFaker.Create(seed).GenerateLazy(rows))
        {
            p["id"].Value = c.Id;
            p["first"].Value = c.FirstName;
            p["last"].Value = c.LastName;
            p["email"].Value = c.Email;
            p["country"].Value = c.Country;
            p["city"].Value = c.City;
            p["signed"].Value = Iso(c.SignedUpAt);
            p["orders"].Value = c.OrdersCount;
            p["spent"].Value = c.TotalSpent;
            p["lastOrder"].Value = c.LastOrderAt is { } at ? Iso(at) : DBNull.Value;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
    }

    private static DbParameter AddParameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static bool TryParse(string[] args, out string path, out int rows, out int seed)
    {
        (path, rows, seed) = ("", 10_000, 20261121);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rows" when i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out var r) && r > 0:
                    rows = r;
                    break;
                case "--seed" when i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out var s):
                    seed = s;
                    break;
                case var a when !a.StartsWith('-') && path.Length == 0:
                    path = a;
                    break;
                default:
                    return false;
            }
        }
        return path.Length > 0;
    }
}
