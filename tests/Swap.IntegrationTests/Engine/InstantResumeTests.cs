using Swap.Cli;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// Invariant 2 for the cheapest path: a process killed with SIGKILL inside an instant / in-place
/// change (after its first statement, before the second and before the journal says done) resumes
/// with <c>swap up</c> and ends with the schema, the data and the history of an uninterrupted run,
/// still without a copy.
/// </summary>
public class InstantResumeTests
{
    private const string Script = """
        public sealed class MigrateItems : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var items = await db.UseTableForAlterAsync("items");
                items.AddColumn(DbColumn.String("note", 20));
                items.AddIndex(DbIndex.Create("k").Named("idx_items_k"));
                await db.DoneUsingTablesAsync("items");
            }
        }
        """;

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_process_killed_between_the_statements_of_an_instant_change_resumes_it_without_a_copy(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 500);
        var before = await EngineKit.ReadItemsAsync(target, withFlag: false);
        var storage = await StorageAsync(target);
        target.CSharp("20261201000000_MigrateItems", Script);

        var (exit, output) = await CliProcess.RunAsync(target.Folder, new Dictionary<string, string> { ["SWAP_FAULT_KILL_AT"] = "instant-statement:1" }, TimeSpan.FromMinutes(2), "up", "--db", target.UrlText);

        Assert.True(exit == 137, $"the process should have been killed after the first statement (exit 137), but exited {exit}: {output}");
        Assert.Contains("SIGKILL at instant-statement:1", output, StringComparison.Ordinal);
        Assert.NotEqual("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        // The first statement took effect on MySQL and PostgreSQL (the step is journaled, each statement commits);
        // SQLite ran the small table's script in one transaction, which the kill rolled back.
        Assert.Equal(engine != DatabaseEngine.Sqlite, await HasColumnAsync(target, "note"));
        var status = await SwapCli.RunAsync(target, "status");
        if (engine != DatabaseEngine.Sqlite)
            Assert.Contains("interrupted; 'swap up' resumes it at step 1 (instant/in-place change: items ", status.Out, StringComparison.Ordinal);

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["up", "--db", target.UrlText], stdout, stderr, _ => null, target.Folder, TimeProvider.System, default);

        Assert.True(code == 0, $"resume failed ({code}): {stdout}{stderr}");
        Assert.Contains("applied\tMigrateItems", stdout.ToString(), StringComparison.Ordinal);
        Assert.Equal(storage, await StorageAsync(target));
        Assert.True(await HasColumnAsync(target, "note"));
        Assert.Equal(["idx_items_k"], await IndexesAsync(target));
        var after = await target.QueryAsync("SELECT id, v, note FROM items ORDER BY id");
        Assert.Equal(before.Select(r => (r.Id, r.V, (string?)null)), after.Select(r => (r.Int64("id")!.Value, r.String("v"), r.String("note"))));
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        // status says how the applied script changed the table, and why.
        var applied = (await SwapCli.RunAsync(target, "status")).OutLines.Single(l => l.StartsWith("applied\t", StringComparison.Ordinal));
        Assert.Matches(@"\tmethod: items: (instant|in place): \S", applied);
    }

    private static async Task<string> StorageAsync(TestTarget target) => Convert.ToString(await target.ScalarAsync(target.Engine switch
    {
        DatabaseEngine.PostgreSql => "SELECT relfilenode FROM pg_class WHERE oid = 'items'::regclass",
        DatabaseEngine.MySql => "SELECT TABLE_ID FROM information_schema.INNODB_SYS_TABLES WHERE NAME = CONCAT(DATABASE(), '/items')",
        _ => "SELECT rootpage FROM sqlite_master WHERE name = 'items'",
    }), System.Globalization.CultureInfo.InvariantCulture)!;

    private static async Task<bool> HasColumnAsync(TestTarget target, string column) => (await target.ColumnAsync(target.Engine switch
    {
        DatabaseEngine.PostgreSql => "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'items'",
        DatabaseEngine.MySql => "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items'",
        _ => "SELECT name FROM pragma_table_info('items')",
    })).Contains(column);

    private static Task<List<string?>> IndexesAsync(TestTarget target) => target.ColumnAsync(target.Engine switch
    {
        DatabaseEngine.PostgreSql => "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'items' AND indexname = 'idx_items_k'",
        DatabaseEngine.MySql => "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND INDEX_NAME = 'idx_items_k'",
        _ => "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'idx_items_k'",
    });
}
