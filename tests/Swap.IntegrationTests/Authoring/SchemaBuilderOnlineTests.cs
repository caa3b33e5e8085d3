using Swap.Data;
using Swap.IntegrationTests.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Authoring;

/// <summary>The builder's index and foreign key on a table at or above <see cref="MigratorOptions.OnlineChangeMinRows"/> go through the online copy-and-swap.</summary>
public class SchemaBuilderOnlineTests
{
    private const string AddIndex = """
        using Swap.Engine;

        public sealed class MigrateIndexItems : Migration
        {
            public override Task UpAsync(MigrationContext db) => db.CreateIndexAsync("items", DbIndex.Create("v"));
        }
        """;

    private const string AddKey = """
        using Swap.Engine;

        public sealed class MigrateKeyItems : Migration
        {
            public MigrateKeyItems() => ExecuteAfter<MigrateIndexItems>();

            public override Task UpAsync(MigrationContext db) => db.AddForeignKeyAsync("items", DbForeignKey.Create("user_id", "users", "id"));
        }
        """;

    private static async Task ArrangeAsync(TestTarget target)
    {
        await target.ExecuteAsync("CREATE TABLE users (id INT NOT NULL PRIMARY KEY)");
        await target.ExecuteAsync("INSERT INTO users (id) VALUES (1), (2), (3)");
        await target.ExecuteAsync("CREATE TABLE items (id INT NOT NULL PRIMARY KEY, user_id INT NOT NULL, v VARCHAR(50) NOT NULL)");
        await using var c = await target.OpenAsync();
        for (var i = 1; i <= 1500; i += 100)
            await c.ExecuteAsync("INSERT INTO items (id, user_id, v) " + string.Join(" UNION ALL ", Enumerable.Range(i, 100).Select(n => $"SELECT {n}, {(n % 3) + 1}, 'v{n % 17}'")), CancellationToken.None);
        await c.ExecuteAsync(target.Engine == DatabaseEngine.MySql ? "ANALYZE TABLE items" : "ANALYZE items", CancellationToken.None);
        target.CSharp("20261118000000_IndexItems", AddIndex);
        target.CSharp("20261119000000_KeyItems", AddKey);
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task An_index_and_a_key_on_a_large_table_are_built_online_and_the_rows_stay(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await ArrangeAsync(target);
        var before = await target.ColumnAsync(Concat(engine));

        // Below the threshold: one statement.
        var small = await EngineKit.Migrator(target).PlanAsync();
        Assert.Equal(["CREATE INDEX " + Q(engine, "ix_items_v") + " ON " + Q(engine, "items") + " (" + Q(engine, "v") + ")"], small.Scripts[0].Steps.SelectMany(s => s.Sql));

        var migrator = EngineKit.Migrator(target, o => o.OnlineChangeMinRows = 1000);
        var plan = await migrator.PlanAsync();
        // Through the engineer's cheapest-path planner: both engines build the index in place, without blocking writes.
        Assert.Contains(plan.Scripts[0].Steps, s => s.Description.StartsWith("items: in place: ", StringComparison.Ordinal) && s.Description.Contains("without blocking writes", StringComparison.Ordinal));
        var keySql = plan.Scripts[1].Steps.SelectMany(st => st.Sql).ToList();
        if (engine == DatabaseEngine.PostgreSql)
        {
            // PostgreSQL adds the key in place without blocking writes: NOT VALID, then VALIDATE.
            Assert.Equal(["ALTER TABLE \"items\" ADD CONSTRAINT \"fk_items_user_id\" FOREIGN KEY (\"user_id\") REFERENCES \"users\" (\"id\") NOT VALID", "ALTER TABLE \"items\" VALIDATE CONSTRAINT \"fk_items_user_id\""], keySql);
        }
        else
        {
            // Through the engineer, which copies for a new foreign key (not one blocking ALTER).
            Assert.Contains(plan.Scripts[1].Steps, st => st.Description.StartsWith("copy-and-swap: items: ", StringComparison.Ordinal) && st.Description.Contains("foreign key", StringComparison.Ordinal));
            Assert.Contains(plan.Scripts[1].Steps, st => st.Description.StartsWith("capture writes to items", StringComparison.Ordinal));
        }

        var result = await migrator.UpAsync();

        Assert.Equal(["MigrateIndexItems", "MigrateKeyItems"], result.Applied.Select(a => a.Id));
        Assert.Equal(before, await target.ColumnAsync(Concat(engine)));
        var database = target.Database();
        await using var c = await database.OpenConnectionAsync(CancellationToken.None);
        var schema = (await database.TableEngine.LoadTableAsync(c, null, "items", CancellationToken.None))!;
        Assert.Contains(schema.Indexes, i => i.Name == "ix_items_v" && i.Columns.Select(x => x.Name).SequenceEqual(["v"]));
        var fk = Assert.Single(schema.ForeignKeys);
        Assert.Equal(("fk_items_user_id", "users"), (fk.Name, fk.ReferencedTable));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    private static string Q(DatabaseEngine engine, string name) => engine == DatabaseEngine.MySql ? $"`{name}`" : $"\"{name}\"";

    private static string Concat(DatabaseEngine engine) =>
        $"SELECT {Scripts.Concat(engine, "CAST(id AS CHAR(10))", "':'", "CAST(user_id AS CHAR(10))", "':'", "v")} FROM items ORDER BY id";
}
