using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// A change made to the original's definition while it is being swapped (here a column added and
/// written) is not lost by the cut-over: the copy was made from the earlier definition, so the
/// cut-over stops under its lock, capture goes, the original keeps the change, and a cleanup and a
/// new run swap the table as it is now.
/// </summary>
public class DefinitionChangeTests
{
    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_column_added_to_the_original_during_the_swap_stops_the_cut_over_and_is_kept(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 2000);
        EngineKit.WriteSwapScript(target);
        var changed = new Once(target, p => p.Phase == SwapPhase.CuttingOver, "ALTER TABLE items ADD COLUMN z INT DEFAULT 5", "UPDATE items SET z = 7 WHERE id = 3");

        var failure = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o =>
        {
            o.Swap.OneTransactionBelowRows = 0;
            o.OnProgress = changed.Report;
        }).UpAsync());

        Assert.True(changed.Fired);
        Assert.Equal(SwapErrorKind.VerificationFailed, failure.Kind);
        Assert.Contains("its definition changed while it was being swapped", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was swapped", failure.Message, StringComparison.Ordinal);
        Assert.Contains("swap cleanup --script MigrateItems", failure.Message, StringComparison.Ordinal);
        Assert.Equal(7L, Convert.ToInt64(await target.ScalarAsync("SELECT z FROM items WHERE id = 3")));
        Assert.Equal(5L, Convert.ToInt64(await target.ScalarAsync("SELECT z FROM items WHERE id = 4")));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.QueryAsync("SELECT flag FROM items"));
        Assert.Equal("failed", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        var leftovers = await EngineKit.LeftoversAsync(target);
        Assert.DoesNotContain(leftovers, l => l.StartsWith("trigger", StringComparison.Ordinal) || l.StartsWith("function", StringComparison.Ordinal));
        Assert.Contains("table _items_swap_new", leftovers);

        await EngineKit.Migrator(target).CleanupAsync(new CleanupOptions { Script = "MigrateItems" });
        var result = await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync();

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        Assert.Equal(7L, Convert.ToInt64(await target.ScalarAsync("SELECT z FROM items WHERE id = 3")));
        Assert.Equal(2000L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM items WHERE flag IS NOT NULL")));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    public static TheoryData<DatabaseEngine, SwapPhase> CaptureDroppedCases => new()
    {
        // After verification: only the check under the cut-over's lock can see it (the row came back before).
        { DatabaseEngine.Sqlite, SwapPhase.CuttingOver },
        { DatabaseEngine.PostgreSql, SwapPhase.CuttingOver },
        { DatabaseEngine.MySql, SwapPhase.CuttingOver },
        // During the copy: verification finds the row, and says why rather than blaming a rejected write.
        { DatabaseEngine.PostgreSql, SwapPhase.Copying },
        { DatabaseEngine.MySql, SwapPhase.Copying },
    };

    [Theory]
    [MemberData(nameof(CaptureDroppedCases))]
    public async Task A_capture_trigger_dropped_during_the_swap_stops_it_before_a_copy_that_missed_writes_is_swapped_in(DatabaseEngine engine, SwapPhase phase)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 2000);
        EngineKit.WriteSwapScript(target);
        // In the copy, once row 3 is copied: a delete then reaches the copy only through capture.
        // PostgreSQL's row trigger is _ins (insert, update and delete; _del is TRUNCATE's).
        var dropped = new Once(
            target,
            p => p.Phase == phase && !(phase == SwapPhase.Copying && p.RowsCopied == 0),
            engine == DatabaseEngine.PostgreSql ? "DROP TRIGGER _items_swap_ins ON items" : "DROP TRIGGER _items_swap_del",
            "DELETE FROM items WHERE id = 3");

        var failure = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o =>
        {
            o.Swap.OneTransactionBelowRows = 0;
            o.Swap.InitialChunkSize = o.Swap.MaxChunkSize = 500;
            o.OnProgress = dropped.Report;
        }).UpAsync());

        Assert.True(dropped.Fired);
        Assert.Equal(SwapErrorKind.VerificationFailed, failure.Kind);
        Assert.Contains("Swap's capture on it was removed outside Swap while it was being swapped", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was swapped", failure.Message, StringComparison.Ordinal);
        Assert.Contains("swap cleanup --script MigrateItems", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM items WHERE id = 3")));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.QueryAsync("SELECT flag FROM items"));
        var leftovers = await EngineKit.LeftoversAsync(target);
        Assert.DoesNotContain(leftovers, l => l.StartsWith("trigger", StringComparison.Ordinal) || l.StartsWith("function", StringComparison.Ordinal));

        await EngineKit.Migrator(target).CleanupAsync(new CleanupOptions { Script = "MigrateItems" });
        var result = await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync();

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        Assert.Equal(0L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM items WHERE id = 3")));
        Assert.Equal(1999L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM items WHERE flag IS NOT NULL")));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_table_truncated_during_the_copy_is_never_swapped_in_with_its_old_rows(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 2000);
        EngineKit.WriteSwapScript(target);
        // Once rows are in the copy: the table emptied, and one row written again. SQLite has no
        // TRUNCATE; its DELETE without WHERE fires the delete trigger for every row.
        var truncated = new Once(
            target,
            p => p.Phase == SwapPhase.Copying && p.RowsCopied > 0,
            engine == DatabaseEngine.Sqlite ? "DELETE FROM items" : "TRUNCATE TABLE items",
            "INSERT INTO items (id, k, v, n) VALUES (5001, 1, 'new', 0)");
        Task<UpResult> UpAsync() => EngineKit.Migrator(target, o =>
        {
            o.Swap.OneTransactionBelowRows = 0;
            o.Swap.InitialChunkSize = o.Swap.MaxChunkSize = 500;
            o.OnProgress = truncated.Report;
        }).UpAsync();

        if (engine != DatabaseEngine.MySql)
        {
            // PostgreSQL's statement trigger truncates the copy in the same transaction; SQLite's delete trigger logs each row.
            var result = await UpAsync();

            Assert.True(truncated.Fired);
            Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
            Assert.Equal("1 5001 odd", Convert.ToString(await target.ScalarAsync("SELECT count(*) || ' ' || max(id) || ' ' || max(flag) FROM items"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Empty(await EngineKit.LeftoversAsync(target));
            return;
        }

        // MySQL/MariaDB: TRUNCATE is DDL and fires no trigger, so the copy keeps the rows copied
        // before it. Before: "the copy has a row with key 1 that the original does not have. A new
        // unique index, a NOT NULL column or a FillWith expression may have rejected a write...".
        var failure = await Assert.ThrowsAsync<SwapException>(UpAsync);

        Assert.True(truncated.Fired);
        Assert.Equal(SwapErrorKind.VerificationFailed, failure.Kind);
        Assert.True(failure.Message.Contains("that 'items' no longer has, and no delete that capture logged removed it", StringComparison.Ordinal), failure.Message);
        Assert.Contains("TRUNCATE TABLE", failure.Message, StringComparison.Ordinal);
        Assert.Contains("The table was most likely truncated while it was being swapped (the rows it holds now were written after that)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Until the copy _items_swap_new is removed, 'swap up' stops here again", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Run 'swap cleanup --script MigrateItems' to remove it; the next 'swap up' then starts the swap over and copies 'items' as it is now", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("may have rejected a write", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM items")));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.QueryAsync("SELECT flag FROM items"));
        Assert.DoesNotContain(await EngineKit.LeftoversAsync(target), l => l.StartsWith("trigger", StringComparison.Ordinal));

        // The next up says the same, and changes nothing.
        var again = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync());
        Assert.Equal(SwapErrorKind.VerificationFailed, again.Kind);
        Assert.Contains("The table was most likely truncated while it was being swapped", again.Message, StringComparison.Ordinal);
        Assert.Contains("swap cleanup --script MigrateItems", again.Message, StringComparison.Ordinal);

        await EngineKit.Migrator(target).CleanupAsync(new CleanupOptions { Script = "MigrateItems" });
        var rerun = await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync();

        Assert.Equal(["MigrateItems"], rerun.Applied.Select(a => a.Id));
        Assert.Equal("1 5001 odd", await target.ScalarAsync("SELECT CONCAT(COUNT(*), ' ', MAX(id), ' ', MAX(flag)) FROM items"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task MySql_a_table_truncated_after_verification_is_not_swapped_in_with_its_old_rows()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, 2000);
        EngineKit.WriteSwapScript(target);
        // After verification, before the cut-over's lock: TRUNCATE fires no trigger and leaves the
        // definition as it was. Before: the cut-over swapped in the copy with all 2,000 old rows.
        var truncated = new Once(
            target,
            p => p.Phase == SwapPhase.CuttingOver,
            "TRUNCATE TABLE items",
            "INSERT INTO items (id, k, v, n) VALUES (5001, 1, 'new', 0)");

        var failure = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o =>
        {
            o.Swap.OneTransactionBelowRows = 0;
            o.OnProgress = truncated.Report;
        }).UpAsync());

        Assert.True(truncated.Fired);
        Assert.Equal(SwapErrorKind.VerificationFailed, failure.Kind);
        Assert.True(failure.Message.Contains("the copy of 'items' cannot be trusted: 'items' was truncated or rebuilt while it was being swapped", StringComparison.Ordinal), failure.Message);
        Assert.Contains("swapping it in would bring them back", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Run 'swap cleanup --script MigrateItems' and then 'swap up'", failure.Message, StringComparison.Ordinal);
        Assert.Equal("1 5001", await target.ScalarAsync("SELECT CONCAT(COUNT(*), ' ', MAX(id)) FROM items"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.QueryAsync("SELECT flag FROM items"));
        Assert.Equal("failed", await EngineKit.HistoryStatusAsync(target, "MigrateItems"));
        Assert.DoesNotContain(await EngineKit.LeftoversAsync(target), l => l.StartsWith("trigger", StringComparison.Ordinal));

        await EngineKit.Migrator(target).CleanupAsync(new CleanupOptions { Script = "MigrateItems" });
        var rerun = await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync();

        Assert.Equal(["MigrateItems"], rerun.Applied.Select(a => a.Id));
        Assert.Equal("1 5001 odd", await target.ScalarAsync("SELECT CONCAT(COUNT(*), ' ', MAX(id), ' ', MAX(flag)) FROM items"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task PostgreSql_an_index_renamed_during_the_swap_stops_the_cut_over_instead_of_being_renamed_back()
    {
        // ALTER INDEX ... RENAME changes the index's pg_class row, not its pg_index row: the
        // fingerprint missed it, and the cut-over gave the copy's index the old name (and dropped
        // the comment, which follows the index's new name).
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 2000);
        await target.ExecuteAsync("CREATE INDEX items_k_idx ON items (k)");
        EngineKit.WriteSwapScript(target);
        var renamed = new Once(target, p => p.Phase == SwapPhase.Copying && p.RowsCopied > 0, "ALTER INDEX items_k_idx RENAME TO items_k_lookup", "COMMENT ON INDEX items_k_lookup IS 'k lookups'");

        var failure = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o =>
        {
            o.Swap.InitialChunkSize = o.Swap.MaxChunkSize = 500;
            o.OnProgress = renamed.Report;
        }).UpAsync());

        Assert.True(renamed.Fired);
        Assert.Equal(SwapErrorKind.VerificationFailed, failure.Kind);
        Assert.Contains("its definition changed while it was being swapped", failure.Message, StringComparison.Ordinal);
        Assert.Equal("k lookups", await target.ScalarAsync($"SELECT obj_description('\"{target.Name}\".items_k_lookup'::regclass, 'pg_class')"));

        await EngineKit.Migrator(target).CleanupAsync(new CleanupOptions { Script = "MigrateItems" });
        var result = await EngineKit.Migrator(target).UpAsync();

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        Assert.Equal("k lookups", await target.ScalarAsync($"SELECT obj_description('\"{target.Name}\".items_k_lookup'::regclass, 'pg_class')"));
        Assert.Equal(0L, Convert.ToInt64(await target.ScalarAsync($"SELECT count(*) FROM pg_class WHERE relname = 'items_k_idx' AND relnamespace = '\"{target.Name}\"'::regnamespace")));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.Online), MemberType = typeof(SwapEngines))]
    public async Task A_change_log_dropped_during_the_copy_is_named_and_the_next_up_copies_again(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 2000);
        EngineKit.WriteSwapScript(target);
        var dropped = new Once(target, p => p.Phase == SwapPhase.Copying && p.RowsCopied > 0, "DROP TABLE _items_swap_log");

        var failure = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o =>
        {
            o.Swap.OneTransactionBelowRows = 0;
            o.Swap.InitialChunkSize = o.Swap.MaxChunkSize = 500;
            o.OnProgress = dropped.Report;
        }).UpAsync());

        // Before: the server's bare "relation/table does not exist".
        Assert.True(dropped.Fired);
        Assert.Equal(SwapErrorKind.Failure, failure.Kind);
        Assert.Contains("Swap's capture on 'items' was removed outside Swap while it was being swapped", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Run 'swap up' again: it empties the copy and copies the table again", failure.Message, StringComparison.Ordinal);

        var result = await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync();

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        Assert.Equal(2000L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM items WHERE flag IS NOT NULL")));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task Rows_written_during_the_swap_leave_the_definition_unchanged(DatabaseEngine engine)
    {
        // The fingerprint must not move with the rows (MySQL's next AUTO_INCREMENT value, statistics, capture's own triggers).
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 2000);
        EngineKit.WriteSwapScript(target);
        var wrote = new Once(
            target,
            p => p.Phase == SwapPhase.CuttingOver,
            "INSERT INTO items (id, k, v, n) VALUES (5001, 1, 'new', 0)",
            "DELETE FROM items WHERE id = 4",
            engine == DatabaseEngine.MySql ? "ANALYZE TABLE items" : "ANALYZE items");

        var result = await EngineKit.Migrator(target, o =>
        {
            o.Swap.OneTransactionBelowRows = 0;
            o.OnProgress = wrote.Report;
        }).UpAsync();

        Assert.True(wrote.Fired);
        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        Assert.Equal("odd", await target.ScalarAsync("SELECT flag FROM items WHERE id = 5001"));
        Assert.Equal(2000L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM items")));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task A_null_written_during_the_copy_into_a_column_made_not_null_stops_the_swap_as_refused_and_removes_it()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 2000);
        EngineKit.WriteSwapScript(target, EngineKit.SwapScript.Replace("items.GetColumn(\"v\").SetDefault(\"none\");", "items.GetColumn(\"v\").NotNull();", StringComparison.Ordinal));
        // A NULL the preflight could not see: written during the copy, which the copy refuses.
        var wrote = new Once(target, p => p.Phase == SwapPhase.Copying, "UPDATE items SET v = NULL WHERE id = 1999");

        var failure = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o => o.OnProgress = wrote.Report).UpAsync());

        Assert.True(wrote.Fired);
        Assert.Equal(SwapErrorKind.Refused, failure.Kind);
        Assert.Contains("column 'v' becomes character varying(100) NOT NULL, and the row with key (1999) holds a value it cannot take (23502: null value in column \"v\"", failure.Message, StringComparison.Ordinal);
        Assert.Contains("removed its copy, capture and change log; 'items' is as it was", failure.Message, StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Equal(2000, (await EngineKit.ReadItemsAsync(target, withFlag: false)).Count);
        Assert.Null(await target.ScalarAsync("SELECT v FROM items WHERE id = 1999"));
    }

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_child_whose_key_the_parents_cut_over_pointed_again_is_not_taken_for_changed(DatabaseEngine engine)
    {
        // The parent's cut-over re-adds (PostgreSQL) or re-points (MySQL) the child's foreign key;
        // the child, read before that, must still swap.
        await using var target = await TestTarget.CreateAsync(engine);
        var (big, table) = engine switch { DatabaseEngine.Sqlite => ("INTEGER", ""), DatabaseEngine.MySql => ("BIGINT", " ENGINE=InnoDB"), _ => ("BIGINT", "") };
        await target.ExecuteAsync($"CREATE TABLE parent (id {big} NOT NULL PRIMARY KEY, n INT NOT NULL){table}");
        await target.ExecuteAsync($"CREATE TABLE child (id {big} NOT NULL PRIMARY KEY, parent_id {big} NOT NULL, n INT NOT NULL, CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id)){table}");
        await target.ExecuteAsync("INSERT INTO parent (id, n) VALUES (1, 1), (2, 2)");
        await target.ExecuteAsync("INSERT INTO child (id, parent_id, n) VALUES (10, 1, 1), (11, 2, 2)");
        target.WriteFile(Path.Combine("migrations", "20260101000000_Fill.cs"), """
            public sealed class Fill : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var parent = await db.UseTableForAlterAsync("parent");
                    var child = await db.UseTableForAlterAsync("child");
                    parent.AddColumn(DbColumn.Int("m").FillWith("n * 2"));
                    child.AddColumn(DbColumn.Int("m").FillWith("n * 3"));
                    await db.DoneUsingTablesAsync("parent");
                    await db.DoneUsingTablesAsync("child");
                }
            }
            """);

        var result = await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync();

        Assert.Equal(["Fill"], result.Applied.Select(a => a.Id));
        Assert.Equal(6L, Convert.ToInt64(await target.ScalarAsync("SELECT m FROM child WHERE id = 11")));
        Assert.Equal(4L, Convert.ToInt64(await target.ScalarAsync("SELECT m FROM parent WHERE id = 2")));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync("INSERT INTO child (id, parent_id, n, m) VALUES (12, 99, 0, 0)"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>Runs <paramref name="sql"/> as the application would, once, at the first progress report <paramref name="at"/> accepts.</summary>
    private sealed class Once(TestTarget target, Func<SwapProgress, bool> at, params string[] sql)
    {
        public bool Fired { get; private set; }

        public void Report(SwapProgress progress)
        {
            if (Fired || !at(progress))
                return;
            Fired = true;
            foreach (var statement in sql)
                target.ExecuteAsync(statement).GetAwaiter().GetResult();
        }
    }
}
