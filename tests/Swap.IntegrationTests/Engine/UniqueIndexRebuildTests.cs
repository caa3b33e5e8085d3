using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// Under writes, PostgreSQL builds the copy's secondary indexes after its key with the change log
/// applied down to less than a batch; MySQL/MariaDB builds them beside verification with the
/// applier paused. A unique value the application moved between rows can then still be in the copy
/// twice (one row re-synced, the other still in the log): the unique index's build fails, the
/// applier catches up, and the build is repeated.
/// </summary>
public class UniqueIndexRebuildTests
{
    [Fact]
    public async Task A_unique_index_that_meets_a_duplicate_left_by_the_backlog_is_built_again_after_the_applier_catches_up()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);

        // Before the key's build (report 1): a write of the application, applied after it, so the
        // secondary builds run one after the other on the swap's connection; the duplicate before them (report 2).
        var (reports, rows) = await SwapWithDuplicateAsync(target, atReport: 2, first: () => target.ExecuteAsync("UPDATE items SET n = n + 1 WHERE id = 10"));

        Assert.True(reports >= 3, $"the secondary build was reported {reports} time(s); a repeated build reports again");
        Assert.Equal(1L, rows.Single(r => r.Id == 10).N);
        Assert.Equal("u", await target.ScalarAsync("SELECT CASE WHEN indisunique THEN 'u' ELSE '-' END FROM pg_index WHERE indrelid = 'items'::regclass AND indkey::text = (SELECT attnum::text FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'v')"));
    }

    [Fact]
    public async Task A_unique_index_built_beside_verification_that_meets_a_duplicate_left_by_the_backlog_is_built_again_after_verification()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);

        // The duplicate before the build beside verification (report 1).
        var (reports, _) = await SwapWithDuplicateAsync(target, atReport: 1);

        Assert.True(reports >= 2, $"the secondary build was reported {reports} time(s); the build repeated after verification reports again");
        Assert.Equal(0L, Convert.ToInt64(await target.ScalarAsync("SELECT MIN(NON_UNIQUE) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND COLUMN_NAME = 'v'"), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Swaps 2,000 items into a copy with a unique index on <c>v</c>. At the <paramref name="atReport"/>-th
    /// "building indexes" report (after <paramref name="first"/> at the first, if given), row 1 of
    /// the copy is given row 2's value, as if the application had moved it and only row 2 had been
    /// re-synced; row 1 is still in the log. Checks the swap applied, rows 1 and 2 kept their own
    /// values and nothing was left; returns how often the build was reported and the rows.
    /// </summary>
    private static async Task<(int Reports, List<ItemRow> Rows)> SwapWithDuplicateAsync(TestTarget target, int atReport, Func<Task>? first = null)
    {
        await EngineKit.CreateItemsAsync(target, 2000);
        EngineKit.WriteSwapScript(target, EngineKit.SwapScript.Replace("items.AddIndex(DbIndex.Create(\"flag\"));", "items.AddIndex(DbIndex.Unique(\"v\"));", StringComparison.Ordinal));
        var reports = 0;

        var result = await EngineKit.Migrator(target, o => o.OnProgress = p =>
        {
            if (p.Phase != SwapPhase.BuildingIndexes)
                return;
            reports++;
            if (reports == 1 && first is not null)
                first().GetAwaiter().GetResult();
            if (reports == atReport)
            {
                target.ExecuteAsync("UPDATE _items_swap_new SET v = 'v2' WHERE id = 1").GetAwaiter().GetResult();
                target.ExecuteAsync("INSERT INTO _items_swap_log (op, k0) VALUES ('u', 1)").GetAwaiter().GetResult();
            }
        }).UpAsync();

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        var rows = await EngineKit.ReadItemsAsync(target);
        Assert.Equal(2000, rows.Count);
        Assert.Equal("v1", rows.Single(r => r.Id == 1).V);
        Assert.Equal("v2", rows.Single(r => r.Id == 2).V);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        return (reports, rows);
    }
}
