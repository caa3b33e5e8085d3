using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// A new foreign key that existing rows break: the first such row is named by its key and nothing
/// changes (exit 7), on every path. MariaDB and SQLite put the key on the copy (a chunk's INSERT
/// fails on the row); PostgreSQL adds it NOT VALID and validates it in place, or, when the change
/// also needs a copy, looks for the row in the copy before the cut-over (the copy gets the key only
/// after it).
/// </summary>
public class ForeignKeyRowTests
{
    private const string Script = "20261205000000_owned";

    [Theory]
    [MemberData(nameof(SwapEngines.All), MemberType = typeof(SwapEngines))]
    public async Task A_row_without_a_parent_is_named_and_nothing_changes_until_the_parent_exists(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 3000);
        // items.k = id * 7 % 1000: k = 993 first at id 999 (then 1999, 2999), which has no owner.
        await CreateOwnersAsync(target);
        await target.ExecuteAsync("DELETE FROM owners WHERE id = 993");
        var before = await EngineKit.ReadItemsAsync(target, withFlag: false);
        target.Sql(Script, """
            -- swap:online
            ALTER TABLE items ADD CONSTRAINT fk_items_k FOREIGN KEY (k) REFERENCES owners (id);
            -- swap:down
            ALTER TABLE items DROP CONSTRAINT fk_items_k;
            """);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 7, run.ToString());
        Assert.Contains("the row with key (999) fails", run.Err, StringComparison.Ordinal);
        Assert.Contains("foreign key 'fk_items_k' (k references owners (id))", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("_swap_", run.Err, StringComparison.Ordinal);
        Assert.Equal(before, await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.Empty(await ForeignKeysAsync(target));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, Script));
        // No half-made constraint checks the application's writes.
        await target.ExecuteAsync("INSERT INTO items (id, k, v, n) VALUES (5000, 993, 'x', 0)");

        await target.ExecuteAsync("INSERT INTO owners (id) VALUES (993)");
        var again = await SwapCli.RunAsync(target, "up");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal("applied", await EngineKit.HistoryStatusAsync(target, Script));
        Assert.Equal(["fk_items_k"], await ForeignKeysAsync(target));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => target.ExecuteAsync("INSERT INTO items (id, k, v, n) VALUES (5001, 5000, 'x', 0)"));
        Assert.NotNull(target.Database().ValueNotFitting(error));
        Assert.Equal(3001, await target.CountAsync("items", "1 = 1"));
    }

    [Fact]
    public async Task PostgreSQL_looks_for_the_row_in_the_copy_before_the_cut_over_when_the_change_copies()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 3000);
        await CreateOwnersAsync(target);
        await target.ExecuteAsync("DELETE FROM owners WHERE id = 993");
        var before = await EngineKit.ReadItemsAsync(target, withFlag: false);
        // The retype needs a copy, so the foreign key comes with it; PostgreSQL adds it to the swapped-in table.
        target.Sql(Script, """
            -- swap:online
            ALTER TABLE items ALTER COLUMN n TYPE BIGINT, ADD CONSTRAINT fk_items_k FOREIGN KEY (k) REFERENCES owners (id);
            """);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 7, run.ToString());
        Assert.Contains("the row with key (999) fails the new foreign key 'fk_items_k' (k references owners (id)): 'owners' has no row with its k", run.Err, StringComparison.Ordinal);
        Assert.Contains("key (k)=(993) is not present in table \"owners\"", run.Err, StringComparison.Ordinal);
        Assert.Contains("removed its copy, capture and change log", run.Err, StringComparison.Ordinal);
        Assert.Equal(before, await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.Equal("integer", await target.ScalarAsync("SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'items' AND column_name = 'n'"));
        Assert.Empty(await ForeignKeysAsync(target));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Null(await EngineKit.HistoryStatusAsync(target, Script));

        await target.ExecuteAsync("INSERT INTO owners (id) VALUES (993)");
        var again = await SwapCli.RunAsync(target, "up");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(["fk_items_k"], await ForeignKeysAsync(target));
        Assert.Equal(true, await target.ScalarAsync("SELECT convalidated FROM pg_constraint WHERE conname = 'fk_items_k' AND connamespace = current_schema()::regnamespace"));
        Assert.Equal("bigint", await target.ScalarAsync("SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'items' AND column_name = 'n'"));
    }

    private static Task CreateOwnersAsync(TestTarget target) => target.ExecuteAsync(target.Engine switch
    {
        DatabaseEngine.MySql => "CREATE TABLE owners (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB; INSERT INTO owners (id) SELECT seq FROM seq_0_to_999",
        DatabaseEngine.PostgreSql => "CREATE TABLE owners (id INT NOT NULL PRIMARY KEY); INSERT INTO owners (id) SELECT g FROM generate_series(0, 999) g",
        _ => "CREATE TABLE owners (id INTEGER NOT NULL PRIMARY KEY); WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 999) INSERT INTO owners (id) SELECT i FROM s",
    });

    private static async Task<List<string>> ForeignKeysAsync(TestTarget target)
    {
        var database = target.Database();
        await using var c = await database.OpenConnectionAsync(CancellationToken.None);
        var table = await database.TableEngine.LoadTableAsync(c, null, "items", CancellationToken.None);
        // SQLite keeps no name for a foreign key: the referenced table stands for it.
        return table!.ForeignKeys.Select(f => target.Engine == DatabaseEngine.Sqlite ? "fk_items_k" : f.Name).Order(StringComparer.Ordinal).ToList();
    }
}
