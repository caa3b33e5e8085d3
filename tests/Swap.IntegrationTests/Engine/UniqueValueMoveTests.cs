using Swap.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// A unique value that moves from a row already copied to a row not copied yet, during the copy:
/// the copy briefly holds the value twice (the first row's stale version and the second row's
/// current one) until the applier re-syncs the first row. A unique index built on the copy in
/// that moment must not fail the swap, and the copy must not drop either row.
/// </summary>
public class UniqueValueMoveTests
{
    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public Task A_unique_value_moved_to_a_row_not_copied_yet_swaps_and_ends_equal(DatabaseEngine engine) =>
        MoveDuringCopyAsync(engine, primaryKey: true);

    /// <summary>
    /// The same on a table keyed by a unique index over NOT NULL columns instead of a primary key: on
    /// PostgreSQL the copy's key is then that unique index, built on the bare copy like a primary key.
    /// </summary>
    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public Task A_unique_value_moved_on_a_table_keyed_by_a_unique_index_swaps_and_ends_equal(DatabaseEngine engine) =>
        MoveDuringCopyAsync(engine, primaryKey: false);

    /// <summary>
    /// SQLite building secondary indexes after the copy: the unique index that keys the table still
    /// comes with the empty copy (chunks skip the keys already there by it), so nothing is copied twice.
    /// </summary>
    [Fact]
    public Task With_sqlite_indexes_after_the_copy_a_table_keyed_by_a_unique_index_swaps_and_ends_equal() =>
        MoveDuringCopyAsync(DatabaseEngine.Sqlite, primaryKey: false, sqliteIndexesAfterCopy: true);

    /// <summary>
    /// Dropping the unique index that keys a table without a primary key, in the swap itself, is
    /// refused before anything is written: the copy would have no key to skip copied rows by.
    /// </summary>
    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task Dropping_the_unique_index_that_keys_a_table_without_primary_key_is_refused_and_changes_nothing(DatabaseEngine engine)
    {
        await using var target = await KeyedByUniqueIndexAsync(engine, 300, """
            items.AddColumn(DbColumn.String("flag", 10).FillWith("CASE WHEN k % 2 = 0 THEN 'even' ELSE 'odd' END"));
            items.DropIndex("items_id");
            """);

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains(
            "The copy of 'items' must keep a unique key over (id): the table has no primary key, and Swap walks it, captures its writes and applies them by its unique index 'items_id'. Keep that index in this migration",
            e.Message,
            StringComparison.Ordinal);
        Assert.Equal(EngineKit.InitialItems(300).Values.OrderBy(r => r.Id), await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        // Refused before anything was written: no history row (the next 'up' runs it once the script is fixed).
        Assert.Null(await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
    }

    /// <summary>The same columns made the primary key in the same swap keep the copy keyed: the unique index may go.</summary>
    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task The_unique_key_made_the_primary_key_may_drop_its_index_in_the_same_swap(DatabaseEngine engine)
    {
        await using var target = await KeyedByUniqueIndexAsync(engine, 300, """
            items.SetPrimaryKey("id");
            items.DropIndex("items_id");
            """);

        await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync();

        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        Assert.Equal(EngineKit.InitialItems(300).Values.OrderBy(r => r.Id), await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>
    /// After verification, one transaction gives row 10 the value of row 20 under the script's new
    /// unique index, then moves row 20 away: committed, the table is unique again. With one log row
    /// per batch the applier meets row 10 while the copy still has row 20's old value, and skips it;
    /// its log row is gone with the batch, so the key must be logged again or the change is lost.
    /// </summary>
    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_key_the_copy_refuses_for_a_moment_is_applied_again_once_the_value_is_free(DatabaseEngine engine)
    {
        await using var target = await NewUniqueIndexOnVAsync(engine);
        var moved = false;
        var migrator = EngineKit.Migrator(target, o =>
        {
            o.Swap.OneTransactionBelowRows = 0;
            o.Swap.ApplyBatchSize = 1;
            o.Swap.Progress = new SyncProgress(p =>
            {
                if (moved || p.Phase != SwapPhase.CuttingOver)
                    return;
                moved = true;
                InOneTransactionAsync(target, "UPDATE items SET v = 'v20' WHERE id = 10", "UPDATE items SET v = 'w20' WHERE id = 20").GetAwaiter().GetResult();
            });
        });

        var result = await migrator.UpAsync();

        Assert.True(moved);
        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        var expected = EngineKit.InitialItems(Rows);
        expected[10] = expected[10] with { V = "v20" };
        expected[20] = expected[20] with { V = "w20" };
        Assert.Equal(expected.Values.OrderBy(r => r.Id), await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>
    /// After verification the application inserts a row whose value the script's new unique index
    /// rejects (the original does not enforce it): the cut-over stops with the key named, and the
    /// row is not lost (the swap used to complete without it).
    /// </summary>
    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_row_the_new_unique_index_rejects_stops_the_cut_over_and_is_kept(DatabaseEngine engine)
    {
        await using var target = await NewUniqueIndexOnVAsync(engine);
        var inserted = false;
        var migrator = EngineKit.Migrator(target, o =>
        {
            o.Swap.OneTransactionBelowRows = 0;
            o.Swap.Progress = new SyncProgress(p =>
            {
                if (inserted || p.Phase != SwapPhase.CuttingOver)
                    return;
                inserted = true;
                target.ExecuteAsync("INSERT INTO items (id, k, v, n) VALUES (5000, 1, 'v7', 0)").GetAwaiter().GetResult();
            });
        });

        var e = await Assert.ThrowsAsync<SwapException>(() => migrator.UpAsync());

        Assert.True(inserted);
        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.StartsWith("MigrateItems: the application wrote rows to 'items' that the new table refuses: the row(s) with key (5000) hold a value that another row already has under a unique index of the new table", e.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was swapped; the original is intact", e.Message, StringComparison.Ordinal);
        var rows = await EngineKit.ReadItemsAsync(target, withFlag: false);
        Assert.Equal(Rows + 1, rows.Count);
        Assert.Equal("v7", rows.Single(r => r.Id == 5000).V);

        await target.ExecuteAsync("DELETE FROM items WHERE id = 5000");
        var result = await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync();
        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        Assert.Equal(EngineKit.InitialItems(Rows).Values.OrderBy(r => r.Id), await EngineKit.ReadItemsAsync(target, withFlag: false));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync("INSERT INTO items (id, k, v, n) VALUES (5001, 1, 'v7', 0)"));
        Assert.Equal([], await EngineKit.LeftoversAsync(target));
    }

    private const int Rows = 2_000;

    private static async Task<TestTarget> NewUniqueIndexOnVAsync(DatabaseEngine engine)
    {
        var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, Rows);
        EngineKit.WriteSwapScript(target, """
            public sealed class MigrateItems : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var items = await db.UseTableForAlterAsync("items");
                    items.AddIndex(DbIndex.Unique("v"));
                    items.ForceCopy();
                    await db.DoneUsingTablesAsync("items");
                }
            }
            """);
        return target;
    }

    private static async Task InOneTransactionAsync(TestTarget target, params string[] statements)
    {
        await using var c = await target.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        foreach (var sql in statements)
            await Swap.Data.DbCommands.ExecuteAsync(c, sql, null, tx, default);
        await tx.CommitAsync();
    }

    /// <summary>A target whose <c>items</c> has no primary key, keyed by the unique index <c>items_id</c>, and a swap script making <paramref name="change"/> to it.</summary>
    private static async Task<TestTarget> KeyedByUniqueIndexAsync(DatabaseEngine engine, int rows, string change)
    {
        var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, rows, primaryKey: false);
        await target.ExecuteAsync("CREATE UNIQUE INDEX items_id ON items (id)");
        EngineKit.WriteSwapScript(target, $$"""
            public sealed class MigrateItems : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var items = await db.UseTableForAlterAsync("items");
                    {{change}}
                    await db.DoneUsingTablesAsync("items");
                }
            }
            """);
        return target;
    }

    private static async Task MoveDuringCopyAsync(DatabaseEngine engine, bool primaryKey, bool sqliteIndexesAfterCopy = false)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        const int rows = 2_000;
        await EngineKit.CreateItemsAsync(target, rows, primaryKey: primaryKey);
        if (!primaryKey)
            await target.ExecuteAsync("CREATE UNIQUE INDEX items_id ON items (id)");
        await target.ExecuteAsync("CREATE UNIQUE INDEX items_v ON items (v)");
        EngineKit.WriteSwapScript(target);
        var moved = false;
        var migrator = EngineKit.Migrator(target, o =>
        {
            // Online on SQLite too, in chunks of 50 rows: rows 1-50 are copied first.
            o.Swap.OneTransactionBelowRows = 0;
            o.Swap.InitialChunkSize = 50;
            o.Swap.MaxChunkSize = 50;
            o.Swap.SqliteIndexesAfterCopy = sqliteIndexesAfterCopy;
            o.Swap.Progress = new SyncProgress(p =>
            {
                if (moved || p.Phase != SwapPhase.Copying || p.RowsCopied == 0)
                    return;
                moved = true;
                // On the engine's thread, between the first chunk and the second: 'v1' leaves row 1
                // (copied) for row 1500 (not copied yet).
                target.ExecuteAsync("UPDATE items SET v = 'moved' WHERE id = 1").GetAwaiter().GetResult();
                target.ExecuteAsync("UPDATE items SET v = 'v1' WHERE id = 1500").GetAwaiter().GetResult();
            });
        });

        var result = await migrator.UpAsync();

        Assert.True(moved, "the value must have moved during the copy, or this test proves nothing");
        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        var expected = EngineKit.InitialItems(rows);
        expected[1] = expected[1] with { V = "moved" };
        expected[1500] = expected[1500] with { V = "v1" };
        var actual = await EngineKit.ReadItemsAsync(target);
        Assert.Equal(
            expected.Values.OrderBy(r => r.Id).Select(r => r with { Flag = EngineKit.Flag(r.K) }),
            actual);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        var indexes = await target.ColumnAsync(engine switch
        {
            DatabaseEngine.PostgreSql => "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'items' ORDER BY 1",
            DatabaseEngine.MySql => "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' ORDER BY 1",
            _ => "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items' AND sql IS NOT NULL ORDER BY 1",
        });
        Assert.Contains("items_v", indexes);
        Assert.Equal(!primaryKey, indexes.Contains("items_id"));
        // The key is still unique after the swap.
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync("INSERT INTO items (id, k, v, n, flag) VALUES (7, 1, 'dup', 0, 'odd')"));
    }
}
