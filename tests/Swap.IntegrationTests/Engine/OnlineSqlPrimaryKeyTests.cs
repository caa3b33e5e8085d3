using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>An online SQL script replaces the primary key with DROP PRIMARY KEY and ADD PRIMARY KEY in one statement, in either order.</summary>
public class OnlineSqlPrimaryKeyTests
{
    [Theory]
    [InlineData("DROP PRIMARY KEY, ADD PRIMARY KEY (id, k)")]
    [InlineData("ADD PRIMARY KEY (id, k), DROP PRIMARY KEY")]
    public async Task Drop_and_add_primary_key_in_one_statement_replaces_the_key(string clauses)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, 1000);
        target.WriteFile(Path.Combine("migrations", "20260101000000_Rekey.sql"), $"-- swap:online\nALTER TABLE items {clauses};\n");

        var result = await EngineKit.Migrator(target).UpAsync();

        Assert.Single(result.Applied);
        var key = await target.QueryAsync("SELECT COLUMN_NAME AS c FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION");
        Assert.Equal(["id", "k"], key.Select(r => r.String("c")).ToList());
        Assert.Equal(1000, (await EngineKit.ReadItemsAsync(target, withFlag: false)).Count);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>
    /// The usual way to widen the key of an AUTO_INCREMENT table: the copy dropped the old key in
    /// one ALTER and added the new one in a later one, and InnoDB refuses an auto column that leads
    /// no index in between (1075, exit 1). The rows, the counter and the next id must be as a native ALTER leaves them.
    /// </summary>
    [Fact]
    public async Task An_auto_increment_table_gets_a_wider_primary_key_led_by_its_auto_column()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE items (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL, v VARCHAR(20) NULL) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO items (k, v) SELECT seq % 10, CONCAT('v', seq) FROM seq_1_to_500");
        await target.ExecuteAsync("DELETE FROM items WHERE id > 450");
        var counter = Convert.ToInt64(await target.ScalarAsync("SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items'"), System.Globalization.CultureInfo.InvariantCulture);
        target.WriteFile(Path.Combine("migrations", "20260101000000_Rekey.sql"), "-- swap:online\nALTER TABLE items DROP PRIMARY KEY, ADD PRIMARY KEY (id, k), MODIFY v VARCHAR(40) NULL;\n");

        var result = await EngineKit.Migrator(target).UpAsync();

        Assert.Single(result.Applied);
        var key = await target.QueryAsync("SELECT COLUMN_NAME AS c FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION");
        Assert.Equal(["id", "k"], key.Select(r => r.String("c")).ToList());
        var indexes = await target.QueryAsync("SELECT DISTINCT INDEX_NAME AS i FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' ORDER BY INDEX_NAME");
        Assert.Equal(["PRIMARY"], indexes.Select(r => r.String("i")).ToList());
        Assert.Equal(450, await target.CountAsync("items", "v = CONCAT('v', id) AND k = id % 10"));
        Assert.Equal(450, await target.CountAsync("items", "1 = 1"));
        await target.ExecuteAsync("INSERT INTO items (k, v) VALUES (1, 'next')");
        Assert.True(counter > 500, $"counter {counter}");
        Assert.Equal(counter, Convert.ToInt64(await target.ScalarAsync("SELECT id FROM items WHERE v = 'next'"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>
    /// The key moves to other columns and the old key's column keeps a unique index of its own
    /// (gh-ost's swap-pk-uk case): the copy is walked by the old key, so that index must come with the
    /// empty copy. MariaDB's copy left it out and built it neither later: the table lost it.
    /// </summary>
    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_new_unique_index_over_the_old_key_stays_when_the_primary_key_moves(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 3000);
        EngineKit.WriteSwapScript(target, """
            public sealed class MigrateItems : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var items = await db.UseTableForAlterAsync("items");
                    items.SetPrimaryKey("k", "id");
                    items.AddIndex(DbIndex.Unique("id").Named("ux_items_id"));
                    await db.DoneUsingTablesAsync("items");
                }
            }
            """);

        var (result, writer) = await WritesDuringSwap.RunAsync(target, 3000, c => EngineKit.Migrator(target, c));

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        OracleWriter.AssertMatches(writer.Oracle, new HashSet<long>(writer.Oracle.Keys), await EngineKit.ReadItemsAsync(target, withFlag: false));
        var database = target.Database();
        await using (var c = await database.OpenConnectionAsync(CancellationToken.None))
        {
            var table = (await database.TableEngine.LoadTableAsync(c, null, "items", CancellationToken.None))!;
            Assert.Equal(["k", "id"], table.PrimaryKey);
            var index = Assert.Single(table.Indexes, i => i.Name == "ux_items_id");
            Assert.True(index.Unique);
            Assert.Equal(["id"], index.Columns.Select(x => x.Name));
        }
        var duplicate = await Assert.ThrowsAnyAsync<Exception>(() => target.ExecuteAsync("INSERT INTO items (id, k, v, n) VALUES (7, 5, 'dup', 0)"));
        Assert.True(engine == DatabaseEngine.Sqlite ? duplicate.Message.Contains("UNIQUE constraint failed: items.id", StringComparison.Ordinal) : database.IsUniqueViolation(duplicate), duplicate.Message);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>
    /// DROP PRIMARY KEY alone, where a unique key over NOT NULL columns stays or is added in the same
    /// statement (gh-ost's swap-uk): MySQL takes it (InnoDB clusters by that key), and so does the
    /// swap, under writes; the table ends as a twin the native ALTER changed. Before: refused (exit 7).
    /// </summary>
    [Theory]
    [InlineData("ALTER TABLE {0} ADD UNIQUE KEY uk_k_id (k, id)", "DROP PRIMARY KEY")]
    [InlineData("", "DROP PRIMARY KEY, ADD UNIQUE KEY ux_id (id)")]
    public async Task Drop_primary_key_leaves_the_table_keyed_by_its_not_null_unique_key(string before, string clauses)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, 3000);
        await EngineKit.CreateItemsAsync(target, 0, table: "twin");
        if (before.Length > 0)
        {
            await target.ExecuteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, before, "items"));
            await target.ExecuteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, before, "twin"));
        }
        await target.ExecuteAsync($"ALTER TABLE twin {clauses}");
        target.WriteFile(Path.Combine("migrations", "20260101000000_Unkey.sql"), $"-- swap:online\nALTER TABLE items {clauses};\n");

        var (result, writer) = await WritesDuringSwap.RunAsync(target, 3000, c => EngineKit.Migrator(target, c));

        Assert.Single(result.Applied);
        Assert.StartsWith("copy-and-swap of items: ", (await EngineKit.Migrator(target).StatusAsync()).Scripts.Single().Methods.Single(), StringComparison.Ordinal);
        OracleWriter.AssertMatches(writer.Oracle, new HashSet<long>(writer.Oracle.Keys), await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.Equal(await OnlineSqlAutoIncrementTests.DefinitionAsync(target, "twin"), await OnlineSqlAutoIncrementTests.DefinitionAsync(target, "items"));
        Assert.Equal(0, await target.CountAsync("items", "id IN (SELECT id FROM items GROUP BY id HAVING COUNT(*) > 1)"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task Drop_primary_key_without_a_not_null_unique_key_is_refused_and_changes_nothing()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, 100);
        await target.ExecuteAsync("ALTER TABLE items ADD UNIQUE KEY uk_v (v)");
        var definition = await OnlineSqlAutoIncrementTests.DefinitionAsync(target, "items");
        target.WriteFile(Path.Combine("migrations", "20260101000000_Unkey.sql"), "-- swap:online\nALTER TABLE items DROP PRIMARY KEY;\n");

        var error = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, error.Kind);
        Assert.Contains("20260101000000_Unkey.sql(2): DROP PRIMARY KEY: it drops the primary key of 'items' and leaves no unique key over NOT NULL columns", error.Message, StringComparison.Ordinal);
        Assert.Equal(definition, await OnlineSqlAutoIncrementTests.DefinitionAsync(target, "items"));
        Assert.Equal(100, await target.CountAsync("items", "1 = 1"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }
}
