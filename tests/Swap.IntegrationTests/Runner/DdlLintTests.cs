using Swap.Discovery;
using Swap.IntegrationTests.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

/// <summary>plan and validate warn about an ALTER a SQL script runs as written on a large table, and say how to run it online.</summary>
public class DdlLintTests
{
    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task Plan_and_validate_warn_about_native_alters_of_large_tables_only(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 1_000);
        await EngineKit.CreateItemsAsync(target, 10, "small");
        if (engine == DatabaseEngine.MySql)
            await target.ExecuteAsync("ANALYZE TABLE items, small");
        target.Sql("20261201000000_native", "ALTER TABLE items ADD COLUMN note VARCHAR(20);\nALTER TABLE small ADD COLUMN note VARCHAR(20);\nCREATE INDEX idx_items_k ON items (k);\n");
        target.Sql("20261201000001_online", "-- swap:online\nALTER TABLE items ADD COLUMN other VARCHAR(20);\n");
        var options = new MigratorOptions { LargeTableRows = 500 };
        options.Sources.Add(MigrationSource.Folder(Path.Combine(target.Folder, "migrations")));
        var migrator = new Migrator(target.Database(), options);

        var plan = await migrator.PlanAsync();
        var validation = await migrator.ValidateAsync();

        var warnings = plan.Scripts[0].Warnings;
        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("20261201000000_native.sql(1): ALTER TABLE items ADD COLUMN note VARCHAR(20) runs as written on 'items' (~", warnings[0], StringComparison.Ordinal);
        Assert.EndsWith(" rows) and may lock or rewrite it for as long as it takes; add '-- swap:online' to the script to run it through the online copy-and-swap", warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("20261201000000_native.sql(3): CREATE INDEX idx_items_k ON items (k) runs as written on 'items'", warnings[1], StringComparison.Ordinal);
        Assert.Empty(plan.Scripts[1].Warnings);
        Assert.Equal(warnings, validation.Warnings);
        Assert.True(validation.IsValid);
        // Reading only: nothing changed.
        Assert.Equal(1_000, await target.CountAsync("items"));
        Assert.DoesNotContain("swap_history", await target.TablesAsync());
    }
}
