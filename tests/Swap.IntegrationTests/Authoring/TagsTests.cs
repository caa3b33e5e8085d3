using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Authoring;

public class TagsTests
{
    private const string DemoOrders = """
        [Tags("demo")]
        public sealed class MigrateDemoOrders : Migration
        {
            public MigrateDemoOrders() => ExecuteAfter("20261120000000_create_orders");

            public override Task UpAsync(MigrationContext db) =>
                db.ExecuteAsync("INSERT INTO orders (id, user_id) VALUES (@id, @user)", new { id = 10, user = 1 });
        }
        """;

    private static void Write(TestTarget target)
    {
        target.CreateTable("20261118000000_create_users", "users");
        target.Sql("20261119000000_seed_users", "-- swap:tags seed, demo\n-- swap:after 20261118000000_create_users\nINSERT INTO users (id, name) VALUES (1, 'ann'), (2, 'bob');\n");
        target.Sql("20261120000000_create_orders", "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, user_id INT NOT NULL);\n");
        target.CSharp("20261121000000_DemoOrders", DemoOrders);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task Up_with_tags_applies_only_tagged_pending_scripts_and_leaves_the_rest_pending(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        Write(target);
        Assert.Equal(0, (await SwapCli.RunAsync(target, "up", "--to", "20261118000000_create_users")).ExitCode);

        var run = await SwapCli.RunAsync(target, "up", "--tags", "seed");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"^applied\t20261119000000_seed_users\t", run.OutLines[0]);
        Assert.Equal(["Applied 1 script(s) as batch 2.", "2 script(s) still pending."], run.OutLines[^2..]);
        Assert.Equal(["20261118000000_create_users", "20261119000000_seed_users"], await target.HistoryIdsAsync());
        Assert.Equal(["ann", "bob"], await target.ColumnAsync("SELECT name FROM users ORDER BY id"));
        Assert.DoesNotContain("orders", await target.TablesAsync());

        var status = await SwapCli.RunAsync(target, "status", "--tags", "demo");
        Assert.Equal(0, status.ExitCode);
        var module = Path.GetFileName(target.Folder);
        Assert.Equal(
            [$"applied\t{module}\t20261119000000_seed_users", $"pending\t{module}\tMigrateDemoOrders"],
            status.OutLines[1..^1].Select(l => string.Join('\t', l.Split('\t')[..3])));
        Assert.Equal("next: MigrateDemoOrders (pending)", status.OutLines[^1]);

        // Without --tags everything pending runs, tagged or not.
        var rest = await SwapCli.RunAsync(target, "up");
        Assert.Equal(0, rest.ExitCode);
        Assert.Equal(["20261118000000_create_users", "20261119000000_seed_users", "20261120000000_create_orders", "MigrateDemoOrders"], await target.HistoryIdsAsync());
        Assert.Equal(["10"], await target.ColumnAsync("SELECT id FROM orders"));
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task A_tagged_script_whose_dependency_is_pending_and_untagged_is_refused_before_anything_runs(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        Write(target);

        var run = await SwapCli.RunAsync(target, "up", "--tags", "demo");

        Assert.Equal(7, run.ExitCode);
        Assert.Contains(
            "error: 20261119000000_seed_users (tags seed, demo) runs after 20261118000000_create_users, which is pending and carries none of the tags demo. Nothing was applied. Apply it first ('swap up --to 20261118000000_create_users'), or add one of the tags demo to it.",
            run.Err,
            StringComparison.Ordinal);
        // No table at all: no script ran, and a database new to Swap keeps none of Swap's tables after a refusal.
        Assert.Empty(await target.TablesAsync());

        var plan = await SwapCli.RunAsync(target, "plan", "--tags", "demo");
        Assert.Equal(7, plan.ExitCode);
    }

    [Theory]
    [MemberData(nameof(EngineData.Engines), MemberType = typeof(EngineData))]
    public async Task An_unknown_or_malformed_tag_is_a_usage_error_and_a_malformed_tag_line_an_invalid_migration(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        Write(target);

        var unknown = await SwapCli.RunAsync(target, "up", "--tags", "sed");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("error: --tags sed: no script carries that tag. Known tags: demo, seed.", unknown.Err, StringComparison.Ordinal);
        var status = await SwapCli.RunAsync(target, "status", "--tags", "seed,nope");
        Assert.Equal(2, status.ExitCode);
        Assert.Contains("--tags nope: no script carries that tag.", status.Err, StringComparison.Ordinal);

        var bad = target.Sql("20261122000000_bad_tags", "-- swap:tags seed; demo\nSELECT 1;\n");
        var malformed = await SwapCli.RunAsync(target, "up");
        Assert.Equal(6, malformed.ExitCode);
        Assert.Contains($"error: {bad}(1): the SQL migration has the tag 'seed;', which is not a tag: tags are letters, digits, '_', '-' and '.', separated by commas.", malformed.Err, StringComparison.Ordinal);
        File.Delete(bad);

        target.CSharp("20261123000000_BadTag", "[Tags(\"ok\", \"no way\")]\npublic sealed class MigrateBadTag : Migration { public override Task UpAsync(MigrationContext db) => Task.CompletedTask; }\n");
        var badAttribute = await SwapCli.RunAsync(target, "up");
        Assert.Equal(6, badAttribute.ExitCode);
        Assert.Contains("MigrateBadTag (", badAttribute.Err, StringComparison.Ordinal);
        Assert.Contains("has the tag 'no way', which is not a tag", badAttribute.Err, StringComparison.Ordinal);
        Assert.Empty(await target.TablesAsync());
    }
}
