using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// MySQL/MariaDB refuse some indexes only when they build them (a key longer than 3,072 bytes:
/// 1071; MariaDB cuts a lone TEXT column to a prefix itself, but not one beside another column). The copy defers its indexes until its rows are in, so such an index used to fail
/// after the whole copy; each deferred index is now built on the empty copy first and dropped
/// again, and the swap is refused before any row is copied, with nothing changed.
/// </summary>
public class DeferredIndexCheckTests
{
    [Fact]
    public async Task An_index_the_server_will_not_build_is_refused_before_any_row_is_copied_and_the_fixed_script_runs()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, 3000);
        EngineKit.WriteSwapScript(target, EngineKit.SwapScript.Replace(
            "items.AddIndex(DbIndex.Create(\"flag\"));",
            "items.AddColumn(DbColumn.Text(\"label\").FillWith(\"v\"));\n        items.AddIndex(DbIndex.Create(\"v\", \"label\"));",
            StringComparison.Ordinal));
        var copied = 0L;

        var failure = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o => o.OnProgress = p => copied = Math.Max(copied, p.RowsCopied)).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, failure.Kind);
        Assert.Contains("Swap cannot change 'items' on MySQL/MariaDB: the server will not build the new table's index ix_items_v_label (", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Change the index in the script (for example give a TEXT column a prefix length, or index a shorter column); nothing was changed.", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0L, copied);
        Assert.Equal(3000L, Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM items"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(await target.QueryAsync("SELECT column_name FROM information_schema.COLUMNS WHERE table_schema = DATABASE() AND table_name = 'items' AND column_name = 'label'"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));

        // The script fixed as the message says (the TEXT column indexed by its first 20 characters): it runs, with the index.
        EngineKit.WriteSwapScript(target, EngineKit.SwapScript.Replace(
            "items.AddIndex(DbIndex.Create(\"flag\"));",
            "items.AddColumn(DbColumn.Text(\"label\").FillWith(\"v\"));\n        items.AddIndex(DbIndex.Create(\"v\", \"label\").WithPrefix(\"label\", 20));",
            StringComparison.Ordinal));
        var result = await EngineKit.Migrator(target).UpAsync();

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        Assert.Equal(20L, Convert.ToInt64(await target.ScalarAsync("SELECT sub_part FROM information_schema.STATISTICS WHERE table_schema = DATABASE() AND table_name = 'items' AND index_name = 'ix_items_v_label' AND column_name = 'label'"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3000L, Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM items WHERE label = v"), System.Globalization.CultureInfo.InvariantCulture));
    }
}
