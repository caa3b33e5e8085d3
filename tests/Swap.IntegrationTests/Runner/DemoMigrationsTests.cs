using Swap.Connections;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

/// <summary>The sample migrations the Demo build target runs (scenarios/demo/migrations) keep working.</summary>
public class DemoMigrationsTests
{
    [Fact]
    public async Task The_demo_migrations_add_and_fill_loyalty_tiers_and_revert()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        await target.ExecuteAsync("CREATE TABLE customers (id INTEGER PRIMARY KEY, orders_count INTEGER NOT NULL, total_spent REAL NOT NULL)");
        await target.ExecuteAsync("INSERT INTO customers (id, orders_count, total_spent) VALUES (1, 25, 6000.5), (2, 25, 900), (3, 5, 1000), (4, 1, 12.5), (5, 0, 0)");
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot(), "scenarios", "demo", "migrations")))
            target.WriteFile(Path.Combine("migrations", Path.GetFileName(file)), File.ReadAllText(file));

        var plan = await SwapCli.RunAsync(target, "plan");
        Assert.Equal(0, plan.ExitCode);
        Assert.DoesNotContain("customers", plan.Err, StringComparison.Ordinal);

        var up = await SwapCli.RunAsync(target, "up");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal(["gold", "bronze", "silver", "bronze", "none"], await target.ColumnAsync("SELECT loyalty_tier FROM customers ORDER BY id"));
        Assert.Contains("gold: 1 customers", up.Err, StringComparison.Ordinal);
        Assert.Equal(["20261120090000_add_loyalty_tier", "MigrateFillLoyaltyTiers"], await target.HistoryIdsAsync());

        var down = await SwapCli.RunAsync(target, "down", "2");
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.DoesNotContain("loyalty_tier", await target.ColumnAsync("SELECT name FROM pragma_table_info('customers')"));
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
