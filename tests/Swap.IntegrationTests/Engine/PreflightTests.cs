using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>Invariant 6: unsafe or unsupported changes are refused before anything is written, with a message that says what to do.</summary>
public class PreflightTests
{
    private static string Script(string body) => $$"""
        using Swap.Engine;
        public sealed class MigrateItems : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var items = await db.UseTableForAlterAsync("items");
                {{body}}
                await db.DoneUsingTablesAsync("items");
            }
        }
        """;

    private static async Task<SwapException> RefusedAsync(TestTarget target, string body)
    {
        EngineKit.WriteSwapScript(target, Script(body));
        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());
        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.DoesNotContain(await EngineKit.LeftoversAsync(target), l => l.Contains("_swap_", StringComparison.Ordinal));
        Assert.Equal(300, (await EngineKit.ReadItemsAsync(target, withFlag: false)).Count);
        return e;
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_new_unique_index_over_duplicate_data_is_refused_with_an_example(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 300);
        var e = await RefusedAsync(target, "items.AddIndex(DbIndex.Unique(\"n\"));");
        Assert.Contains("would reject the current data", e.Message, StringComparison.Ordinal);
        Assert.Contains("(0) appears 300 times", e.Message, StringComparison.Ordinal);
        Assert.Contains("Remove the duplicates first", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_new_not_null_column_without_a_value_is_refused(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 300);
        var e = await RefusedAsync(target, "items.AddColumn(DbColumn.Int(\"score\").NotNull());");
        Assert.Contains("is NOT NULL but has no default and no FillWith", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task Making_a_column_with_nulls_not_null_is_refused(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 300);
        await target.ExecuteAsync("UPDATE items SET v = NULL WHERE id <= 3");
        var e = await RefusedAsync(target, "items.GetColumn(\"v\").NotNull();");
        Assert.Contains("3 row(s) would get NULL", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseEngine.PostgreSql, "UnsignedBigInt", "has no unsignedbigint type")]
    [InlineData(DatabaseEngine.Sqlite, "UnsignedBigInt", "has no unsignedbigint type")]
    [InlineData(DatabaseEngine.MySql, "Interval", "has no interval type")]
    public async Task A_type_the_engine_lacks_is_refused(DatabaseEngine engine, string factory, string message)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 300);
        var e = await RefusedAsync(target, $"items.AddColumn(DbColumn.{factory}(\"x\"));");
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prefix_index_is_refused_on_postgresql()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 300);
        var e = await RefusedAsync(target, "items.AddIndex(DbIndex.Create(\"v\").WithPrefix(\"v\", 5));");
        Assert.Contains("prefix length, which PostgreSQL does not have", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_table_without_a_usable_key_is_refused(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await target.ExecuteAsync("CREATE TABLE items (id INT NULL, k INT NOT NULL, v VARCHAR(10) NULL, n INT NOT NULL DEFAULT 0)");
        await target.ExecuteAsync("INSERT INTO items (id, k) VALUES (1, 1), (2, 2)");
        EngineKit.WriteSwapScript(target, Script("items.AddColumn(DbColumn.Int(\"x\"));"));
        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());
        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains("has no primary key and no unique key over NOT NULL columns", e.Message, StringComparison.Ordinal);
        // SQLite has no ALTER TABLE ... ADD PRIMARY KEY, so it is not suggested there.
        if (target.Engine == DatabaseEngine.Sqlite)
            Assert.Contains("SQLite cannot add a primary key to an existing table: if the values of a NOT NULL column (k, n) are unique, add a unique index over it (for example CREATE UNIQUE INDEX items_key ON items (k)), or rebuild the table", e.Message, StringComparison.Ordinal);
        else
            Assert.Contains("Add a primary key over a column (or columns) whose values are unique first (its columns are: id, k, v, n), for example ALTER TABLE items ADD PRIMARY KEY (k), then run again.", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(target.Engine == DatabaseEngine.Sqlite ? "ADD PRIMARY KEY" : "SQLite", e.Message, StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task A_mariadb_table_keyed_only_by_a_long_unique_hash_index_is_refused_before_anything_is_written()
    {
        // MariaDB keeps a UNIQUE over a TEXT column (without a prefix length) as a hash: it neither
        // orders rows nor finds them by key, so walking the table by it compared every row of the copy
        // with every row of the original (5,000 rows of 10 KB were still verifying after 100 s).
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE docs (body TEXT NOT NULL, n INT NOT NULL DEFAULT 0, UNIQUE KEY u_body (body)) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO docs (body) VALUES ('a'), ('b'), ('c')");
        EngineKit.WriteSwapScript(target, Script("items.AddColumn(DbColumn.Int(\"x\"));").Replace("\"items\"", "\"docs\"", StringComparison.Ordinal));
        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());
        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains("has no primary key and no unique key over NOT NULL columns", e.Message, StringComparison.Ordinal);
        Assert.Contains("Its unique index 'u_body' (body) is one MariaDB keeps as a hash", e.Message, StringComparison.Ordinal);
        Assert.Equal(["body", "n"], (await target.QueryAsync("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'docs' ORDER BY ORDINAL_POSITION")).Select(r => r.String("COLUMN_NAME")));
        Assert.Equal(3L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM docs"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task MySql_tables_with_a_key_to_themselves_or_a_changed_referenced_column_are_refused_with_what_to_do()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, 300);
        await target.ExecuteAsync("CREATE TABLE notes (id INT PRIMARY KEY, item_id BIGINT, CONSTRAINT fk_notes_item FOREIGN KEY (item_id) REFERENCES items(id)) ENGINE=InnoDB");
        var e = await RefusedAsync(target, "items.GetColumn(\"id\").SetType(ColumnType.Int);");
        Assert.Contains("Column 'id' is referenced by the foreign key notes.fk_notes_item; keep it with its name and type in this swap", e.Message, StringComparison.Ordinal);
        await target.ExecuteAsync("DROP TABLE notes");

        await target.ExecuteAsync("ALTER TABLE items ADD COLUMN parent_id BIGINT NULL, ADD CONSTRAINT fk_items_parent FOREIGN KEY (parent_id) REFERENCES items(id)");
        var self = await RefusedAsync(target, "items.AddColumn(DbColumn.Int(\"x\"));");
        Assert.Contains("Its foreign key fk_items_parent points at the table itself", self.Message, StringComparison.Ordinal);
    }
}
