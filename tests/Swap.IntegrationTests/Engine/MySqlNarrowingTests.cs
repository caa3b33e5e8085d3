using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// A DECIMAL of fewer places rounds the values stored in it, as a native ALTER does; verification
/// compares the original's values rounded the same way, so the swap goes through.
/// </summary>
public class MySqlNarrowingTests
{
    [Fact]
    public async Task A_decimal_of_fewer_places_takes_the_rounded_values_and_verifies()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE p (id INT PRIMARY KEY, price DECIMAL(10,4) NULL) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO p VALUES (1, 9.9999), (2, 1.2345), (3, -0.0050), (4, NULL)");
        target.WriteFile(Path.Combine("migrations", "20260101000000_NarrowPrice.cs"), """
            public sealed class NarrowPrice : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var p = await db.UseTableForAlterAsync("p");
                    p.GetColumn("price").SetType(ColumnType.Decimal(10, 2));
                    p.ForceCopy();
                    await db.DoneUsingTablesAsync("p");
                }
            }
            """);

        var result = await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync();

        Assert.Equal(["NarrowPrice"], result.Applied.Select(a => a.Id));
        var rows = await target.QueryAsync("SELECT id, CAST(price AS CHAR) AS price FROM p ORDER BY id");
        Assert.Equal(["1 10.00", "2 1.23", "3 -0.01", "4 "], rows.Select(r => $"{r.Int64("id")} {r.String("price")}").ToList());
        Assert.Equal("decimal(10,2)", await target.ScalarAsync("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'p' AND COLUMN_NAME = 'price'"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>Table p: a DECIMAL(10,2) price and a DOUBLE ratio, with these rows.</summary>
    private static async Task PricesAsync(TestTarget target, string values)
    {
        await target.ExecuteAsync("CREATE TABLE p (id INT PRIMARY KEY, price DECIMAL(10,2) NULL, ratio DOUBLE NULL) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO p VALUES " + values);
    }

    [Fact]
    public async Task A_float_column_from_a_decimal_or_double_takes_the_nearest_single_precision_values_and_verifies()
    {
        // A FLOAT keeps about 7 digits: 0.14 is stored as 0.14000000059604645, which verification
        // compared with 0.14 and stopped the swap with exit 8 (a native ALTER simply stores it).
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await PricesAsync(target, "(1, 0.14, 0.14), (2, 12345678.91, 1e30), (3, -2.50, -1.0000001), (4, 0, 0), (5, NULL, NULL)");
        target.Sql("20260101000000_price_to_float", """
            -- swap:online
            ALTER TABLE p MODIFY price FLOAT NULL, MODIFY ratio FLOAT NULL;
            """);

        var run = await SwapCli.RunAsync(target, "up", "--always-copy");

        Assert.True(run.ExitCode == 0, run.ToString());
        // As the server stores them, and as a native ALTER would.
        await target.ExecuteAsync("CREATE TABLE q (id INT PRIMARY KEY, price FLOAT NULL, ratio FLOAT NULL) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO q VALUES (1, 0.14, 0.14), (2, 12345678.91, 1e30), (3, -2.50, -1.0000001), (4, 0, 0), (5, NULL, NULL)");
        Assert.Equal(0L, await target.ScalarAsync("SELECT COUNT(*) FROM p JOIN q USING (id) WHERE NOT (p.price <=> q.price AND p.ratio <=> q.ratio)"));
        Assert.Equal("float", await target.ScalarAsync("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'p' AND COLUMN_NAME = 'price'"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task An_integer_column_from_a_decimal_or_double_takes_the_rounded_values_and_verifies()
    {
        // Storing 0.14 in an INT stores 0, as a native ALTER does; verification compared 0.14 with 0
        // and stopped the swap with exit 8.
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await PricesAsync(target, "(1, 0.14, 0.14), (2, 2.50, 2.5), (3, -2.50, -2.5), (4, 3.50, 3.5), (5, NULL, NULL), (6, 7.00, 7)");
        target.WriteFile(Path.Combine("migrations", "20260101000000_PriceToInt.cs"), """
            public sealed class PriceToInt : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var p = await db.UseTableForAlterAsync("p");
                    p.GetColumn("price").SetType(ColumnType.Int);
                    p.GetColumn("ratio").SetType(ColumnType.BigInt);
                    await db.DoneUsingTablesAsync("p");
                }
            }
            """);

        var result = await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync();

        Assert.Equal(["PriceToInt"], result.Applied.Select(a => a.Id));
        // As the server stores them: a DECIMAL rounds half away from zero, a DOUBLE half to even.
        var rows = await target.QueryAsync("SELECT id, CAST(price AS CHAR) AS price, CAST(ratio AS CHAR) AS ratio FROM p ORDER BY id");
        Assert.Equal(["1 0 0", "2 3 2", "3 -3 -2", "4 4 4", "5  ", "6 7 7"], rows.Select(r => $"{r.Int64("id")} {r.String("price")} {r.String("ratio")}").ToList());
        Assert.Equal("int(11)", await target.ScalarAsync("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'p' AND COLUMN_NAME = 'price'"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task A_text_column_changes_character_set_and_collation_and_keeps_its_characters()
    {
        // The copy kept the old collation beside the new one (1302, exit 1); then verification
        // compared latin1 bytes with utf8mb4 bytes (exit 8).
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE cs (id INT PRIMARY KEY, name VARCHAR(50) CHARACTER SET latin1 NOT NULL) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO cs VALUES (1, 'café'), (2, 'naïve'), (3, 'plain'), (4, 'Ärger')");
        target.WriteFile(Path.Combine("migrations", "20260101000000_NameToUtf8.cs"), """
            public sealed class NameToUtf8 : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var t = await db.UseTableForAlterAsync("cs");
                    t.GetColumn("name").SetType(ColumnType.NativeType("VARCHAR(60) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"));
                    await db.DoneUsingTablesAsync("cs");
                }
            }
            """);

        var result = await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync();

        Assert.Equal(["NameToUtf8"], result.Applied.Select(a => a.Id));
        var rows = await target.QueryAsync("SELECT id, name, HEX(name) AS h FROM cs ORDER BY id");
        Assert.Equal(["1 café 636166C3A9", "2 naïve 6E61C3AF7665", "3 plain 706C61696E", "4 Ärger C38472676572"], rows.Select(r => $"{r.Int64("id")} {r.String("name")} {r.String("h")}").ToList());
        Assert.Equal("utf8mb4_bin", await target.ScalarAsync("SELECT COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'cs' AND COLUMN_NAME = 'name'"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }
}
