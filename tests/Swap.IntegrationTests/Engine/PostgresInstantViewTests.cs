using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// PostgreSQL will not drop a column a view reads (2BP01): an instant drop of such a column goes to
/// the copy's check, which refuses it before anything is written and says what to do, and the
/// script can then be edited (no interrupted step is left in the journal).
/// </summary>
public class PostgresInstantViewTests
{
    [Fact]
    public async Task Dropping_a_column_a_view_reads_is_refused_with_advice_and_leaves_the_script_editable()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 200);
        await target.ExecuteAsync("CREATE VIEW items_n AS SELECT id, n FROM items");
        target.WriteFile(Path.Combine("migrations", "20260101000000_DropN.sql"), "-- swap:online\nALTER TABLE items DROP COLUMN n;\n");

        var failure = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, failure.Kind);
        Assert.Contains("The view 'items_n' reads the column 'n', which this swap drops. Drop the view in the migration before the swap and create it again after.", failure.Message, StringComparison.Ordinal);
        Assert.Equal(200L, Convert.ToInt64(await target.ScalarAsync("SELECT count(n) FROM items")));
        Assert.Empty(await EngineKit.LeftoversAsync(target));

        // The script is fixed as the message says, and runs.
        target.WriteFile(Path.Combine("migrations", "20260101000000_DropN.sql"), "-- swap:online\nDROP VIEW items_n;\nALTER TABLE items DROP COLUMN n;\n");
        var result = await EngineKit.Migrator(target).UpAsync();

        Assert.Equal(["20260101000000_DropN"], result.Applied.Select(a => a.Id));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.QueryAsync("SELECT n FROM items"));
        Assert.Equal(200L, Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM items")));
    }
}
