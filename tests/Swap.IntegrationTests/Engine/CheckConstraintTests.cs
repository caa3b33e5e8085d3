using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// CHECK constraints added and dropped online: with the table engineer while the application
/// writes, and with online SQL as users type it. MariaDB and SQLite put a new check on the copy
/// (each chunk's INSERT checks its rows); PostgreSQL adds it NOT VALID and validates it in place.
/// A row that fails it is named by its key and nothing changes (exit 7); a dropped check is a
/// catalog change (MariaDB, PostgreSQL) or a rebuild (SQLite).
/// </summary>
public class CheckConstraintTests
{
    /// <summary>PostgreSQL would add the check in place (no copy to write during): ForceCopy takes its copy path, which a change that also needs a copy takes.</summary>
    private static string AddScript(DatabaseEngine engine) => $$"""
        public sealed class MigrateItems : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var items = await db.UseTableForAlterAsync("items");
                items.AddCheck("ck_items_k", "k BETWEEN 0 AND 999 AND n >= 0"){{(engine == DatabaseEngine.PostgreSql ? ".ForceCopy()" : "")}};
                await db.DoneUsingTablesAsync("items");
            }
        }
        """;

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_check_added_while_the_application_writes_keeps_every_row_and_holds_after(DatabaseEngine engine)
    {
        const int rows = 3000;
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, rows);
        EngineKit.WriteSwapScript(target, AddScript(engine));

        var (result, writer) = await WritesDuringSwap.RunAsync(target, rows, c => EngineKit.Migrator(target, c));

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        OracleWriter.AssertMatches(writer.Oracle, new HashSet<long>(writer.Oracle.Keys), await EngineKit.ReadItemsAsync(target, withFlag: false));
        var method = (await EngineKit.Migrator(target).StatusAsync()).Scripts.Single().Methods.Single();
        Assert.StartsWith("copy-and-swap of items: ", method, StringComparison.Ordinal);
        Assert.Contains("ck_items_k", await ChecksAsync(target));
        await AssertRefusedAsync(target, "INSERT INTO items (id, k, v, n) VALUES (2000000000, 1000, 'x', 0)");
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_row_that_fails_the_new_check_is_named_and_nothing_changes_until_it_is_fixed(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 2000);
        await target.ExecuteAsync("UPDATE items SET n = -3 WHERE id = 1234");
        var before = await EngineKit.ReadItemsAsync(target, withFlag: false);
        target.Sql("20261205000000_positive", """
            -- swap:online
            ALTER TABLE items ADD CONSTRAINT ck_items_n CHECK (n >= 0);
            -- swap:down
            ALTER TABLE items DROP CONSTRAINT ck_items_n;
            """);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 7, run.ToString());
        Assert.Contains("the row with key (1234) fail", run.Err, StringComparison.Ordinal);
        Assert.Contains("'ck_items_n' (n >= 0)", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("_swap_", run.Err, StringComparison.Ordinal);
        Assert.Equal(before, await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.DoesNotContain("ck_items_n", await ChecksAsync(target));
        // PostgreSQL's in-place change forgets its step as the copies forget theirs: no journal row, no history row.
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "20261205000000_positive"));

        await target.ExecuteAsync("UPDATE items SET n = 3 WHERE id = 1234");
        var again = await SwapCli.RunAsync(target, "up");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "20261205000000_positive"));
        Assert.Contains("ck_items_n", await ChecksAsync(target));
        await AssertRefusedAsync(target, "UPDATE items SET n = -1 WHERE id = 7");

        var down = await SwapCli.RunAsync(target, "down");

        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.DoesNotContain("ck_items_n", await ChecksAsync(target));
        await target.ExecuteAsync("UPDATE items SET n = -1 WHERE id = 7");
        Assert.Equal(1, await target.CountAsync("items", "n = -1"));
    }

    [Theory]
    [InlineData(DatabaseEngine.MySql, "ALTER TABLE items DROP CHECK ck_v, ADD CHECK (k < 5000)", "copy-and-swap of items: items: MySQL/MariaDB add a CHECK only by copying")]
    [InlineData(DatabaseEngine.MySql, "ALTER TABLE items DROP CONSTRAINT ck_v", "items: instant: MariaDB drops a CHECK constraint with ALGORITHM=INSTANT")]
    [InlineData(DatabaseEngine.PostgreSql, "ALTER TABLE items DROP CONSTRAINT ck_v", "items: instant: PostgreSQL drops a CHECK constraint in its catalog")]
    [InlineData(DatabaseEngine.PostgreSql, "ALTER TABLE items DROP CONSTRAINT ck_v, ADD CHECK (k < 5000)", "items: in place: ")]
    [InlineData(DatabaseEngine.Sqlite, "ALTER TABLE items DROP CONSTRAINT ck_v", "copy-and-swap of items: items: SQLite adds or drops a CHECK only by rebuilding the table")]
    [InlineData(DatabaseEngine.Sqlite, "ALTER TABLE items DROP CONSTRAINT ck_v, ADD CHECK (k < 5000)", "copy-and-swap of items: ")]
    public async Task An_existing_check_is_dropped_by_name_and_an_unnamed_new_one_is_named_after_the_table(DatabaseEngine engine, string alter, string method)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await target.ExecuteAsync(engine == DatabaseEngine.Sqlite
            ? "CREATE TABLE items (id INTEGER NOT NULL PRIMARY KEY, k INT NOT NULL, v TEXT NULL, n INT NOT NULL DEFAULT 0, CONSTRAINT ck_v CHECK (v <> ''))"
            : "CREATE TABLE items (id BIGINT NOT NULL PRIMARY KEY, k INT NOT NULL, v VARCHAR(100) NULL, n INT NOT NULL DEFAULT 0, CONSTRAINT ck_v CHECK (v <> ''))");
        await target.ExecuteAsync("INSERT INTO items (id, k, v, n) VALUES (1, 10, 'a', 0), (2, 20, 'b', 0), (3, 30, NULL, 0)");
        await AssertRefusedAsync(target, "INSERT INTO items (id, k, v) VALUES (9, 1, '')");
        target.Sql("20261205000000_checks", $"""
            -- swap:online
            {alter};
            """);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        var recorded = (await EngineKit.Migrator(target).StatusAsync()).Scripts.Single().Methods.Single();
        Assert.StartsWith(method, recorded, StringComparison.Ordinal);
        var added = alter.Contains("ADD CHECK", StringComparison.Ordinal);
        // MariaDB names an unnamed CHECK CONSTRAINT_n, as its own ALTER does.
        Assert.Equal(added ? [engine == DatabaseEngine.MySql ? "CONSTRAINT_1" : "ck_items_1"] : [], await ChecksAsync(target));
        await target.ExecuteAsync("INSERT INTO items (id, k, v) VALUES (9, 1, '')");
        if (added)
            await AssertRefusedAsync(target, "INSERT INTO items (id, k, v) VALUES (10, 5000, 'x')");
        Assert.Equal(["1 10 a", "2 20 b", "3 30 ", "9 1 "], (await target.QueryAsync("SELECT id, k, v FROM items ORDER BY id")).Select(r => $"{r.Int64("id")} {r.Int64("k")} {r.String("v")}"));
    }

    [Theory]
    [InlineData(DatabaseEngine.MySql)]
    [InlineData(DatabaseEngine.PostgreSql)]
    public async Task A_revert_window_is_refused_for_a_swap_that_drops_a_check_the_old_table_keeps(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 100);
        await target.ExecuteAsync("ALTER TABLE items ADD CONSTRAINT ck_k CHECK (k < 1000)");
        target.Sql("20261205000000_widen", """
            -- swap:online
            ALTER TABLE items ADD COLUMN note VARCHAR(10) NOT NULL DEFAULT 'x' FIRST, DROP CONSTRAINT ck_k;
            """);

        var run = await SwapCli.RunAsync(target, "up", "--revert-window", "1h");

        Assert.True(run.ExitCode == 7, run.ToString());
        Assert.Contains("the swap drops the check 'ck_k', which the old table still has", run.Err, StringComparison.Ordinal);
        Assert.Equal(["ck_k"], await ChecksAsync(target));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>
    /// MariaDB keeps a column's own CHECK (<c>n INT CHECK (n >= 0)</c>) in the column's definition,
    /// and a MODIFY that does not restate it drops it: the copy's MODIFY for a type change lost it,
    /// and the swapped-in table took negative values. Online SQL's MODIFY restates the whole column
    /// (OnlineSqlRestatementTests: left out, the CHECK is gone, as natively), so this one restates it.
    /// </summary>
    [Fact]
    public async Task A_MariaDB_columns_own_check_stays_when_the_column_changes_type()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE items (id BIGINT NOT NULL PRIMARY KEY, k INT NOT NULL, v VARCHAR(100) NULL, n INT NOT NULL DEFAULT 0 CHECK (n >= 0)) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO items (id, k, v, n) SELECT seq, seq % 10, CONCAT('v', seq), seq FROM seq_1_to_500");
        target.Sql("20261205000000_widen", """
            -- swap:online
            ALTER TABLE items MODIFY n BIGINT NOT NULL DEFAULT 0 CHECK (n >= 0);
            """);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("bigint(20)", await target.ScalarAsync("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND COLUMN_NAME = 'n'"));
        Assert.Equal(500L, await target.CountAsync("items", "n = id"));
        await AssertRefusedAsync(target, "INSERT INTO items (id, k, n) VALUES (9999, 1, -1)");
    }

    /// <summary>
    /// A column named by a check together with another column: PostgreSQL dropped the check
    /// silently with the column, MariaDB refused the instant DROP COLUMN (1054) and SQLite the copy
    /// (exit 1 both). Now refused on all three before anything runs (exit 7), saying to drop the
    /// check first; a check over the dropped column alone goes with it everywhere.
    /// </summary>
    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_column_a_check_also_names_is_dropped_only_with_the_check(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await target.ExecuteAsync("CREATE TABLE items (id INT NOT NULL PRIMARY KEY, a INT NULL, b INT NULL, CONSTRAINT ck_ab CHECK (b > a), CONSTRAINT ck_a CHECK (a > 0))");
        await target.ExecuteAsync("INSERT INTO items (id, a, b) VALUES (1, 1, 2), (2, 5, 9)");
        target.Sql("20261205000000_drop_a", """
            -- swap:online
            ALTER TABLE items DROP COLUMN a;
            """);

        var refused = await SwapCli.RunAsync(target, "up");

        Assert.True(refused.ExitCode == 7, refused.ToString());
        Assert.Contains("Column 'a' is used by check constraint 'ck_ab' (", refused.Err, StringComparison.Ordinal);
        Assert.Contains("drop the check first with DropCheck(\"ck_ab\") (online SQL: DROP CONSTRAINT ck_ab)", refused.Err, StringComparison.Ordinal);
        Assert.Equal(["ck_a", "ck_ab"], await ChecksAsync(target));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "20261205000000_drop_a"));

        target.Sql("20261205000000_drop_a", """
            -- swap:online
            ALTER TABLE items DROP CONSTRAINT ck_ab, DROP COLUMN a;
            """);
        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(await ChecksAsync(target));
        Assert.Equal(["1 2", "2 9"], (await target.QueryAsync("SELECT id, b FROM items ORDER BY id")).Select(r => $"{r.Int64("id")} {r.Int64("b")}"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    private static async Task<List<string>> ChecksAsync(TestTarget target)
    {
        var database = target.Database();
        await using var c = await database.OpenConnectionAsync(CancellationToken.None);
        var table = await database.TableEngine.LoadTableAsync(c, null, "items", CancellationToken.None);
        return table!.Checks.Select(k => k.Name).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The statement fails with the server's CHECK violation (MariaDB 4025, PostgreSQL 23514, SQLite's CHECK constraint), and changes nothing.</summary>
    private static async Task AssertRefusedAsync(TestTarget target, string sql)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => target.ExecuteAsync(sql));
        Assert.NotNull(target.Database().ValueNotFitting(error));
    }
}
