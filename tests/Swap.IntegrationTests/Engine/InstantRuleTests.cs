using System.Globalization;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// The planner's rules, one change at a time on each engine: the method it chose (as <c>status</c>
/// reports it), and the table it left (schema and rows), whichever method ran.
/// </summary>
public class InstantRuleTests
{
    private const string Instant = "instant";
    private const string Copy = "copy";

    public static TheoryData<DatabaseEngine, string, string> Rules()
    {
        var data = new TheoryData<DatabaseEngine, string, string>();
        //                      rule              PostgreSQL  MariaDB   SQLite
        foreach (var (rule, pg, my, lite) in new[]
        {
            ("add-with-default", Instant, Instant, Instant),
            ("add-in-the-middle", Copy, Instant, Copy),
            ("drop-column", Instant, Instant, Copy),
            ("set-default", Instant, Instant, Copy),
            ("drop-not-null", Instant, Copy, Copy),
            ("change-type", Copy, Copy, Copy),
            ("widen-varchar", Instant, Copy, Copy),
        })
        {
            data.Add(DatabaseEngine.PostgreSql, rule, pg);
            data.Add(DatabaseEngine.MySql, rule, my);
            data.Add(DatabaseEngine.Sqlite, rule, lite);
        }
        // ALTER TYPE fails on a column a view uses: with any view on the table the planner copies instead.
        data.Add(DatabaseEngine.PostgreSql, "widen-varchar-under-a-view", Copy);
        return data;
    }

    private static string Change(string rule) => rule switch
    {
        "add-with-default" => "items.AddColumn(DbColumn.Int(\"score\").NotNull().SetDefault(5));",
        "add-in-the-middle" => "items.AddColumn(DbColumn.String(\"note\", 20), after: \"k\");",
        "drop-column" => "items.DropColumn(\"n\");",
        "set-default" => "items.GetColumn(\"v\").SetDefault(\"none\");",
        "drop-not-null" => "items.GetColumn(\"n\").SetNullable(true);",
        "change-type" => "items.GetColumn(\"k\").SetType(ColumnType.BigInt);",
        "widen-varchar" or "widen-varchar-under-a-view" => "items.GetColumn(\"v\").SetType(ColumnType.String(200));",
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task The_planner_picks_the_method_of_its_rule_and_the_table_ends_as_asked(DatabaseEngine engine, string rule, string method)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 100);
        if (rule == "widen-varchar-under-a-view")
            await target.ExecuteAsync("CREATE VIEW items_v AS SELECT id, k FROM items");
        target.CSharp("20261201000000_MigrateItems", $$"""
            public sealed class MigrateItems : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var items = await db.UseTableForAlterAsync("items");
                    {{Change(rule)}}
                    await db.DoneUsingTablesAsync("items");
                }
            }
            """);
        var options = new MigratorOptions();
        options.Sources.Add(MigrationSource.Folder(Path.Combine(target.Folder, "migrations")));

        await new Migrator(target.Database(), options).UpAsync();

        var recorded = (await new Migrator(target.Database(), options).StatusAsync()).Scripts.Single().Methods.Single();
        Assert.StartsWith(method == Instant ? "items: instant: " : "copy-and-swap of items: ", recorded, StringComparison.Ordinal);
        Assert.Equal(100, await target.CountAsync("items", "k = id * 7 % 1000"));
        var columns = await ColumnsAsync(target);
        switch (rule)
        {
            case "add-with-default":
                Assert.Equal(["id", "k", "v", "n", "score"], columns.Select(c => c.Name));
                Assert.False(columns[4].Nullable);
                Assert.Equal(100, await target.CountAsync("items", "score = 5"));
                break;
            case "add-in-the-middle":
                Assert.Equal(["id", "k", "note", "v", "n"], columns.Select(c => c.Name));
                Assert.Equal(100, await target.CountAsync("items", "note IS NULL"));
                break;
            case "drop-column":
                Assert.Equal(["id", "k", "v"], columns.Select(c => c.Name));
                break;
            case "set-default":
                await target.ExecuteAsync("INSERT INTO items (id, k, n) VALUES (1000, 0, 0)");
                Assert.Equal("none", await target.ScalarAsync("SELECT v FROM items WHERE id = 1000"));
                break;
            case "drop-not-null":
                Assert.True(columns.Single(c => c.Name == "n").Nullable);
                await target.ExecuteAsync("UPDATE items SET n = NULL WHERE id = 1");
                break;
            case "widen-varchar" or "widen-varchar-under-a-view":
                await target.ExecuteAsync("UPDATE items SET v = @v WHERE id = 1", new { v = new string('x', 150) });
                Assert.Equal(150, (await target.ScalarAsync("SELECT v FROM items WHERE id = 1") as string)!.Length);
                Assert.Equal(99, await target.CountAsync("items", "v LIKE 'v%'"));
                break;
            case "change-type":
                await target.ExecuteAsync("UPDATE items SET k = 5000000000 WHERE id = 1");
                Assert.Equal(5_000_000_000L, Convert.ToInt64(await target.ScalarAsync("SELECT k FROM items WHERE id = 1"), CultureInfo.InvariantCulture));
                break;
        }
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    private static async Task<IReadOnlyList<Swap.Engine.Schema.ColumnSchema>> ColumnsAsync(TestTarget target)
    {
        var database = target.Database();
        await using var c = await database.OpenConnectionAsync(CancellationToken.None);
        return (await database.TableEngine.LoadTableAsync(c, null, "items", CancellationToken.None))!.Columns;
    }
}
