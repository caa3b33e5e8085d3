using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// A column the script retypes is restated on the copy with <c>MODIFY COLUMN</c>, carrying the
/// default SHOW CREATE TABLE prints for it, and its invisibility. An expression default is printed in parentheses
/// (always on MySQL 8: <c>DEFAULT (uuid())</c>; on MariaDB for an operator: <c>DEFAULT (1 + 2)</c>)
/// or as a bare function call (MariaDB: <c>DEFAULT concat('a',')')</c>); both must reach the new table.
/// </summary>
public class MySqlExpressionDefaultTests
{
    [Fact]
    public async Task A_retyped_column_keeps_its_expression_default_through_the_copy()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE d (id INT PRIMARY KEY, n INT NULL DEFAULT (1 + 2), code VARCHAR(20) NULL DEFAULT (concat('a', ')')), note VARCHAR(10) NULL) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO d (id, n, code, note) VALUES (1, 7, 'x', 'kept'), (2, NULL, NULL, NULL)");
        WriteCopy(target, "WidenDefaults", "d", """t.GetColumn("n").SetType(ColumnType.BigInt); t.GetColumn("code").SetType(ColumnType.String(40));""");

        var result = await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync();

        Assert.Equal(["WidenDefaults"], result.Applied.Select(a => a.Id));
        await target.ExecuteAsync("INSERT INTO d (id, note) VALUES (3, 'new')");
        var rows = await target.QueryAsync("SELECT id, n, code, note FROM d ORDER BY id");
        Assert.Equal(["1 7 x kept", "2   ", "3 3 a) new"], rows.Select(r => $"{r.Int64("id")} {r.Int64("n")} {r.String("code")} {r.String("note")}").ToList());
        var columns = await target.QueryAsync("SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'd' AND COLUMN_NAME IN ('n', 'code') ORDER BY COLUMN_NAME");
        Assert.Equal(["code varchar(40)", "n bigint(20)"], columns.Select(r => $"{r.String("COLUMN_NAME")} {r.String("COLUMN_TYPE")}").ToList());
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task A_retyped_invisible_column_stays_invisible()
    {
        // MariaDB 10.3+ and MySQL 8.0.23+: SELECT * and an INSERT without a column list leave it out;
        // a MODIFY that does not say INVISIBLE again makes it visible, and the application's
        // column-less INSERTs fail after the swap (1136).
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE h (id INT PRIMARY KEY, v VARCHAR(10) NULL, secret INT NULL DEFAULT 5 INVISIBLE) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO h (id, v, secret) VALUES (1, 'a', 10), (2, 'b', NULL)");
        WriteCopy(target, "WidenSecret", "h", """t.GetColumn("secret").SetType(ColumnType.BigInt);""");

        await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync();

        await target.ExecuteAsync("INSERT INTO h VALUES (3, 'c')");
        var star = await target.QueryAsync("SELECT * FROM h ORDER BY id");
        Assert.Equal(["id", "v"], star[0].Columns);
        var rows = await target.QueryAsync("SELECT id, v, secret FROM h ORDER BY id");
        Assert.Equal(["1 a 10", "2 b ", "3 c 5"], rows.Select(r => $"{r.Int64("id")} {r.String("v")} {r.Int64("secret")}").ToList());
        Assert.Equal("bigint(20) INVISIBLE", await target.ScalarAsync("SELECT CONCAT(COLUMN_TYPE, ' ', EXTRA) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'h' AND COLUMN_NAME = 'secret'"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>A migration <paramref name="name"/> that changes <paramref name="table"/> (as <c>t</c>) through a copy.</summary>
    private static void WriteCopy(TestTarget target, string name, string table, string change) =>
        target.WriteFile(Path.Combine("migrations", $"20260101000000_{name}.cs"), $$"""
            public sealed class {{name}} : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var t = await db.UseTableForAlterAsync("{{table}}");
                    {{change}}
                    t.ForceCopy();
                    await db.DoneUsingTablesAsync("{{table}}");
                }
            }
            """);
}
