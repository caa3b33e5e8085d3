using Swap.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>The table engineer's changes, applied through a swap, on each engine: schema and data after.</summary>
public class EngineerTests
{
    private static async Task CreatePeopleAsync(TestTarget target)
    {
        var text = target.Engine == DatabaseEngine.MySql ? "TEXT" : "TEXT";
        var suffix = target.Engine == DatabaseEngine.MySql ? " ENGINE=InnoDB" : "";
        await target.ExecuteAsync($"CREATE TABLE people (id INT NOT NULL PRIMARY KEY, first_name VARCHAR(50) NOT NULL, last_name VARCHAR(50) NULL, age INT NULL, email VARCHAR(100) NULL, notes {text} NULL, legacy VARCHAR(10) NULL){suffix}");
        for (var i = 1; i <= 200; i++)
        {
            await target.ExecuteAsync(
                "INSERT INTO people (id, first_name, last_name, age, email, notes, legacy) VALUES (@id, @first, @last, @age, @email, @notes, 'x')",
                new { id = i, first = "First" + i, last = "Last" + (i % 20), age = 18 + (i % 50), email = $"p{i}@example.com", notes = "note about person " + i });
        }
    }

    private const string Script = """
        using Swap.Engine;

        public sealed class MigratePeople : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var people = await db.UseTableForAlterAsync("people");
                people.RenameColumn("first_name", "given_name");
                people.DropColumn("legacy");
                people.GetColumn("age").SetType(ColumnType.BigInt);
                people.GetColumn("last_name").NotNull();
                people.GetColumn("email").SetDefault("unknown@example.com");
                people.AddColumn(DbColumn.Enum("tier", "free", "pro").FillWith("CASE WHEN age > 40 THEN 'pro' ELSE 'free' END").NotNull(), after: "age");
                people.AddColumn(DbColumn.Boolean("active").SetDefault(true).NotNull());
                people.AddIndex(DbIndex.Unique("email"));
                people.AddIndex(DbIndex.Create("last_name", "given_name").Named("ix_people_names"));
                if (db.Engine == Swap.DatabaseEngine.MySql)
                    people.AddIndex(DbIndex.Create("notes").WithPrefix("notes", 10));
                await db.DoneUsingTablesAsync("people");
            }
        }
        """;

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task Rename_drop_retype_nullability_default_enum_boolean_and_indexes_arrive_together(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await CreatePeopleAsync(target);
        EngineKit.WriteSwapScript(target, Script, "20260101000000_MigratePeople.cs");

        await EngineKit.Migrator(target).UpAsync();

        var database = target.Database();
        await using var c = await database.OpenConnectionAsync(default);
        var schema = (await database.TableEngine.LoadTableAsync(c, null, "people", default))!;
        Assert.Equal(["id", "given_name", "last_name", "age", "tier", "email", "notes", "active"], schema.Columns.Select(col => col.Name));
        Assert.False(schema.Column("last_name")!.Nullable);
        Assert.Contains("int", schema.Column("age")!.NativeType, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(schema.Indexes, i => i.Unique && i.Columns.Select(x => x.Name).SequenceEqual(["email"]));
        Assert.Contains(schema.Indexes, i => i.Name == "ix_people_names" && i.Columns.Select(x => x.Name).SequenceEqual(["last_name", "given_name"]));
        if (engine == DatabaseEngine.MySql)
            Assert.Contains(schema.Indexes, i => i.Columns.Any(x => x.Name == "notes" && x.PrefixLength == 10));

        var rows = await target.QueryAsync("SELECT id, given_name, age, tier, active FROM people ORDER BY id");
        Assert.Equal(200, rows.Count);
        foreach (var r in rows)
        {
            var id = r.Int64("id")!.Value;
            Assert.Equal("First" + id, r.String("given_name"));
            Assert.Equal(18 + (id % 50), r.Int64("age"));
            Assert.Equal(18 + (id % 50) > 40 ? "pro" : "free", r.String("tier"));
            Assert.True(r.Bool("active"));
        }

        // The new rules hold for the application's next writes.
        await target.ExecuteAsync("INSERT INTO people (id, given_name, last_name, age, tier) VALUES (1000, 'New', 'Person', 30, 'free')");
        var added = (await target.QueryAsync("SELECT email, active FROM people WHERE id = 1000")).Single();
        Assert.Equal("unknown@example.com", added.String("email"));
        Assert.True(added.Bool("active"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync("INSERT INTO people (id, given_name, last_name, tier) VALUES (1001, 'A', 'B', 'bogus')"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync("INSERT INTO people (id, given_name, last_name, tier, email) VALUES (1002, 'A', 'B', 'free', 'p1@example.com')"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync("INSERT INTO people (id, given_name, tier) VALUES (1003, 'A', 'free')"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    public static TheoryData<DatabaseEngine, bool> EnginesCopyOrNot()
    {
        var data = new TheoryData<DatabaseEngine, bool>();
        foreach (var engine in new[] { DatabaseEngine.Sqlite, DatabaseEngine.PostgreSql, DatabaseEngine.MySql })
        {
            data.Add(engine, true);
            data.Add(engine, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EnginesCopyOrNot))]
    public async Task Columns_may_trade_names_and_a_new_column_may_take_a_renamed_ones_name(DatabaseEngine engine, bool copy)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 300);
        EngineKit.WriteSwapScript(target, $$"""
            public sealed class MigrateNames : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var t = await db.UseTableForAlterAsync("items");
                    {{(copy ? "t.ForceCopy();" : "")}}
                    t.RenameColumn("k", "tmp");
                    t.RenameColumn("n", "k");
                    t.RenameColumn("tmp", "n");
                    t.RenameColumn("v", "label");
                    t.AddColumn(DbColumn.String("v", 20));
                    await db.DoneUsingTablesAsync("items");
                }
            }
            """, "20260101000000_MigrateNames.cs");

        await EngineKit.Migrator(target).UpAsync();

        // n now holds the old k (id * 7 % 1000), k the old n (0), label the old v, v is new and empty.
        var rows = await target.QueryAsync("SELECT id, k, n, label, v FROM items ORDER BY id");
        Assert.Equal(300, rows.Count);
        Assert.All(rows, r =>
        {
            var id = r.Int64("id")!.Value;
            Assert.Equal((id * 7 % 1000, 0L, "v" + id, null), (r.Int64("n")!.Value, r.Int64("k")!.Value, r.String("label"), r.String("v")));
        });
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task The_primary_key_can_move_to_another_column(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var suffix = engine == DatabaseEngine.MySql ? " ENGINE=InnoDB" : "";
        await target.ExecuteAsync($"CREATE TABLE codes (id INT NOT NULL PRIMARY KEY, code VARCHAR(20) NOT NULL, label VARCHAR(20) NULL){suffix}");
        for (var i = 1; i <= 100; i++)
            await target.ExecuteAsync("INSERT INTO codes (id, code, label) VALUES (@i, @c, 'l')", new { i, c = "C" + i });
        EngineKit.WriteSwapScript(target, """
            public sealed class MigrateCodes : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var codes = await db.UseTableForAlterAsync("codes");
                    codes.SetPrimaryKey("code");
                    await db.DoneUsingTablesAsync("codes");
                }
            }
            """, "20260101000000_MigrateCodes.cs");

        await EngineKit.Migrator(target).UpAsync();

        var database = target.Database();
        await using var c = await database.OpenConnectionAsync(default);
        Assert.Equal(["code"], (await database.TableEngine.LoadTableAsync(c, null, "codes", default))!.PrimaryKey);
        Assert.Equal(100L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM codes"), System.Globalization.CultureInfo.InvariantCulture));
        await target.ExecuteAsync("INSERT INTO codes (id, code) VALUES (1, 'Z1')");
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync("INSERT INTO codes (id, code) VALUES (500, 'C5')"));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_table_changed_with_plain_sql_on_its_copy_gets_same_named_columns_and_defaults(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 1000);
        var alter = engine == DatabaseEngine.Sqlite ? "ALTER TABLE {copy} ADD COLUMN note VARCHAR(20) NOT NULL DEFAULT 'hello'" : "ALTER TABLE {copy} ADD note VARCHAR(20) NOT NULL DEFAULT 'hello'";
        EngineKit.WriteSwapScript(target, $$"""
            public sealed class MigrateWithSql : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var copy = await db.UseTableAsync("items");
                    await db.ExecuteAsync($"{{alter.Replace("{copy}", "{copy}", StringComparison.Ordinal)}}");
                    await db.DoneUsingTablesAsync("items");
                }
            }
            """, "20260101000000_MigrateWithSql.cs");

        await EngineKit.Migrator(target).UpAsync();

        var rows = await target.QueryAsync("SELECT id, k, note FROM items ORDER BY id");
        Assert.Equal(1000, rows.Count);
        Assert.All(rows, r => Assert.Equal("hello", r.String("note")));
        Assert.Equal(7L, rows[0].Int64("k"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }
}
