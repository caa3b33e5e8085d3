using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// MySQL/MariaDB and SQLite keep a view's definition as text and check it only when the view is
/// read: a swap (or an in-place ALTER) that drops or renames a column a view reads would leave the
/// view failing every query. Right after the copy is made, each view over the table is compiled
/// against the new table and one the new table cannot serve is refused, with nothing changed; on
/// MySQL/MariaDB an instant change of a column a view names goes to that check. Views that read
/// only what stays keep working after the swap. (PostgreSQL binds views to columns and has its
/// own refusals: PostgresInstantViewTests, PostgresCarryOverTests.)
/// </summary>
public class ViewRefusalTests
{
    [Theory]
    [InlineData(DatabaseEngine.MySql)]
    [InlineData(DatabaseEngine.Sqlite)]
    public async Task Dropping_a_column_a_view_reads_is_refused_with_advice_and_the_fixed_script_runs(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 200);
        await target.ExecuteAsync("CREATE VIEW items_n AS SELECT id, n FROM items");
        target.WriteFile(Path.Combine("migrations", "20260101000000_DropN.sql"), "-- swap:online\nALTER TABLE items DROP COLUMN n;\n");

        var failure = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, failure.Kind);
        Assert.Contains("the view 'items_n' reads a column of 'items' that the new table drops or renames", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Drop the view in the migration before the change and create it again after", failure.Message, StringComparison.Ordinal);
        Assert.Equal(200L, Convert.ToInt64(await target.ScalarAsync("SELECT count(n) FROM items_n"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(await EngineKit.LeftoversAsync(target));

        target.WriteFile(Path.Combine("migrations", "20260101000000_DropN.sql"), "-- swap:online\nDROP VIEW items_n;\nALTER TABLE items DROP COLUMN n;\nCREATE VIEW items_n AS SELECT id, k FROM items;\n");
        var result = await EngineKit.Migrator(target).UpAsync();

        Assert.Equal(["20260101000000_DropN"], result.Applied.Select(a => a.Id));
        Assert.Equal(200L, Convert.ToInt64(await target.ScalarAsync("SELECT count(k) FROM items_n"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(DatabaseEngine.MySql, 500)]
    [InlineData(DatabaseEngine.Sqlite, 500)]
    [InlineData(DatabaseEngine.Sqlite, 20000)]
    public async Task A_copy_that_renames_a_column_a_view_reads_is_refused_naming_that_view_and_a_view_of_kept_columns_reads_the_new_table_after(DatabaseEngine engine, int rows)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, rows);
        await target.ExecuteAsync("CREATE VIEW items_k AS SELECT a.id, a.k FROM items a WHERE a.k < 500");
        await target.ExecuteAsync("CREATE VIEW items_v AS SELECT i.id, i.v AS value FROM items i");
        var renaming = EngineKit.SwapScript.Replace("items.GetColumn(\"v\").SetDefault(\"none\");", "items.RenameColumn(\"v\", \"label\");", StringComparison.Ordinal);
        EngineKit.WriteSwapScript(target, renaming);

        var failure = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, failure.Kind);
        Assert.Contains("the view 'items_v' reads a column of 'items' that the new table drops or renames", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("items_k", failure.Message, StringComparison.Ordinal);
        Assert.Equal((long)rows, Convert.ToInt64(await target.ScalarAsync("SELECT count(value) FROM items_v"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(await EngineKit.LeftoversAsync(target));

        // Without the rename the swap goes through, and the view over kept columns reads the new table.
        EngineKit.WriteSwapScript(target);
        var result = await EngineKit.Migrator(target).UpAsync();

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        Assert.Equal(rows, (await EngineKit.ReadItemsAsync(target)).Count(r => r.Flag is "even" or "odd"));
        Assert.Equal(Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM items WHERE k < 500"), System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM items_k"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((long)rows, Convert.ToInt64(await target.ScalarAsync("SELECT count(value) FROM items_v"), System.Globalization.CultureInfo.InvariantCulture));
    }
}
