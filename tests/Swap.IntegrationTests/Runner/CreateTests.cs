using Swap.Connections;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

public class CreateTests
{
    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Create_writes_stubs_into_migrations_and_group_folders(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);

        var sql = await SwapCli.RunAsync(target, "create", "Add user roles");
        Assert.Equal(0, sql.ExitCode);
        var sqlPath = Assert.Single(sql.OutLines);
        Assert.Matches(@"^migrations/\d{14}_add_user_roles\.sql$", sqlPath);
        Assert.StartsWith("-- Add user roles\n", File.ReadAllText(Path.Combine(target.Folder, sqlPath)), StringComparison.Ordinal);

        var grouped = await SwapCli.RunAsync(target, "create", "Fill roles", "--cs", "--group", "user roles");
        Assert.Equal(0, grouped.ExitCode);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Matches($@"^migrations/{today}-user-roles/\d{{14}}_FillRoles\.cs$", Assert.Single(grouped.OutLines));

        var both = await SwapCli.RunAsync(target, "create", "x", "--sql", "--cs");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("Pick one of --sql and --cs.", both.Err, StringComparison.Ordinal);
        Assert.Empty(await target.TablesAsync());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_created_csharp_stub_compiles_and_runs_up_and_down(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var created = await SwapCli.RunAsync(target, "create", "Seed countries", "--cs");
        Assert.Equal(0, created.ExitCode);

        var up = await SwapCli.RunAsync(target, "up");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal(["MigrateSeedCountries"], await target.HistoryIdsAsync());
        Assert.Equal("cs", (await target.HistoryAsync())[0].Kind);

        var down = await SwapCli.RunAsync(target, "down");
        Assert.Equal(0, down.ExitCode);
        Assert.Empty(await target.HistoryAsync());
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task With_several_modules_create_needs_module_and_writes_into_that_module(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        Directory.CreateDirectory(Path.Combine(target.Folder, "modules", "users", "migrations"));
        Directory.CreateDirectory(Path.Combine(target.Folder, "modules", "billing", "migrations"));
        string[] modules = ["--migrations", "modules/users", "--migrations", "modules/billing"];

        var ambiguous = await SwapCli.RunAsync(target, ["create", "Add tax", .. modules]);
        Assert.Equal(2, ambiguous.ExitCode);
        Assert.Contains("Several migrations folders are configured; say which module with --module (users, billing).", ambiguous.Err, StringComparison.Ordinal);

        var billing = await SwapCli.RunAsync(target, ["create", "Add tax", "--module", "billing", .. modules]);
        Assert.Equal(0, billing.ExitCode);
        Assert.Matches(@"^modules/billing/migrations/\d{14}_add_tax\.sql$", Assert.Single(billing.OutLines));

        var unknown = await SwapCli.RunAsync(target, ["create", "Add tax", "--module", "shipping", .. modules]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("No configured migrations folder belongs to module 'shipping'. Configured: users, billing.", unknown.Err, StringComparison.Ordinal);
    }
}
