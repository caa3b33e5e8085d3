using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// SQLite's names are case-insensitive: a script that writes <c>customers</c> or <c>CUSTOMERS</c>
/// for the table <c>Customers</c> changes that table, as SQLite itself would, and the table keeps
/// the name it was created with, its rows and its triggers.
/// </summary>
public class SqliteNameCaseTests
{
    [Theory]
    [InlineData(50)]       // the one-transaction rebuild
    [InlineData(12_000)]   // the online copy-and-swap (10,000 rows or more)
    public async Task A_table_named_in_another_case_is_the_same_table(int rows)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await target.ExecuteAsync("CREATE TABLE Customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        await target.ExecuteAsync("CREATE TABLE audit (customer_id INTEGER NOT NULL)");
        // Written in lower case, as users do: SQLite records this trigger's table as 'customers'.
        await target.ExecuteAsync("CREATE TRIGGER customers_audit AFTER INSERT ON customers BEGIN INSERT INTO audit VALUES (new.id); END");
        await target.ExecuteAsync($"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) INSERT INTO Customers (id, name) SELECT i, 'c' || i FROM n");
        target.Sql("20261204000000_add_email", """
            -- swap:online
            ALTER TABLE customers ADD COLUMN email TEXT NOT NULL DEFAULT '';
            """);
        target.CSharp("20261204000001_FlagCustomers", """
            using Swap.Engine;

            public sealed class FlagCustomers : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var customers = await db.UseTableForAlterAsync("CUSTOMERS");
                    customers.AddColumn(DbColumn.String("flag", 10).FillWith("CASE WHEN id % 2 = 0 THEN 'even' ELSE 'odd' END"));
                    await db.DoneUsingTablesAsync("CUSTOMERS");
                }
            }
            """);

        // Swap's work tables are named after the table as SQLite has it.
        var plan = await SwapCli.RunAsync(target, "plan");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("_Customers_swap_new", plan.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("_CUSTOMERS_swap", plan.Out, StringComparison.Ordinal);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        var tables = await target.QueryAsync("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'swap%' ORDER BY name");
        Assert.Equal(["Customers", "audit"], tables.Select(r => r.String("name")));
        var columns = await target.QueryAsync("SELECT name FROM pragma_table_info('Customers') ORDER BY cid");
        Assert.Equal(["id", "name", "email", "flag"], columns.Select(r => r.String("name")));
        var counts = await target.QueryAsync("SELECT count(*) AS n, sum(flag = 'even') AS even, sum(email = '') AS empty FROM Customers");
        Assert.Equal((rows, rows / 2, rows), (counts[0].Int64("n"), counts[0].Int64("even"), counts[0].Int64("empty")));
        // The user's trigger is on the swapped table and still fires.
        Assert.Equal("customers_audit", await target.ScalarAsync("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'Customers' COLLATE NOCASE"));
        await target.ExecuteAsync($"INSERT INTO Customers (id, name, flag) VALUES ({rows + 1}, 'new', 'odd')");
        Assert.Equal(rows + 1L, await target.ScalarAsync("SELECT max(customer_id) FROM audit"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }
}
