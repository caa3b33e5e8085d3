using System.Data.Common;
using System.Text.RegularExpressions;
using Swap.Data;
using Swap.Discovery;
using Swap.Engine.Schema;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Authoring;

/// <summary>
/// One builder script on every engine: the tables each engine's catalog then describes, reduced to
/// portable terms, are the same description, and they behave the same (identity, defaults, unique,
/// check, foreign key actions).
/// </summary>
public partial class SchemaBuilderTests
{
    private const string Shop = """
        using Swap.Engine;

        public sealed class MigrateShop : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                await db.CreateTableAsync("users", t => t
                    .Column(DbColumn.BigInt("id").Identity())
                    .Column(DbColumn.String("email", 200).NotNull())
                    .Column(DbColumn.String("name", 100))
                    .Column(DbColumn.Boolean("active").NotNull().SetDefault(true))
                    .Column(DbColumn.String("role", 20).NotNull().SetDefault("member"))
                    .Column(DbColumn.Timestamp("created_at").NotNull().DefaultCurrentTimestamp())
                    .Index(DbIndex.Unique("email")));
                await db.CreateTableAsync("orders", t => t
                    .Column(DbColumn.Int("id"))
                    .Column(DbColumn.Int("line"))
                    .Column(DbColumn.BigInt("user_id"))
                    .Column(DbColumn.Decimal("total", 10, 2).NotNull().SetDefault(0))
                    .Column(DbColumn.Text("note"))
                    .Column(DbColumn.Date("due"))
                    .Column(DbColumn.Double("weight"))
                    .PrimaryKey("id", "line")
                    .ForeignKey(DbForeignKey.Create("user_id", "users", "id").OnDelete("SET NULL").OnUpdate("CASCADE"))
                    .Check("ck_orders_total", "total >= 0")
                    .Index(DbIndex.Create("user_id", "due")));
                await db.CreateTableAsync("tmp", t => t
                    .Column(DbColumn.Int("id"))
                    .Column(DbColumn.BigInt("user_id").NotNull())
                    .PrimaryKey("id"));
                await db.RenameTableAsync("tmp", "archive");
                await db.CreateIndexAsync("archive", DbIndex.Unique("user_id", "id"));
                await db.AddForeignKeyAsync("archive", DbForeignKey.Create("user_id", "users", "id").OnDelete("CASCADE"));
                await db.CreateTableAsync("gone", t => t.Column(DbColumn.Int("id")).PrimaryKey("id"));
                await db.DropTableAsync("gone");
            }
        }
        """;

    /// <summary>What every engine's catalog must say, in portable terms.</summary>
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["users"] =
        [
            "column id integer not null identity",
            "column email string(200) not null",
            "column name string(100) null",
            "column active boolean not null default 1",
            "column role string(20) not null default 'member'",
            "column created_at timestamp not null default current_timestamp",
            "primary key (id)",
            "unique index ux_users_email (email)",
        ],
        ["orders"] =
        [
            "column id integer not null",
            "column line integer not null",
            "column user_id integer null",
            "column total decimal(10,2) not null default 0",
            "column note text null",
            "column due date null",
            "column weight double null",
            "primary key (id, line)",
            "index ix_orders_user_id_due (user_id, due)",
            "foreign key fk_orders_user_id (user_id) references users (id) on delete set null on update cascade",
        ],
        ["archive"] =
        [
            "column id integer not null",
            "column user_id integer not null",
            "primary key (id)",
            "unique index ux_archive_user_id_id (user_id, id)",
            "foreign key fk_archive_user_id (user_id) references users (id) on delete cascade on update no action",
        ],
    };

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task One_builder_script_gives_the_same_schema_on_every_engine(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CSharp("20261118000000_Shop", Shop);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["archive", "orders", "swap_history", "swap_journal", "swap_lock", "users"], await target.TablesAsync());
        foreach (var (table, expected) in Expected)
        {
            var actual = await DescribeAsync(target, table);
            Assert.True(expected.SequenceEqual(actual), $"{table} on {engine}:\n" + string.Join("\n", actual));
        }
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task The_built_tables_behave_the_same_on_every_engine(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CSharp("20261118000000_Shop", Shop);
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);

        await using var c = await target.OpenAsync();
        if (engine == DatabaseEngine.Sqlite)
            await c.ExecuteAsync("PRAGMA foreign_keys = ON", CancellationToken.None); // SQLite enforces keys per connection
        await c.ExecuteAsync("INSERT INTO users (email) VALUES ('ann@example.com')", CancellationToken.None);
        await c.ExecuteAsync("INSERT INTO users (email, active) VALUES ('bob@example.com', @off)", new { off = false }, null, CancellationToken.None);
        var users = await c.QueryAsync("SELECT id, email, active, role, created_at FROM users ORDER BY id", null, CancellationToken.None);
        Assert.Equal([(1L, "ann@example.com", true, "member"), (2L, "bob@example.com", false, "member")], users.Select(u => (u.Int64("id")!.Value, u.String("email"), u.Bool("active"), u.String("role"))));
        Assert.All(users, u => Assert.InRange(u.Timestamp("created_at")!.Value, DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(1)));

        await Assert.ThrowsAnyAsync<DbException>(() => c.ExecuteAsync("INSERT INTO users (email) VALUES ('ann@example.com')", CancellationToken.None));
        await Assert.ThrowsAnyAsync<DbException>(() => c.ExecuteAsync("INSERT INTO orders (id, line, total) VALUES (1, 1, -5)", CancellationToken.None));
        await Assert.ThrowsAnyAsync<DbException>(() => c.ExecuteAsync("INSERT INTO archive (id, user_id) VALUES (1, 99)", CancellationToken.None));

        await c.ExecuteAsync("INSERT INTO orders (id, line, user_id) VALUES (1, 1, 1), (1, 2, 2)", CancellationToken.None);
        await c.ExecuteAsync("INSERT INTO archive (id, user_id) VALUES (1, 1), (2, 2)", CancellationToken.None);
        await c.ExecuteAsync("DELETE FROM users WHERE id = 1", CancellationToken.None);
        Assert.Equal(["1:1:", "1:2:2"], (await c.QueryAsync("SELECT id, line, user_id, total FROM orders ORDER BY id, line", null, CancellationToken.None)).Select(r => $"{r.Int64("id")}:{r.Int64("line")}:{r.Int64("user_id")}"));
        Assert.Equal([0m, 0m], (await c.QueryAsync("SELECT total FROM orders", null, CancellationToken.None)).Select(r => Convert.ToDecimal(r["total"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["2"], (await c.QueryAsync("SELECT id FROM archive", null, CancellationToken.None)).Select(r => r.Int64("id").ToString()));
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Plan_shows_each_engines_ddl_for_the_builder(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CSharp("20261118000000_Shop", Shop);

        var plan = await SwapCli.RunAsync(target, "plan");

        Assert.True(plan.ExitCode == 0, plan.ToString());
        var q = engine == DatabaseEngine.MySql ? "`" : "\"";
        var identity = engine switch
        {
            DatabaseEngine.Sqlite => $"{q}id{q} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,",
            DatabaseEngine.PostgreSql => $"{q}id{q} bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY,",
            _ => $"{q}id{q} BIGINT NOT NULL AUTO_INCREMENT,",
        };
        Assert.Contains($"CREATE TABLE {q}users{q} (", plan.Out, StringComparison.Ordinal);
        Assert.Contains(identity, plan.Out, StringComparison.Ordinal);
        Assert.Contains($"CREATE UNIQUE INDEX {q}ux_users_email{q} ON {q}users{q} ({q}email{q});", plan.Out, StringComparison.Ordinal);
        Assert.Contains(engine == DatabaseEngine.MySql ? "RENAME TABLE `tmp` TO `archive`;" : "ALTER TABLE \"tmp\" RENAME TO \"archive\";", plan.Out, StringComparison.Ordinal);
        Assert.Contains(
            engine switch
            {
                DatabaseEngine.Sqlite => "-- rebuild archive (created above) with the foreign key fk_archive_user_id: SQLite cannot add it in place",
                DatabaseEngine.PostgreSql => "ALTER TABLE \"archive\" VALIDATE CONSTRAINT \"fk_archive_user_id\";",
                _ => "ALTER TABLE `archive` ADD CONSTRAINT `fk_archive_user_id` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE;",
            },
            plan.Out,
            StringComparison.Ordinal);
        Assert.Empty(await target.HistoryAsync());
        Assert.DoesNotContain("users", await target.TablesAsync());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_mistake_in_a_definition_is_refused_before_any_table_is_created(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        target.CSharp("20261118000000_Bad", """
            using Swap.Engine;

            public sealed class MigrateBad : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    await db.CreateTableAsync("good", t => t.Column(DbColumn.Int("id")).PrimaryKey("id"));
                    await db.CreateTableAsync("bad", t => t
                        .Column(DbColumn.Int("id"))
                        .PrimaryKey("id")
                        .Index(DbIndex.Create("emial")));
                }
            }
            """);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("error: MigrateBad: The index ix_bad_emial of 'bad' names the column 'emial', which the table does not have. Its columns are: id.", run.Err, StringComparison.Ordinal);
        var tables = await target.TablesAsync();
        Assert.DoesNotContain("bad", tables);
        // The statements before the refusal: undone with the transaction, or journaled (MySQL) and resumed after the fix.
        Assert.Equal(EngineTraits.RunsScriptsInOneTransaction(engine), !tables.Contains("good"));
        // Refused before anything was written (one transaction): history as before; journaled steps done (MySQL): recorded failed, resumed after the fix.
        if (EngineTraits.RunsScriptsInOneTransaction(engine))
            Assert.Empty(await target.HistoryAsync());
        else
        {
            var history = Assert.Single(await target.HistoryAsync());
            Assert.Equal(("MigrateBad", "failed"), (history.ScriptId, history.Status));
        }
    }

    /// <summary>The catalog's description of a table in portable words: type families, normalized defaults, keys, indexes.</summary>
    private static async Task<List<string>> DescribeAsync(TestTarget target, string table)
    {
        var database = target.Database();
        await using var c = await database.OpenConnectionAsync(CancellationToken.None);
        var schema = await database.TableEngine.LoadTableAsync(c, null, table, CancellationToken.None) ?? throw new InvalidOperationException($"no table {table}");
        var lines = schema.Columns.Select(col =>
            $"column {col.Name} {Family(col.NativeType)} {(col.Nullable ? "null" : "not null")}{(col.AutoIncrement ? " identity" : "")}{(NormalizeDefault(col.Default) is { } d ? " default " + d : "")}").ToList();
        lines.Add($"primary key ({string.Join(", ", schema.PrimaryKey)})");
        // InnoDB adds an index named after a foreign key no index covers; the key, not the index, is what the script asked for.
        lines.AddRange(schema.Indexes
            .Where(i => !schema.ForeignKeys.Any(f => f.Name == i.Name))
            .OrderBy(i => i.Name, StringComparer.Ordinal)
            .Select(i => $"{(i.Unique ? "unique " : "")}index {i.Name} ({string.Join(", ", i.Columns.Select(x => x.Name))})"));
        // SQLite's catalog does not name foreign keys (fk0, fk1...); the name is in the table's DDL.
        var ddl = target.Engine == DatabaseEngine.Sqlite ? (string?)await c.ScalarAsync("SELECT sql FROM sqlite_master WHERE name = @table", new { table }, null, CancellationToken.None) : null;
        string FkName(ForeignKeySchema f) => ddl is null
            ? f.Name
            : Regex.Match(ddl, $"CONSTRAINT \"(\\w+)\" FOREIGN KEY \\(\"{f.Columns[0]}\"") is { Success: true } m ? m.Groups[1].Value : f.Name;
        lines.AddRange(schema.ForeignKeys.OrderBy(FkName, StringComparer.Ordinal).Select(f =>
            $"foreign key {FkName(f)} ({string.Join(", ", f.Columns)}) references {f.ReferencedTable} ({string.Join(", ", f.ReferencedColumns)}) on delete {Action(f.OnDelete)} on update {Action(f.OnUpdate)}"));
        return lines;
    }

    private static string Action(string? action) => (action ?? "no action").ToLowerInvariant() is "restrict" or "no action" ? "no action" : action!.ToLowerInvariant();

    [GeneratedRegex(@"^(tinyint|smallint|int|integer|bigint|mediumint)(\(\d+\))?( unsigned)?$")]
    private static partial Regex IntegerType();

    [GeneratedRegex(@"^(varchar|character varying)\((\d+)\)$")]
    private static partial Regex StringType();

    [GeneratedRegex(@"^(decimal|numeric)\((\d+),(\d+)\)$")]
    private static partial Regex DecimalType();

    private static string Family(string native)
    {
        var t = native.Trim().ToLowerInvariant();
        if (t is "tinyint(1)" or "boolean")
            return "boolean";
        if (IntegerType().IsMatch(t))
            return "integer";
        if (StringType().Match(t) is { Success: true } s)
            return $"string({s.Groups[2].Value})";
        if (DecimalType().Match(t) is { Success: true } d)
            return $"decimal({d.Groups[2].Value},{d.Groups[3].Value})";
        return t switch
        {
            "text" or "longtext" => "text",
            "double" or "double precision" or "real" => "double",
            "date" => "date",
            "datetime" or "datetime(6)" or "timestamp(6) without time zone" => "timestamp",
            _ => "native " + t,
        };
    }

    [GeneratedRegex(@"::[a-z ]+(\(\d+(,\d+)?\))?$")]
    private static partial Regex Cast();

    private static string? NormalizeDefault(string? value)
    {
        if (value is null || value.Equals("NULL", StringComparison.OrdinalIgnoreCase))
            return null;
        var v = Cast().Replace(value.Trim().ToLowerInvariant().Replace("(6)", "", StringComparison.Ordinal).Replace("()", "", StringComparison.Ordinal), "").Trim('(', ')');
        return v switch
        {
            "true" => "1",
            "false" => "0",
            "0.00" or "'0'" => "0",
            _ => v,
        };
    }
}
