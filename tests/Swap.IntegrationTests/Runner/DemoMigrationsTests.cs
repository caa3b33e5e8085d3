using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

/// <summary>The sample migrations the Demo build target runs (scenarios/demo/migrations) keep working.</summary>
public class DemoMigrationsTests
{
    [Fact]
    public async Task The_demo_migrations_fill_loyalty_tiers_swap_the_customers_table_and_revert()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await target.ExecuteAsync("""
            CREATE TABLE customers (
                id INTEGER PRIMARY KEY, first_name TEXT NOT NULL, last_name TEXT NOT NULL, email TEXT NOT NULL UNIQUE,
                country TEXT NOT NULL, city TEXT NOT NULL, signed_up_at TEXT NOT NULL, orders_count INTEGER NOT NULL,
                total_spent REAL NOT NULL, last_order_at TEXT NULL)
            """);
        await target.ExecuteAsync("""
            INSERT INTO customers (id, first_name, last_name, email, country, city, signed_up_at, orders_count, total_spent) VALUES
            (1, 'A', 'A', 'a@x', 'Norway', 'Oslo', '2024-01-01', 25, 6000.5),
            (2, 'B', 'B', 'b@x', 'Brazil', 'Recife', '2024-02-01', 25, 900),
            (3, 'C', 'C', 'c@x', 'Chile', 'Arica', '2024-03-01', 5, 1000),
            (4, 'D', 'D', 'd@x', 'Denmark', 'Aarhus', '2024-04-01', 1, 12.5),
            (5, 'E', 'E', 'e@x', 'Egypt', 'Cairo', '2024-05-01', 0, 0)
            """);
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot(), "scenarios", "demo", "migrations")))
            target.WriteFile(Path.Combine("migrations", Path.GetFileName(file)), File.ReadAllText(file));

        var plan = await SwapCli.RunAsync(target, "plan");
        Assert.Equal(0, plan.ExitCode);
        // Every script plans before anything is applied, the table swap included.
        Assert.Contains("== MigrateCustomersTable", plan.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot plan", plan.Out, StringComparison.Ordinal);
        Assert.Contains("create the copy _customers_swap_new", plan.Out, StringComparison.Ordinal);

        var up = await SwapCli.RunAsync(target, "up");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal(["gold", "bronze", "silver", "bronze", "none"], await target.ColumnAsync("SELECT loyalty_tier FROM customers ORDER BY id"));
        Assert.Equal(["NO", "BR", "CH", "DE", "EG"], await target.ColumnAsync("SELECT country_code FROM customers ORDER BY id"));
        Assert.Equal(["high", "low", "mid", "low", "low"], await target.ColumnAsync("SELECT spend_band FROM customers ORDER BY id"));
        Assert.Equal(["2024-01-01"], await target.ColumnAsync("SELECT updated_on FROM customers WHERE id = 1"));
        Assert.Contains("gold: 1 customers", up.Err, StringComparison.Ordinal);
        Assert.Equal(["20261120090000_add_loyalty_tier", "MigrateFillLoyaltyTiers", "MigrateCustomersTable"], await target.HistoryIdsAsync());
        Assert.Equal(
            ["id", "first_name", "last_name", "email", "country", "country_code", "city", "signed_up_at", "orders_count", "total_spent", "spend_band", "last_order_at", "updated_on", "updated_by_id", "updated_by_name", "updated_by_email", "loyalty_tier"],
            await target.ColumnAsync("SELECT name FROM pragma_table_info('customers')"));

        var replan = await SwapCli.RunAsync(target, "down", "1");
        Assert.True(replan.ExitCode == 0, replan.ToString());
        var swapPlan = await SwapCli.RunAsync(target, "plan");
        Assert.Contains("create the copy _customers_swap_new", swapPlan.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up")).ExitCode);

        var down = await SwapCli.RunAsync(target, "down", "3");
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Equal(["id", "first_name", "last_name", "email", "country", "city", "signed_up_at", "orders_count", "total_spent", "last_order_at"], await target.ColumnAsync("SELECT name FROM pragma_table_info('customers')"));
        Assert.Equal(5, (await target.ColumnAsync("SELECT email FROM customers")).Count);
    }

    [Fact]
    public async Task Demo_show_prints_columns_first_rows_and_the_row_count()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await target.ExecuteAsync("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, total_spent REAL NULL)");
        await target.ExecuteAsync("INSERT INTO customers (id, email, total_spent) VALUES (1, 'a.very.long.address@example.com', 12.5), (2, 'b@x', NULL), (3, 'c@x', 3)");
        await using var connection = await target.OpenAsync();
        var text = await Swap.Scenarios.Demo.DemoShowCommand.RenderAsync(connection, "customers", 2, default);
        Assert.Equal(
            "customers: 3 columns: id INTEGER, email TEXT, total_spent REAL\n"
            + "  id=1, email=a.very.long.address@e..., total_spent=12.5\n"
            + "  id=2, email=b@x, total_spent=NULL\n"
            + "  (3 rows)\n",
            text.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Swap.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Swap.sln not found above " + AppContext.BaseDirectory);
    }
}
