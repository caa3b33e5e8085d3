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
    private const string InPlace = "in place";

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
            // MariaDB: VARCHAR(100) to (200) stays in its length-byte class (at most 255 bytes, or more than 255, either way).
            ("widen-varchar", Instant, Instant, Copy),
            // PostgreSQL: ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT (reads the rows, blocks no write).
            ("add-foreign-key", InPlace, Copy, Copy),
        })
        {
            data.Add(DatabaseEngine.PostgreSql, rule, pg);
            data.Add(DatabaseEngine.MySql, rule, my);
            data.Add(DatabaseEngine.Sqlite, rule, lite);
        }
        // ALTER TYPE fails on a column a view uses: with any view on the table the planner copies instead.
        data.Add(DatabaseEngine.PostgreSql, "widen-varchar-under-a-view", Copy);
        // MariaDB: VARCHAR(20) to (300) crosses 255 bytes, so the row format's length prefix grows: a copy.
        data.Add(DatabaseEngine.PostgreSql, "widen-small-varchar-past-255-bytes", Instant);
        data.Add(DatabaseEngine.MySql, "widen-small-varchar-past-255-bytes", Copy);
        // MariaDB's native ENUM: values appended at the end are instant, any other change of the list copies.
        data.Add(DatabaseEngine.MySql, "append-enum", Instant);
        data.Add(DatabaseEngine.MySql, "reorder-enum", Copy);
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
        "add-foreign-key" => "items.AddForeignKey(DbForeignKey.Create(\"k\", \"owners\", \"id\"));",
        "widen-small-varchar-past-255-bytes" => "items.GetColumn(\"v\").SetType(ColumnType.String(300));",
        "append-enum" => "items.GetColumn(\"state\").SetType(ColumnType.Enum(\"new\", \"done\", \"it's archived\"));",
        "reorder-enum" => "items.GetColumn(\"state\").SetType(ColumnType.Enum(\"done\", \"new\"));",
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
        if (rule == "add-foreign-key")
            await CreateOwnersAsync(target, 999);
        if (rule == "widen-small-varchar-past-255-bytes")
            await target.ExecuteAsync(engine == DatabaseEngine.MySql ? "ALTER TABLE items MODIFY v VARCHAR(20) NULL" : "ALTER TABLE items ALTER COLUMN v TYPE VARCHAR(20)");
        if (rule is "append-enum" or "reorder-enum")
        {
            await target.ExecuteAsync("ALTER TABLE items ADD COLUMN state ENUM('new','done') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT 'new' COMMENT 'lifecycle'");
            await target.ExecuteAsync("UPDATE items SET state = 'done' WHERE id <= 30");
        }
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
        Assert.StartsWith(method == Copy ? "copy-and-swap of items: " : $"items: {method}: ", recorded, StringComparison.Ordinal);
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
            case "widen-small-varchar-past-255-bytes":
                await target.ExecuteAsync("UPDATE items SET v = @v WHERE id = 1", new { v = new string('x', 250) });
                Assert.Equal(250, (await target.ScalarAsync("SELECT v FROM items WHERE id = 1") as string)!.Length);
                Assert.Equal(99, await target.CountAsync("items", "v LIKE 'v%'"));
                break;
            case "append-enum" or "reorder-enum":
                // Values keep their names (not their numbers); the column keeps its collation, default and comment.
                Assert.Equal(30, await target.CountAsync("items", "state = 'done'"));
                Assert.Equal(70, await target.CountAsync("items", "state = 'new'"));
                var state = columns.Single(c => c.Name == "state");
                Assert.Equal(rule == "append-enum" ? "enum('new','done','it''s archived')" : "enum('done','new')", state.NativeType);
                Assert.Equal(("utf8mb4_bin", "lifecycle", "'new'", false), (state.Collation, state.Comment, state.Default, state.Nullable));
                if (rule == "append-enum")
                {
                    await target.ExecuteAsync("INSERT INTO items (id, k, state) VALUES (1000, 0, 'it''s archived')");
                    Assert.Equal("it's archived", await target.ScalarAsync("SELECT state FROM items WHERE id = 1000"));
                }
                break;
            case "add-foreign-key":
                var schema = await TableAsync(target);
                // SQLite keeps no names for foreign keys (its catalog numbers them).
                Assert.Equal(engine == DatabaseEngine.Sqlite ? "owners" : "fk_items_k owners", string.Join(" ", schema.ForeignKeys.Select(f => engine == DatabaseEngine.Sqlite ? f.ReferencedTable : f.Name + " " + f.ReferencedTable)));
                if (engine == DatabaseEngine.PostgreSql)
                    Assert.Equal(true, await target.ScalarAsync("SELECT convalidated FROM pg_constraint WHERE conname = 'fk_items_k' AND connamespace = current_schema()::regnamespace"));
                if (engine != DatabaseEngine.Sqlite)
                    await Assert.ThrowsAnyAsync<Exception>(() => target.ExecuteAsync("INSERT INTO items (id, k, n) VALUES (2000, 5000, 0)"));
                break;
            case "change-type":
                await target.ExecuteAsync("UPDATE items SET k = 5000000000 WHERE id = 1");
                Assert.Equal(5_000_000_000L, Convert.ToInt64(await target.ScalarAsync("SELECT k FROM items WHERE id = 1"), CultureInfo.InvariantCulture));
                break;
        }
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task A_foreign_key_the_rows_break_is_dropped_again_and_the_script_stays_pending()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 100);
        // items.k runs from 0 to 993; owners stop at 500.
        await CreateOwnersAsync(target, 500);
        target.CSharp("20261201000000_MigrateItems", """
            public sealed class MigrateItems : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var items = await db.UseTableForAlterAsync("items");
                    items.AddColumn(DbColumn.String("note", 20));
                    items.AddForeignKey(DbForeignKey.Create("k", "owners", "id"));
                    await db.DoneUsingTablesAsync("items");
                }
            }
            """);
        var options = new MigratorOptions();
        options.Sources.Add(MigrationSource.Folder(Path.Combine(target.Folder, "migrations")));

        var error = await Assert.ThrowsAsync<SwapException>(() => new Migrator(target.Database(), options).UpAsync());

        Assert.Contains("fk_items_k", error.Message, StringComparison.Ordinal);
        Assert.Contains("dropped again", error.Message, StringComparison.Ordinal);
        // No half-made constraint checks the application's writes; the rows are as they were.
        Assert.Empty((await TableAsync(target)).ForeignKeys);
        Assert.Equal(0L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM pg_constraint WHERE conname = 'fk_items_k' AND connamespace = current_schema()::regnamespace"), CultureInfo.InvariantCulture));
        await target.ExecuteAsync("INSERT INTO items (id, k, n) VALUES (2000, 5000, 0)");
        Assert.Equal(100, await target.CountAsync("items", "k = id * 7 % 1000"));
        var status = (await new Migrator(target.Database(), options).StatusAsync()).Scripts.Single();
        Assert.Equal(ScriptStatus.Failed, status.Status);

        // With the missing owners added, the same script finishes on the next run.
        await target.ExecuteAsync("INSERT INTO owners (id) SELECT g FROM generate_series(501, 5000) g");
        await new Migrator(target.Database(), options).UpAsync();
        Assert.Equal("fk_items_k", (await TableAsync(target)).ForeignKeys.Single().Name);
        Assert.Equal(true, await target.ScalarAsync("SELECT convalidated FROM pg_constraint WHERE conname = 'fk_items_k' AND connamespace = current_schema()::regnamespace"));
    }

    private static Task CreateOwnersAsync(TestTarget target, int last) => target.ExecuteAsync(target.Engine switch
    {
        // The type of items.k: MySQL refuses a foreign key between INT and BIGINT.
        DatabaseEngine.MySql => $"CREATE TABLE owners (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB; INSERT INTO owners (id) SELECT seq FROM seq_0_to_{last}",
        DatabaseEngine.PostgreSql => $"CREATE TABLE owners (id INT NOT NULL PRIMARY KEY); INSERT INTO owners (id) SELECT g FROM generate_series(0, {last}) g",
        _ => $"CREATE TABLE owners (id INTEGER NOT NULL PRIMARY KEY); WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {last}) INSERT INTO owners (id) SELECT i FROM s",
    });

    private static async Task<IReadOnlyList<Swap.Engine.Schema.ColumnSchema>> ColumnsAsync(TestTarget target) => (await TableAsync(target)).Columns;

    private static async Task<Swap.Engine.Schema.TableSchema> TableAsync(TestTarget target)
    {
        var database = target.Database();
        await using var c = await database.OpenConnectionAsync(CancellationToken.None);
        return (await database.TableEngine.LoadTableAsync(c, null, "items", CancellationToken.None))!;
    }
}
