using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// MySQL's <c>MODIFY</c> / <c>CHANGE</c> restate the whole column: what the clause leaves out
/// (AUTO_INCREMENT, ON UPDATE, INVISIBLE, COMMENT, the column's own CHECK, a character set of its
/// own, NOT NULL, DEFAULT) is gone, and what it restates stays. Each clause runs natively on a twin
/// and through Swap on items; SHOW CREATE TABLE and the rows must match. Before: Swap kept every
/// attribute the clause left out (gh-ost's modify-change-case-pk kept AUTO_INCREMENT).
/// </summary>
public class OnlineSqlRestatementTests
{
    private const string Columns = """
        id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        ts TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
        c VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_bin NOT NULL DEFAULT 'x' COMMENT 'hello',
        h INT INVISIBLE,
        k INT CHECK (k > 0),
        n INT NOT NULL DEFAULT 0,
        g INT AS (k + 1) VIRTUAL
        """;

    [Theory]
    [InlineData("MODIFY id BIGINT NOT NULL")]
    [InlineData("CHANGE id ID BIGINT NOT NULL")]
    [InlineData("MODIFY id INT NOT NULL")]
    [InlineData("MODIFY id BIGINT NOT NULL AUTO_INCREMENT")]
    [InlineData("MODIFY ts TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP")]
    [InlineData("MODIFY ts TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP")]
    [InlineData("MODIFY ts TIMESTAMP NOT NULL DEFAULT '2021-01-01 00:00:00' ON UPDATE CURRENT_TIMESTAMP")]
    [InlineData("MODIFY c VARCHAR(10) NOT NULL DEFAULT 'x'")]
    [InlineData("MODIFY c VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_bin NOT NULL DEFAULT 'x'")]
    [InlineData("CHANGE c c2 VARCHAR(20) CHARACTER SET latin1 COLLATE latin1_bin NOT NULL DEFAULT 'x' COMMENT 'hello'")]
    [InlineData("MODIFY h INT")]
    [InlineData("MODIFY h BIGINT INVISIBLE")]
    [InlineData("MODIFY k INT")]
    [InlineData("MODIFY k BIGINT CHECK (k > 0)")]
    [InlineData("MODIFY n INT")]
    [InlineData("MODIFY n INT NOT NULL")]
    public async Task The_column_is_what_the_native_alter_leaves(string clause)
    {
        await using var target = await TwinsAsync();
        await target.ExecuteAsync($"ALTER TABLE twin {clause}");
        target.WriteFile(Path.Combine("migrations", "20260101000000_Restate.sql"), $"-- swap:online\nALTER TABLE items {clause};\n");

        var result = await EngineKit.Migrator(target).UpAsync();

        Assert.Single(result.Applied);
        Assert.Equal(await OnlineSqlAutoIncrementTests.DefinitionAsync(target, "twin"), await OnlineSqlAutoIncrementTests.DefinitionAsync(target, "items"));
        Assert.Equal(await RowsAsync(target, "twin"), await RowsAsync(target, "items"));
        Assert.Equal(300, (await RowsAsync(target, "items")).Count);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>
    /// A C# script changing the default of a column with ON UPDATE CURRENT_TIMESTAMP keeps its ON
    /// UPDATE: the instant plan's ALTER COLUMN ... SET DEFAULT dropped it on MariaDB (the column
    /// stopped tracking updates, silently).
    /// </summary>
    [Fact]
    public async Task A_default_changed_from_csharp_keeps_the_columns_on_update()
    {
        await using var target = await TwinsAsync();
        await target.ExecuteAsync("ALTER TABLE twin MODIFY ts TIMESTAMP NOT NULL DEFAULT '2021-01-01 00:00:00' ON UPDATE CURRENT_TIMESTAMP");
        target.WriteFile(Path.Combine("migrations", "20260101000000_Default.cs"), """
            public sealed class Default : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var items = await db.UseTableForAlterAsync("items");
                    items.GetColumn("ts").SetDefaultSql("'2021-01-01 00:00:00'");
                    await db.DoneUsingTablesAsync("items");
                }
            }
            """);

        var result = await EngineKit.Migrator(target).UpAsync();

        Assert.Single(result.Applied);
        Assert.Equal(await OnlineSqlAutoIncrementTests.DefinitionAsync(target, "twin"), await OnlineSqlAutoIncrementTests.DefinitionAsync(target, "items"));
        await target.ExecuteAsync("UPDATE items SET n = n + 1 WHERE id = 1");
        Assert.Equal(0L, await target.CountAsync("items", "id = 1 AND ts = '2020-01-02 03:04:05'"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>MariaDB refuses MODIFY g INT on a generated column (1907); Swap refuses it too rather than keep the expression, and changes nothing.</summary>
    [Fact]
    public async Task A_generated_column_restated_without_its_expression_is_refused()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync($"CREATE TABLE items ({Columns}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
        await target.ExecuteAsync("INSERT INTO items (ts, c, h, k, n) SELECT '2020-01-02 03:04:05', CONCAT('c', seq), seq * 2, seq, seq % 7 FROM seq_1_to_30");
        var before = await OnlineSqlAutoIncrementTests.DefinitionAsync(target, "items");
        target.WriteFile(Path.Combine("migrations", "20260101000000_Restate.sql"), "-- swap:online\nALTER TABLE items MODIFY g BIGINT;\n");

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains("'MODIFY g BIGINT' restates generated column g without its expression (AS (...)); MySQL/MariaDB refuse this too. Restate the expression, or drop the column and add a plain one", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, await OnlineSqlAutoIncrementTests.DefinitionAsync(target, "items"));
        Assert.Equal(30, await target.CountAsync("items", "g = k + 1"));
    }

    /// <summary>A MariaDB target with items and its twin, alike, 300 rows each.</summary>
    private static async Task<TestTarget> TwinsAsync()
    {
        var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        foreach (var table in new[] { "items", "twin" })
        {
            await target.ExecuteAsync($"CREATE TABLE {table} ({Columns}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
            await target.ExecuteAsync($"INSERT INTO {table} (ts, c, h, k, n) SELECT '2020-01-02 03:04:05', CONCAT('c', seq), seq * 2, seq, seq % 7 FROM seq_1_to_300");
        }
        return target;
    }

    private static async Task<List<string>> RowsAsync(TestTarget target, string table)
    {
        // h is invisible in some cases: name every column; c may be c2.
        var c = (await target.ScalarAsync($"SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{table}' AND COLUMN_NAME LIKE 'c%'"))!.ToString();
        var rows = await target.QueryAsync($"SELECT CONCAT_WS('|', id, ts, `{c}`, h, k, n, g) AS r FROM `{table}` ORDER BY id");
        return [.. rows.Select(r => r.String("r")!)];
    }
}
