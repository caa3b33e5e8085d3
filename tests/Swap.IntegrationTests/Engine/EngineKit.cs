using System.Data.Common;
using System.Globalization;
using Swap.Data;
using Swap.Discovery;
using Swap.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>The engines a copy-and-swap test runs on.</summary>
public static class SwapEngines
{
    public static TheoryData<DatabaseEngine> All => new() { DatabaseEngine.Sqlite, DatabaseEngine.PostgreSql, DatabaseEngine.MySql };

    /// <summary>Engines where the application keeps writing during the copy (triggers, chunks, bounded cut-over).</summary>
    public static TheoryData<DatabaseEngine> Online => new() { DatabaseEngine.PostgreSql, DatabaseEngine.MySql };
}

/// <summary>One row of the test table <c>items(id, k, v, n)</c>, plus the swapped-in <c>flag</c>.</summary>
public sealed record ItemRow(long Id, long K, string? V, long N, string? Flag = null);

/// <summary>Builds, migrates and reads the <c>items</c> table the engine tests use.</summary>
public static class EngineKit
{
    /// <summary>The migration every swap test applies: a filled column at a position, an index, a new default.</summary>
    public const string SwapScript = """
        public sealed class MigrateItems : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var items = await db.UseTableForAlterAsync("items");
                items.AddColumn(DbColumn.String("flag", 10).FillWith("CASE WHEN k % 2 = 0 THEN 'even' ELSE 'odd' END"), after: "k");
                items.AddIndex(DbIndex.Create("flag"));
                items.GetColumn("v").SetDefault("none");
                await db.DoneUsingTablesAsync("items");
            }
        }
        """;

    /// <summary>The swap script's filled column and index, an optional key change, and <c>PartitionBy</c>.</summary>
    public static string PartitionByScript(string partitioning, string key) => $$"""
        using Swap.Engine;
        public sealed class MigrateItems : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var items = await db.UseTableForAlterAsync("items");
                items.AddColumn(DbColumn.String("flag", 10).FillWith("CASE WHEN k % 2 = 0 THEN 'even' ELSE 'odd' END"), after: "k");
                items.AddIndex(DbIndex.Create("flag"));
                {{key}}
                items.PartitionBy({{partitioning}});
                await db.DoneUsingTablesAsync("items");
            }
        }
        """;

    public static string Flag(long k) => k % 2 == 0 ? "even" : "odd";

    /// <summary>
    /// Creates <c>items</c> with <paramref name="rows"/> rows: id 1..n (step 1), k = id * 7 % 1000, v = 'v' || id, n = 0.
    /// Without <paramref name="primaryKey"/>, <c>id</c> is NOT NULL with no index (the caller adds the key it wants).
    /// </summary>
    public static async Task CreateItemsAsync(TestTarget target, int rows, string table = "items", bool primaryKey = true)
    {
        var (idType, textType) = target.Engine switch
        {
            DatabaseEngine.Sqlite => ("INTEGER", "TEXT"),
            _ => ("BIGINT", "VARCHAR(100)"),
        };
        var engineClause = target.Engine == DatabaseEngine.MySql ? " ENGINE=InnoDB" : "";
        await target.ExecuteAsync($"CREATE TABLE {table} (id {idType} NOT NULL{(primaryKey ? " PRIMARY KEY" : "")}, k INT NOT NULL, v {textType} NULL, n INT NOT NULL DEFAULT 0){engineClause}");
        var insert = target.Engine switch
        {
            DatabaseEngine.MySql => $"INSERT INTO {table} (id, k, v, n) SELECT seq, seq * 7 % 1000, CONCAT('v', seq), 0 FROM seq_1_to_{rows}",
            DatabaseEngine.PostgreSql => $"INSERT INTO {table} (id, k, v, n) SELECT g, g * 7 % 1000, 'v' || g, 0 FROM generate_series(1, {rows}) g",
            _ => $"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {rows}) INSERT INTO {table} (id, k, v, n) SELECT i, i * 7 % 1000, 'v' || i, 0 FROM s",
        };
        if (rows > 0)
            await target.ExecuteAsync(insert);
    }

    /// <summary>The rows the table started with, as the oracle's starting point.</summary>
    public static Dictionary<long, ItemRow> InitialItems(int rows) =>
        Enumerable.Range(1, rows).ToDictionary(i => (long)i, i => new ItemRow(i, i * 7L % 1000, "v" + i, 0));

    public static async Task<List<ItemRow>> ReadItemsAsync(TestTarget target, string table = "items", bool withFlag = true)
    {
        var rows = await target.QueryAsync($"SELECT id, k, v, n{(withFlag ? ", flag" : "")} FROM {table} ORDER BY id");
        return rows.Select(r => new ItemRow(r.Int64("id")!.Value, r.Int64("k")!.Value, r.String("v"), r.Int64("n")!.Value, withFlag ? r.String("flag") : null)).ToList();
    }

    /// <summary>The migrations folder with the swap script.</summary>
    public static string WriteSwapScript(TestTarget target, string script = SwapScript, string file = "20260101000000_MigrateItems.cs")
    {
        target.WriteFile(Path.Combine("migrations", file), script);
        return Path.Combine(target.Folder, "migrations");
    }

    /// <summary>A migrator over the target's migrations folder with small chunks, so copies span many chunks.</summary>
    public static Migrator Migrator(TestTarget target, Action<MigratorOptions>? configure = null, SwapDatabase? database = null)
    {
        var options = new MigratorOptions();
        options.Sources.Add(MigrationSource.Folder(Path.Combine(target.Folder, "migrations")));
        options.Swap.InitialChunkSize = 200;
        options.Swap.MinChunkSize = 50;
        options.Swap.MaxChunkSize = 500;
        options.Swap.ChunkTargetTime = TimeSpan.FromMilliseconds(20);
        options.RetryDelay = TimeSpan.FromMilliseconds(50);
        configure?.Invoke(options);
        return new Migrator(database ?? target.Database(), options);
    }

    /// <summary>Objects of Swap's own naming left in the target (copies, old tables, triggers, functions) and journal rows.</summary>
    public static async Task<List<string>> LeftoversAsync(TestTarget target)
    {
        var database = target.Database();
        await using var c = await database.OpenConnectionAsync(default);
        var found = (await database.TableEngine.FindLeftoversAsync(c, default)).Select(l => $"{l.Kind} {l.Name}").ToList();
        if (await database.TableExistsAsync(c, "swap_journal", default))
        {
            var journal = System.Convert.ToInt64(await c.ScalarAsync("SELECT COUNT(*) FROM swap_journal WHERE script_id NOT LIKE '%@methods'", default), CultureInfo.InvariantCulture);
            if (journal > 0)
                found.Add($"{journal} journal row(s)");
        }
        return found;
    }

    public static async Task<string?> HistoryStatusAsync(TestTarget target, string scriptId)
    {
        // A first run refused with nothing written leaves no history table: no row either.
        await using (var c = await target.OpenAsync())
        {
            if (!await target.Database().TableExistsAsync(c, "swap_history", CancellationToken.None))
                return null;
        }
        var rows = await target.QueryAsync("SELECT status FROM swap_history WHERE script_id = @id", new { id = scriptId });
        return rows.Count == 0 ? null : rows[0].String("status");
    }
}
