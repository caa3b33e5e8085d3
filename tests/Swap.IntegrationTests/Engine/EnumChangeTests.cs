using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// An enum column given other values (<c>SetType(ColumnType.Enum(...))</c>) on a table the schema
/// builder made: the copy takes the new list of values in place of the old one, and the way back
/// restores it.
/// </summary>
public class EnumChangeTests
{
    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task An_enum_given_another_value_takes_it_and_a_down_takes_it_back(DatabaseEngine engine)
    {
        await using var target = await ArrangeAsync(engine, "MigratePaid", "ColumnType.Enum(\"draft\", \"sent\", \"paid\")");

        var up = await SwapCli.RunAsync(target, "up");

        Assert.True(up.ExitCode == 0, up.ToString());
        await target.ExecuteAsync("INSERT INTO orders (id, status) VALUES (3, 'paid')");
        Assert.Equal(["1|sent", "2|draft", "3|paid"], await RowsAsync(target));
        await Assert.ThrowsAnyAsync<Exception>(() => target.ExecuteAsync("INSERT INTO orders (id, status) VALUES (4, 'lost')"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));

        await target.ExecuteAsync("DELETE FROM orders WHERE id = 3");
        var down = await SwapCli.RunAsync(target, "down");

        Assert.True(down.ExitCode == 0, down.ToString());
        await Assert.ThrowsAnyAsync<Exception>(() => target.ExecuteAsync("INSERT INTO orders (id, status) VALUES (3, 'paid')"));
        Assert.Equal(["1|sent", "2|draft"], await RowsAsync(target));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task An_enum_made_a_string_takes_any_value_and_a_down_limits_it_again(DatabaseEngine engine)
    {
        // PostgreSQL and SQLite keep an enum as text with a CHECK on its values: that CHECK is the
        // type's and goes with it (it stayed, and the string column still refused every new value).
        await using var target = await ArrangeAsync(engine, "MigrateFreeStatus", "ColumnType.String(20)");

        var up = await SwapCli.RunAsync(target, "up");

        Assert.True(up.ExitCode == 0, up.ToString());
        await target.ExecuteAsync("INSERT INTO orders (id, status) VALUES (3, 'refunded')");
        Assert.Equal(["1|sent", "2|draft", "3|refunded"], await RowsAsync(target));
        Assert.Empty(await EngineKit.LeftoversAsync(target));

        await target.ExecuteAsync("DELETE FROM orders WHERE id = 3");
        var down = await SwapCli.RunAsync(target, "down");

        Assert.True(down.ExitCode == 0, down.ToString());
        await Assert.ThrowsAnyAsync<Exception>(() => target.ExecuteAsync("INSERT INTO orders (id, status) VALUES (3, 'refunded')"));
        Assert.Equal(["1|sent", "2|draft"], await RowsAsync(target));
    }

    /// <summary>orders with an enum status (draft, sent) and two rows, and a script that gives status <paramref name="newType"/> and whose down gives the enum back.</summary>
    private static async Task<TestTarget> ArrangeAsync(DatabaseEngine engine, string migration, string newType)
    {
        var target = await TestTarget.CreateAsync(engine);
        target.CSharp("20261201000000_MigrateOrders", """
            public sealed class MigrateOrders : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    await db.CreateTableAsync("orders", t => t.Column(DbColumn.Int("id")).Column(DbColumn.Enum("status", "draft", "sent")).PrimaryKey("id"));
                    await db.ExecuteAsync("INSERT INTO orders (id, status) VALUES (1, 'sent'), (2, 'draft')");
                }
            }
            """);
        target.CSharp("20261202000000_" + migration, $$"""
            public sealed class {{migration}} : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var orders = await db.UseTableForAlterAsync("orders");
                    orders.GetColumn("status").SetType({{newType}});
                    await db.DoneUsingTablesAsync("orders");
                }

                public override async Task DownAsync(MigrationContext db)
                {
                    var orders = await db.UseTableForAlterAsync("orders");
                    orders.GetColumn("status").SetType(ColumnType.Enum("draft", "sent"));
                    await db.DoneUsingTablesAsync("orders");
                }
            }
            """);
        return target;
    }

    private static async Task<List<string>> RowsAsync(TestTarget target) =>
        (await target.QueryAsync("SELECT id, status FROM orders ORDER BY id")).Select(r => $"{r.Int64("id")}|{r.String("status")}").ToList();
}
