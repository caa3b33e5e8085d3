using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// Generated columns, stored and virtual: kept in the copy's definition, never copied as values
/// (the copy computes them), a new one added and an expression changed by a swap, all under
/// concurrent writes and compared with the oracle. PostgreSQL 15 has stored ones only.
/// </summary>
public class GeneratedColumnTests
{
    private const string AddScript = """
        using Swap.Engine;
        public sealed class MigrateItems : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var items = await db.UseTableForAlterAsync("items");
                items.AddColumn(DbColumn.String("flag", 10).FillWith("CASE WHEN k % 2 = 0 THEN 'even' ELSE 'odd' END"), after: "k");
                items.AddColumn(DbColumn.BigInt("k3").GeneratedAs("k * 3", stored: items.Engine == DatabaseEngine.PostgreSql));
                items.AddIndex(DbIndex.Create("k2"));
                await db.DoneUsingTablesAsync("items");
            }
        }
        """;

    private const string ChangeScript = """
        using Swap.Engine;
        public sealed class RegenerateK2 : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var items = await db.UseTableForAlterAsync("items");
                items.GetColumn("k2").GeneratedAs("k * 5");
                await db.DoneUsingTablesAsync("items");
            }
        }
        """;

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task Generated_columns_are_computed_by_the_copy_added_and_rebuilt_under_concurrent_writes(DatabaseEngine engine)
    {
        const int rows = 3000;
        await using var target = await TestTarget.CreateAsync(engine);
        await CreateAsync(target, rows);
        EngineKit.WriteSwapScript(target, AddScript);

        var (first, writer) = await WritesDuringSwap.RunAsync(target, rows, c => EngineKit.Migrator(target, c));

        Assert.Equal(["MigrateItems"], first.Applied.Select(a => a.Id));
        OracleWriter.AssertMatches(writer.Oracle, writer.Inserted, await EngineKit.ReadItemsAsync(target));
        Assert.Equal(0L, await WrongAsync(target, 2));
        Assert.Equal(writer.Oracle.Count, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM items WHERE k3 = k * 3")));
        Assert.Equal(engine == DatabaseEngine.PostgreSql ? ["k2 stored", "k3 stored", "vlen stored"] : ["k2 stored", "k3 virtual", "vlen virtual"], await GeneratedAsync(target));

        // A changed expression: the copy computes every row again.
        EngineKit.WriteSwapScript(target, ChangeScript, "20260102000000_RegenerateK2.cs");
        var now = (await EngineKit.ReadItemsAsync(target)).ToDictionary(r => r.Id, r => r with { Flag = null });
        var (second, again) = await WritesDuringSwap.RunAsync(target, now.Count, c => EngineKit.Migrator(target, c), seed: 11, initial: now, idOffset: 1_000_000_000);

        Assert.Equal(["RegenerateK2"], second.Applied.Select(a => a.Id));
        OracleWriter.AssertMatches(again.Oracle, new HashSet<long>(again.Oracle.Keys), await EngineKit.ReadItemsAsync(target));
        Assert.Equal(0L, await WrongAsync(target, 5));
        Assert.Equal(engine == DatabaseEngine.PostgreSql ? ["k2 stored", "k3 stored", "vlen stored"] : ["k2 stored", "k3 virtual", "vlen virtual"], await GeneratedAsync(target));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task A_virtual_generated_column_is_refused_on_postgresql_with_what_to_do()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 100);
        EngineKit.WriteSwapScript(target, AddScript.Replace("stored: items.Engine == DatabaseEngine.PostgreSql", "stored: false", StringComparison.Ordinal).Replace("items.AddIndex(DbIndex.Create(\"k2\"));", "", StringComparison.Ordinal));
        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());
        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains("Column 'k3' is a virtual generated column; PostgreSQL 15 has stored generated columns only. Use GeneratedAs(\"...\", stored: true).", e.Message, StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>items with a stored k2 = k * 2 and vlen = length(v) (virtual where the engine has virtual columns).</summary>
    private static async Task CreateAsync(TestTarget target, int rows)
    {
        switch (target.Engine)
        {
            case DatabaseEngine.MySql:
                await EngineKit.CreateItemsAsync(target, rows);
                await target.ExecuteAsync("ALTER TABLE items ADD COLUMN k2 BIGINT AS (k * 2) STORED, ADD COLUMN vlen INT AS (CHAR_LENGTH(v)) VIRTUAL");
                break;
            case DatabaseEngine.PostgreSql:
                await EngineKit.CreateItemsAsync(target, rows);
                await target.ExecuteAsync("ALTER TABLE items ADD COLUMN k2 BIGINT GENERATED ALWAYS AS (k * 2) STORED, ADD COLUMN vlen INT GENERATED ALWAYS AS (length(v)) STORED");
                break;
            default:
                // SQLite adds only virtual columns with ALTER TABLE: a stored one comes with the table.
                await EngineKit.CreateItemsAsync(target, rows, "items_src");
                await target.ExecuteAsync("CREATE TABLE items (id INTEGER NOT NULL PRIMARY KEY, k INT NOT NULL, v TEXT NULL, n INT NOT NULL DEFAULT 0, k2 INT GENERATED ALWAYS AS (k * 2) STORED, vlen INT GENERATED ALWAYS AS (length(v)) VIRTUAL)");
                await target.ExecuteAsync("INSERT INTO items (id, k, v, n) SELECT id, k, v, n FROM items_src");
                await target.ExecuteAsync("DROP TABLE items_src");
                break;
        }
    }

    /// <summary>Rows whose generated values are not what their expressions give.</summary>
    private static async Task<long> WrongAsync(TestTarget target, int factor)
    {
        var length = target.Engine == DatabaseEngine.MySql ? "CHAR_LENGTH(v)" : "length(v)";
        return Convert.ToInt64(await target.ScalarAsync($"SELECT COUNT(*) FROM items WHERE k2 IS NULL OR k2 <> k * {factor} OR NOT (vlen = {length} OR (vlen IS NULL AND v IS NULL))"));
    }

    /// <summary>The generated columns as the catalog reports them: "name stored|virtual".</summary>
    private static async Task<List<string>> GeneratedAsync(TestTarget target)
    {
        var database = target.Database();
        await using var c = await database.OpenConnectionAsync(default);
        var schema = await database.TableEngine.LoadTableAsync(c, null, "items", default);
        return schema!.Columns.Where(x => x.Generated is not null)
            .Select(x => $"{x.Name} {x.Extra.GetValueOrDefault("generated") ?? "stored"}").Order(StringComparer.Ordinal).ToList();
    }
}
