using Swap.Engine;
using Swap.IntegrationTests.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

/// <summary>
/// A SQL script marked <c>-- swap:online</c>: its ALTER TABLE / CREATE INDEX / DROP INDEX run
/// through the online copy-and-swap (a copy, capture, chunks, verification, one rename), the
/// other statements as written; a clause outside the grammar refuses the script before anything runs.
/// </summary>
public class OnlineSqlTests
{
    private const string Script = """
        -- swap:online
        ALTER TABLE items ADD COLUMN flag VARCHAR(10) NOT NULL DEFAULT 'none', RENAME COLUMN v TO label;
        CREATE INDEX idx_items_flag ON items (flag);
        UPDATE items SET flag = 'even' WHERE k % 2 = 0;
        -- swap:down
        DROP INDEX idx_items_flag ON items;
        """;

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task A_later_statement_refused_says_the_earlier_steps_stay_applied_not_that_nothing_changed(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 1_000);
        await EngineKit.CreateItemsAsync(target, 100, "orders");
        target.Sql("20261201000000_two", """
            -- swap:online
            ALTER TABLE items ADD COLUMN flag VARCHAR(10) NOT NULL DEFAULT 'a';
            UPDATE items SET flag = 'b' WHERE k % 2 = 0;
            CREATE UNIQUE INDEX ux_orders_n ON orders (n);
            """);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("would reject the current data", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Nothing was changed", run.Err, StringComparison.Ordinal);
        Assert.Matches(@"This step changed nothing\. 20261201000000_two had finished \d+ earlier step\(s\) before this one, and they stay applied \('swap status' lists where it stopped\); once this is fixed, 'swap up' goes on after them\.", run.Err);
        Assert.Equal(500, await target.CountAsync("items", "flag = 'b'"));
        Assert.Equal("failed", await EngineKit.HistoryStatusAsync(target, "20261201000000_two"));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task Alter_statements_of_an_online_sql_script_run_as_one_copy_and_swap(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 1_000);
        var before = await EngineKit.ReadItemsAsync(target, withFlag: false);
        target.Sql("20261201000000_items_flag", Script);

        var plan = await SwapCli.RunAsync(target, "plan");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        // The ALTER is planned as a copy-and-swap of items (journaled and online where the engine is), not sent as written.
        if (engine != DatabaseEngine.Sqlite)
            Assert.Contains("journaled steps (online swap)", plan.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("ALTER TABLE items ADD COLUMN flag", plan.Out, StringComparison.Ordinal);
        Assert.Contains("UPDATE items SET flag = 'even' WHERE k % 2 = 0", plan.Out, StringComparison.Ordinal);

        var run = await SwapCli.RunAsync(target, "up", "--chunk-size", "100");

        Assert.True(run.ExitCode == 0, run.ToString());
        var after = await target.QueryAsync("SELECT id, k, label, n, flag FROM items ORDER BY id");
        Assert.Equal(before.Select(r => (r.Id, r.K, r.V, r.N, (string?)(r.K % 2 == 0 ? "even" : "none"))),
            after.Select(r => (r.Int64("id")!.Value, r.Int64("k")!.Value, r.String("label"), r.Int64("n")!.Value, r.String("flag"))));
        var table = await LoadAsync(target, "items");
        Assert.Contains("idx_items_flag", table.IndexNames);
        Assert.False(table.HasColumn("v"));
        Assert.Equal(["20261201000000_items_flag"], await target.HistoryIdsAsync());
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        // A new row gets the column's default: the copy kept the DEFAULT clause.
        await target.ExecuteAsync("INSERT INTO items (id, k, label, n) VALUES (5000, 1, 'x', 0)");
        Assert.Equal(["none"], await target.ColumnAsync("SELECT flag FROM items WHERE id = 5000"));

        var down = await SwapCli.RunAsync(target, "down");
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.DoesNotContain("idx_items_flag", (await LoadAsync(target, "items")).IndexNames);
    }

    /// <summary>
    /// gh-ost's alter-charset and convert-utf8mb4 cases and pt-online-schema-change's rebuild: MODIFY
    /// with a character set or collation takes it (it was refused as a column option), CONVERT TO
    /// converts every character column, and ENGINE=InnoDB / FORCE copy the table as it is (both
    /// refused as not a clause). The values come through the copy unchanged.
    /// </summary>
    [Theory]
    [InlineData("MODIFY `t1` varchar(64) CHARACTER SET utf8mb4 NOT NULL, MODIFY t2 varchar(64) COLLATE latin1_bin NULL", "t1 utf8mb4 utf8mb4_general_ci|t2 latin1 latin1_bin", "copy-and-swap")]
    [InlineData("ENGINE=InnoDB", "t1 utf8mb3 utf8mb3_general_ci|t2 latin1 latin1_swedish_ci", "copy-and-swap")]
    [InlineData("FORCE", "t1 utf8mb3 utf8mb3_general_ci|t2 latin1 latin1_swedish_ci", "copy-and-swap")]
    [InlineData("CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", "t1 utf8mb4 utf8mb4_unicode_ci|t2 utf8mb4 utf8mb4_unicode_ci", "copy-and-swap")]
    public async Task A_mariadb_character_set_change_or_rebuild_runs_online_and_keeps_every_value(string clauses, string charsets, string method)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE texts (id INT NOT NULL PRIMARY KEY, t1 VARCHAR(64) CHARACTER SET utf8mb3 NOT NULL, t2 VARCHAR(64) CHARACTER SET latin1 NULL) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO texts (id, t1, t2) SELECT seq, CONCAT('näme ', seq), IF(seq % 3 = 0, NULL, CONCAT('café ', seq)) FROM seq_1_to_2000");
        var before = await target.ColumnAsync("SELECT CONCAT_WS('|', id, t1, IFNULL(t2, '-')) FROM texts ORDER BY id");
        target.Sql("20261205000000_texts", $"-- swap:online\nALTER TABLE texts {clauses};\n");

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith(method, (await EngineKit.Migrator(target).StatusAsync()).Scripts.Single().Methods.Single(), StringComparison.Ordinal);
        Assert.Equal(charsets, await target.ScalarAsync(
            "SELECT GROUP_CONCAT(CONCAT(COLUMN_NAME, ' ', CHARACTER_SET_NAME, ' ', COLLATION_NAME) ORDER BY COLUMN_NAME SEPARATOR '|') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'texts' AND COLUMN_NAME IN ('t1', 't2')"));
        Assert.Equal(before, await target.ColumnAsync("SELECT CONCAT_WS('|', id, t1, IFNULL(t2, '-')) FROM texts ORDER BY id"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>CONVERT TO as the server does it in place: a latin1 TEXT whose values need more than 64 KB in utf8mb4 becomes a MEDIUMTEXT, and no value is cut.</summary>
    [Fact]
    public async Task A_mariadb_convert_to_utf8mb4_widens_a_text_whose_values_need_it()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE docs (id INT NOT NULL PRIMARY KEY, body TEXT CHARACTER SET latin1 NOT NULL) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO docs (id, body) SELECT seq, REPEAT(CONVERT('é' USING latin1), 40000 + seq) FROM seq_1_to_20");
        target.Sql("20261205000000_utf8", "-- swap:online\nALTER TABLE docs CONVERT TO CHARACTER SET utf8mb4;\n");

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("mediumtext utf8mb4", await target.ScalarAsync("SELECT CONCAT(DATA_TYPE, ' ', CHARACTER_SET_NAME) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'docs' AND COLUMN_NAME = 'body'"));
        Assert.Equal(20, await target.CountAsync("docs", "CHAR_LENGTH(body) = 40000 + id AND body = REPEAT('é', 40000 + id)"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>gh-ost's generated-columns-add case, and each engine's own spelling: the column was refused as a column option.</summary>
    [Theory]
    [InlineData(DatabaseEngine.MySql, "ADD COLUMN kn BIGINT AS (k + n) VIRTUAL")]
    [InlineData(DatabaseEngine.MySql, "ADD COLUMN kn BIGINT GENERATED ALWAYS AS (k + n) STORED")]
    [InlineData(DatabaseEngine.PostgreSql, "ADD COLUMN kn bigint GENERATED ALWAYS AS (k + n) STORED")]
    [InlineData(DatabaseEngine.Sqlite, "ADD COLUMN kn INTEGER GENERATED ALWAYS AS (k + n) VIRTUAL")]
    public async Task A_generated_column_is_added_online_and_computed_for_every_row(DatabaseEngine engine, string clause)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 2000);
        await target.ExecuteAsync("UPDATE items SET n = id % 5");
        target.Sql("20261205000000_kn", $"-- swap:online\nALTER TABLE items {clause};\n");

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        await target.ExecuteAsync("INSERT INTO items (id, k, v, n) VALUES (5000, 40, 'x', 2)");
        Assert.Equal(2001, await target.CountAsync("items", "kn = k + n"));
        Assert.Equal(42L, Convert.ToInt64(await target.ScalarAsync("SELECT kn FROM items WHERE id = 5000"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>gh-ost's reorder-columns cases: MODIFY / CHANGE with AFTER or FIRST move the column through the copy, under writes.</summary>
    [Fact]
    public async Task A_mariadb_change_that_moves_a_column_copies_the_table_in_the_new_order()
    {
        const int rows = 3000;
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, rows);
        target.Sql("20261205000000_order", """
            -- swap:online
            ALTER TABLE items CHANGE COLUMN n n INT NOT NULL DEFAULT 0 AFTER id, MODIFY v VARCHAR(100) NULL FIRST;
            """);

        var (result, writer) = await WritesDuringSwap.RunAsync(target, rows, c => EngineKit.Migrator(target, c));

        Assert.Single(result.Applied);
        Assert.StartsWith("copy-and-swap of items: items: existing columns change their order", (await EngineKit.Migrator(target).StatusAsync()).Scripts.Single().Methods.Single(), StringComparison.Ordinal);
        Assert.Equal("v,id,n,k", await target.ScalarAsync("SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items'"));
        OracleWriter.AssertMatches(writer.Oracle, new HashSet<long>(writer.Oracle.Keys), await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>gh-ost's rename-none-comment case: a comment on a new column (instant), then on an existing one (a copy, as MySQL restates the column).</summary>
    [Fact]
    public async Task A_mariadb_column_comment_is_added_and_changed_online()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, 1000);
        target.Sql("20261205000000_notes", """
            -- swap:online
            ALTER TABLE items ADD COLUMN rate DOUBLE NULL COMMENT 'exchange rate, in your own currency' AFTER k;
            """);
        target.Sql("20261205000100_more", """
            -- swap:online
            ALTER TABLE items MODIFY k INT NOT NULL COMMENT 'it''s the k';
            """);

        var first = await SwapCli.RunAsync(target, "up", "--to", "20261205000000_notes");
        var second = await SwapCli.RunAsync(target, "up");

        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, first + "\n" + second);
        var methods = (await EngineKit.Migrator(target).StatusAsync()).Scripts.Select(s => s.Methods.Single()).ToList();
        Assert.StartsWith("items: instant: ", methods[0], StringComparison.Ordinal);
        Assert.StartsWith("copy-and-swap of items: items: the comment of k changes", methods[1], StringComparison.Ordinal);
        Assert.Equal("k int(11) NO it's the k|rate double YES exchange rate, in your own currency", await target.ScalarAsync(
            "SELECT GROUP_CONCAT(CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IS_NULLABLE, ' ', COLUMN_COMMENT) ORDER BY COLUMN_NAME SEPARATOR '|') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND COLUMN_NAME IN ('k', 'rate')"));
        Assert.Equal(1000, await target.CountAsync("items", "k = id * 7 % 1000 AND rate IS NULL"));
    }

    [Fact]
    public async Task A_mariadb_modify_that_appends_enum_values_or_widens_a_varchar_restating_the_rest_is_instant()
    {
        // As people write it: MODIFY restates the whole definition, default and nullability included.
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, 100);
        await target.ExecuteAsync("ALTER TABLE items ADD COLUMN state ENUM('new','done') NOT NULL DEFAULT 'new', MODIFY v VARCHAR(100) NULL");
        await target.ExecuteAsync("UPDATE items SET state = 'done' WHERE id <= 30");
        target.Sql("20261201000000_state", """
            -- swap:online
            ALTER TABLE items MODIFY COLUMN state ENUM('new', 'done', 'archived') NOT NULL DEFAULT 'new', MODIFY v VARCHAR(200) NULL;
            """);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("items: instant: ", run.Err, StringComparison.Ordinal);
        Assert.Equal("enum('new','done','archived') NO 'new' | varchar(200) YES NULL", await target.ScalarAsync(
            "SELECT GROUP_CONCAT(CONCAT(COLUMN_TYPE, ' ', IS_NULLABLE, ' ', IFNULL(COLUMN_DEFAULT, '-')) ORDER BY COLUMN_NAME SEPARATOR ' | ') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND COLUMN_NAME IN ('state', 'v')"));
        Assert.Equal(30, await target.CountAsync("items", "state = 'done'"));
        Assert.Equal(100, await target.CountAsync("items", "v = CONCAT('v', id)"));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_refusal_of_the_swaps_preflight_names_the_script_file_and_line(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 50);
        await target.ExecuteAsync("UPDATE items SET v = NULL WHERE id <= 3");
        target.Sql("20261201000000_strict", """
            -- swap:online

            ALTER TABLE items ALTER COLUMN v SET NOT NULL;
            """);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("error: 20261201000000_strict: 20261201000000_strict.sql(3): Column 'v' of 'items' would be NOT NULL, but 3 row(s) would get NULL in it.", run.Err, StringComparison.Ordinal);
        Assert.Equal(3, await target.CountAsync("items", "v IS NULL"));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_refusal_of_a_swap_that_several_statements_make_names_all_their_lines(DatabaseEngine engine)
    {
        // The statements on one table run as one swap; the refusal named only the first one's line
        // (sql(3)) when the statement it was about was on line 4.
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 50);
        await target.ExecuteAsync("UPDATE items SET v = NULL WHERE id <= 3");
        target.Sql("20261201000000_strict", """
            -- swap:online

            CREATE INDEX ix_items_v ON items (v);
            ALTER TABLE items ALTER COLUMN v SET NOT NULL;
            """);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("error: 20261201000000_strict: 20261201000000_strict.sql(3-4): Column 'v' of 'items' would be NOT NULL, but 3 row(s) would get NULL in it.", run.Err, StringComparison.Ordinal);
        Assert.Equal(3, await target.CountAsync("items", "v IS NULL"));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_clause_outside_the_grammar_refuses_the_script_before_anything_runs(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 50);
        var before = await EngineKit.ReadItemsAsync(target, withFlag: false);
        target.Sql("20261201000000_bad", """
            -- swap:online
            UPDATE items SET n = 99;
            ALTER TABLE items ADD COLUMN extra INT, ADD CONSTRAINT positive EXCLUDE (k WITH =);
            """);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("20261201000000_bad.sql(3): 'ADD CONSTRAINT positive EXCLUDE' adds a kind of constraint Swap does not run online", run.Err, StringComparison.Ordinal);
        Assert.Equal(before, await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.Empty(await target.HistoryIdsAsync());
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>
    /// MySQL's <c>ADD FULLTEXT</c>, <c>ADD SPATIAL</c> and <c>ADD PARTITION</c>
    /// were read as <c>ADD [COLUMN]</c> of a column named FULLTEXT (...): the server then failed
    /// on the copy (exit 1, the copy left behind) or on an instant <c>ADD COLUMN `FULLTEXT` INDEX ...</c>.
    /// They are reserved words, never a column written unquoted: refused like any clause outside the grammar.
    /// </summary>
    [Theory]
    [InlineData("ADD FULLTEXT INDEX ft (v)", "ADD FULLTEXT")]
    [InlineData("ADD FULLTEXT (v)", "ADD FULLTEXT")]
    [InlineData("ADD SPATIAL KEY sp (v)", "ADD SPATIAL")]
    [InlineData("ADD PARTITION (PARTITION p1 VALUES LESS THAN (10))", "ADD PARTITION")]
    public async Task A_fulltext_spatial_or_partition_clause_is_refused_not_read_as_a_column(string clause, string named)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, 50);
        var before = await EngineKit.ReadItemsAsync(target, withFlag: false);
        target.Sql("20261201000000_bad", $"""
            -- swap:online
            ALTER TABLE items MODIFY k BIGINT NOT NULL, {clause};
            """);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 7, run.ToString());
        Assert.Contains($"20261201000000_bad.sql(2): '{named}' is not a clause Swap runs online", run.Err, StringComparison.Ordinal);
        Assert.Contains("without '-- swap:online'", run.Err, StringComparison.Ordinal);
        Assert.Equal(before, await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.Equal("int(11)", await target.ScalarAsync("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND COLUMN_NAME = 'k'"));
        Assert.Empty(await target.HistoryIdsAsync());
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>
    /// An online script that adds a column and drops the unique index keying a table without a
    /// primary key. PostgreSQL and SQLite make both changes in place (no copy needs the key). InnoDB
    /// clusters such a table by that index and cannot drop it in place, so on MySQL/MariaDB the change
    /// is a copy, which is refused (the copy would have no key to skip copied rows by) before
    /// anything changes: the column must not have been added instantly first.
    /// </summary>
    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task Dropping_the_unique_index_that_keys_a_table_without_primary_key_is_in_place_or_refused_whole(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 300, primaryKey: false);
        await target.ExecuteAsync("CREATE UNIQUE INDEX items_id ON items (id)");
        var before = await EngineKit.ReadItemsAsync(target, withFlag: false);
        target.Sql("20261201000000_drop_key", """
            -- swap:online
            ALTER TABLE items ADD COLUMN flag VARCHAR(10) NOT NULL DEFAULT 'none';
            DROP INDEX items_id ON items;
            """);

        var run = await SwapCli.RunAsync(target, "up", "--chunk-size", "50", "--sqlite-online", "always");

        Assert.Equal(before, await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        var table = await LoadAsync(target, "items");
        if (engine == DatabaseEngine.MySql)
        {
            Assert.True(run.ExitCode == 7, run.ToString());
            Assert.Contains("InnoDB keys a table without a primary key by a unique index over NOT NULL columns", run.Err, StringComparison.Ordinal);
            Assert.Contains("The copy of 'items' must keep a unique key over (id): the table has no primary key", run.Err, StringComparison.Ordinal);
            Assert.Contains("items_id", table.IndexNames);
            Assert.False(table.HasColumn("flag"), run.ToString());
            Assert.Empty(await target.HistoryIdsAsync());
        }
        else
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("in place", run.Err, StringComparison.Ordinal);
            Assert.DoesNotContain("items_id", table.IndexNames);
            Assert.Equal(Enumerable.Repeat("none", 300), await target.ColumnAsync("SELECT flag FROM items"));
            Assert.Equal(["20261201000000_drop_key"], await target.HistoryIdsAsync());
        }
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task The_same_change_from_an_online_sql_script_and_from_a_csharp_script_gives_identical_tables(DatabaseEngine engine)
    {
        await using var fromSql = await TestTarget.CreateAsync(engine);
        await using var fromCs = await TestTarget.CreateAsync(engine);
        foreach (var t in new[] { fromSql, fromCs })
            await EngineKit.CreateItemsAsync(t, 1_000);
        fromSql.Sql("20261201000000_items_flag", """
            -- swap:online
            ALTER TABLE items ADD COLUMN flag VARCHAR(10) NOT NULL DEFAULT 'none', RENAME COLUMN v TO label;
            CREATE INDEX idx_items_flag ON items (flag);
            """);
        EngineKit.WriteSwapScript(fromCs, """
            public sealed class MigrateItemsFlag : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var items = await db.UseTableForAlterAsync("items");
                    items.AddColumn(DbColumn.String("flag", 10).NotNull().SetDefault("none"));
                    items.RenameColumn("v", "label");
                    items.AddIndex(DbIndex.Create("flag").Named("idx_items_flag"));
                    await db.DoneUsingTablesAsync("items");
                }
            }
            """, "20261201000000_MigrateItemsFlag.cs");

        string? method = null;
        foreach (var t in new[] { fromSql, fromCs })
        {
            var plan = await SwapCli.RunAsync(t, "plan");
            Assert.True(plan.ExitCode == 0, plan.ToString());
            // Both go through the same planner and get the same method for items.
            var line = plan.Out.Split('\n').FirstOrDefault(l => l.Contains("items:", StringComparison.Ordinal) && (l.Contains("instant", StringComparison.Ordinal) || l.Contains("copy", StringComparison.Ordinal) || l.Contains("in place", StringComparison.Ordinal)));
            method ??= line;
            Assert.Equal(method, line);
            var run = await SwapCli.RunAsync(t, "up", "--chunk-size", "100");
            Assert.True(run.ExitCode == 0, run.ToString());
        }

        async Task<(string Columns, string Indexes, string Rows)> ShapeAsync(TestTarget t)
        {
            var database = t.Database();
            await using var connection = await database.OpenConnectionAsync(default);
            var schema = (await database.TableEngine.LoadTableAsync(connection, null, "items", default))!;
            var columns = string.Join("; ", schema.Columns.Select(c => $"{c.Name} {c.NativeType} {(c.Nullable ? "null" : "not null")} default {c.Default}"));
            var indexes = string.Join("; ", schema.Indexes.OrderBy(i => i.Name, StringComparer.Ordinal).Select(i => $"{i.Name} {i.Unique} ({string.Join(", ", i.Columns.Select(c => c.Name))})"));
            var rows = string.Join("\n", (await t.QueryAsync("SELECT id, k, label, n, flag FROM items ORDER BY id")).Select(r => $"{r.Int64("id")} {r.Int64("k")} {r.String("label")} {r.Int64("n")} {r.String("flag")}"));
            return (columns, indexes, rows);
        }

        var a = await ShapeAsync(fromSql);
        var b = await ShapeAsync(fromCs);
        Assert.Equal(a.Columns, b.Columns);
        Assert.Equal(a.Indexes, b.Indexes);
        Assert.Equal(a.Rows, b.Rows);
        Assert.Contains("flag", a.Columns, StringComparison.Ordinal);
        Assert.Contains("idx_items_flag", a.Indexes, StringComparison.Ordinal);
        Assert.Equal(1_000, a.Rows.Split('\n').Length);
    }

    private static async Task<DbTable> LoadAsync(TestTarget target, string table)
    {
        var database = target.Database();
        await using var connection = await database.OpenConnectionAsync(default);
        var schema = await database.TableEngine.LoadTableAsync(connection, null, table, default);
        return new DbTable(schema!, "copy", database.Dialect, readOnly: true);
    }
}
