using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>SQLite STRICT tables (3.37+): a swapped table stays STRICT, with types STRICT accepts, or is refused with the reason.</summary>
public class SqliteStrictTests
{
    private const string Script = """
        using Swap.Engine;

        public sealed class MigrateAccounts : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var accounts = await db.UseTableForAlterAsync("accounts");
                accounts.AddColumn(DbColumn.String("email", 120).FillWith("name || '@example.com'"), after: "name");
                accounts.AddColumn(DbColumn.Boolean("active").SetDefault(true));
                accounts.GetColumn("score").SetType(ColumnType.BigInt);
                await db.DoneUsingTablesAsync("accounts");
            }
        }
        """;

    private static async Task<TestTarget> StrictTableAsync()
    {
        var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await target.ExecuteAsync("CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score INT NOT NULL) STRICT");
        await target.ExecuteAsync("INSERT INTO accounts (id, name, score) VALUES (1, 'ada', 10), (2, 'bob', 20)");
        return target;
    }

    [Fact]
    public async Task A_strict_table_stays_strict_with_strict_types_for_its_new_columns()
    {
        await using var target = await StrictTableAsync();
        target.CSharp("20261201000000_MigrateAccounts", Script);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        var sql = (string)(await target.ScalarAsync("SELECT sql FROM sqlite_master WHERE name = 'accounts'"))!;
        Assert.EndsWith("STRICT", sql.TrimEnd(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"email\" TEXT", sql, StringComparison.Ordinal);
        Assert.Contains("\"active\" INTEGER", sql, StringComparison.Ordinal);
        var rows = await target.QueryAsync("SELECT id, name, email, score, active FROM accounts ORDER BY id");
        Assert.Equal([(1L, "ada@example.com", 10L, 1L), (2L, "bob@example.com", 20L, 1L)],
            rows.Select(r => (r.Int64("id")!.Value, r.String("email"), r.Int64("score")!.Value, r.Int64("active")!.Value)));
        // Still STRICT: a value of the wrong storage class is refused by SQLite.
        await Assert.ThrowsAnyAsync<Exception>(() => target.ExecuteAsync("INSERT INTO accounts (id, name, email, score) VALUES (3, 'cy', 'c@x', 'not a number')"));
    }

    [Fact]
    public async Task A_type_strict_tables_lack_is_refused_before_anything_is_written()
    {
        await using var target = await StrictTableAsync();
        target.CSharp("20261201000000_MigrateAccounts", """
            using Swap.Engine;

            public sealed class MigrateAccounts : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var accounts = await db.UseTableForAlterAsync("accounts");
                    accounts.AddColumn(DbColumn.Decimal("balance", 12, 2).SetDefault(0));
                    await db.DoneUsingTablesAsync("accounts");
                }
            }
            """);
        var before = (string)(await target.ScalarAsync("SELECT sql FROM sqlite_master WHERE name = 'accounts'"))!;

        var run = await SwapCli.RunAsync(target, "up");

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("'accounts' is a STRICT table, which has no type for column 'balance'", run.Err, StringComparison.Ordinal);
        Assert.Equal(before, await target.ScalarAsync("SELECT sql FROM sqlite_master WHERE name = 'accounts'"));
        Assert.Equal(["accounts"], (await target.TablesAsync()).Where(t => !t.StartsWith("swap_", StringComparison.Ordinal)));
        Assert.Empty(await target.HistoryIdsAsync());
    }
}
