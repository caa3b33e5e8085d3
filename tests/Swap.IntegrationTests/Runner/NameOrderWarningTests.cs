using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

/// <summary>
/// C# scripts without a date (CreateShop.cs, AddOrders.cs) run in the order of their file names; every
/// verb that reads the scripts says so, and the order stays as documented.
/// </summary>
public class NameOrderWarningTests
{
    private const string CreateShop = """
        public sealed class CreateShop : Migration
        {
            public override Task UpAsync(MigrationContext db) => db.ExecuteAsync("CREATE TABLE shop (id INT NOT NULL PRIMARY KEY)");
        }
        """;

    private static string AddOrders(string constructor = "") => $$"""
        public sealed class AddOrders : Migration
        {
            {{constructor}}
            public override Task UpAsync(MigrationContext db) => db.ExecuteAsync("CREATE TABLE orders (id INT NOT NULL PRIMARY KEY)");
        }
        """;

    [Fact]
    public async Task Undated_csharp_scripts_ordered_by_their_names_are_warned_about_by_every_verb()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        target.CSharp("CreateShop", CreateShop);
        target.CSharp("AddOrders", AddOrders());
        var warning = $" warn: module '{Path.GetFileName(target.Folder)}': 2 scripts have no date, so their file names alone order them, alphabetically and before every dated script (AddOrders.cs, CreateShop.cs, in that order). "
            + "If that is not the order meant, give them date prefixes (as 'swap create' names scripts: yyyyMMddHHmmss_name) or dependencies (ExecuteAfter / -- swap:after).\n";

        foreach (var verb in new[] { "status", "plan", "validate", "up" })
        {
            var run = await SwapCli.RunAsync(target, verb);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Single(run.Err.Split('\n'), l => l.Contains(" warn: module ", StringComparison.Ordinal));
            Assert.Contains(warning, run.Err, StringComparison.Ordinal);
        }
        // The order is the documented one, names alone.
        Assert.Equal(["AddOrders", "CreateShop"], (await target.HistoryAsync()).Select(h => h.ScriptId));
    }

    [Fact]
    public async Task Undated_scripts_a_dependency_orders_get_no_warning()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        target.CSharp("CreateShop", CreateShop);
        target.CSharp("AddOrders", AddOrders("public AddOrders() => ExecuteAfter<CreateShop>();"));

        var up = await SwapCli.RunAsync(target, "up");

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.DoesNotContain(" warn: module ", up.Err, StringComparison.Ordinal);
        Assert.Equal(["CreateShop", "AddOrders"], (await target.HistoryAsync()).Select(h => h.ScriptId));
    }
}
