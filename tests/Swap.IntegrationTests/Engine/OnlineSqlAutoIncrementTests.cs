using System.Globalization;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// MySQL's table option <c>AUTO_INCREMENT = n</c> in online SQL (gh-ost's autoinc-copy-deletes-user-defined):
/// the swapped-in table hands out the id the server's own ALTER would, max(n, largest id + 1), alone
/// (in place, no copy) or with a copy. Each is compared with a twin table the native ALTER changed.
/// </summary>
public class OnlineSqlAutoIncrementTests
{
    [Theory]
    [InlineData("AUTO_INCREMENT = 5000", 5000)]
    [InlineData("AUTO_INCREMENT 460", 460)]
    [InlineData("AUTO_INCREMENT=7", 451)]
    [InlineData("FORCE, AUTO_INCREMENT = 460", 460)]
    [InlineData("AUTO_INCREMENT=7, ENGINE=InnoDB", 451)]
    public async Task The_counter_is_the_one_the_native_alter_sets(string clauses, long next)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        foreach (var table in new[] { "items", "twin" })
        {
            await target.ExecuteAsync($"CREATE TABLE {table} (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL, v VARCHAR(100) NULL) ENGINE=InnoDB");
            await target.ExecuteAsync($"INSERT INTO {table} (k, v) SELECT seq % 10, CONCAT('v', seq) FROM seq_1_to_500");
            // The counter stays at 501 above the largest id, 450.
            await target.ExecuteAsync($"DELETE FROM {table} WHERE id > 450");
        }
        await target.ExecuteAsync($"ALTER TABLE twin {clauses}");
        target.WriteFile(Path.Combine("migrations", "20260101000000_Counter.sql"), $"-- swap:online\nALTER TABLE items {clauses};\n");

        var result = await EngineKit.Migrator(target).UpAsync();

        Assert.Single(result.Applied);
        var method = (await EngineKit.Migrator(target).StatusAsync()).Scripts.Single().Methods.Single();
        if (clauses.Contains("FORCE", StringComparison.Ordinal) || clauses.Contains("ENGINE", StringComparison.Ordinal))
            Assert.StartsWith("copy-and-swap of items: ", method, StringComparison.Ordinal);
        else
            Assert.StartsWith("items: instant: MySQL/MariaDB set the AUTO_INCREMENT counter in place", method, StringComparison.Ordinal);
        Assert.Equal(next, await CounterAsync(target, "twin"));
        Assert.Equal(next, await CounterAsync(target, "items"));
        Assert.Equal(await DefinitionAsync(target, "twin"), await DefinitionAsync(target, "items"));
        Assert.Equal(450, await target.CountAsync("items", "v = CONCAT('v', id) AND k = id % 10"));
        Assert.Equal(450, await target.CountAsync("items", "1 = 1"));
        await target.ExecuteAsync("INSERT INTO items (k, v) VALUES (1, 'next')");
        Assert.Equal(next, Convert.ToInt64(await target.ScalarAsync("SELECT id FROM items WHERE v = 'next'"), CultureInfo.InvariantCulture));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>
    /// With a copy under writes (the writer inserts ids from 50,000,000 and moves rows to ids from 100,000,000): the copy gets the
    /// counter, and the next id is n, above every id the writer inserted.
    /// </summary>
    [Fact]
    public async Task A_copy_under_writes_ends_with_the_counter_set()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, 3000);
        await target.ExecuteAsync("ALTER TABLE items MODIFY id BIGINT NOT NULL AUTO_INCREMENT");
        target.WriteFile(Path.Combine("migrations", "20260101000000_Counter.sql"), "-- swap:online\nALTER TABLE items MODIFY k BIGINT NOT NULL, AUTO_INCREMENT = 200000000;\n");

        var (result, writer) = await WritesDuringSwap.RunAsync(target, 3000, c => EngineKit.Migrator(target, c));

        Assert.Single(result.Applied);
        Assert.StartsWith("copy-and-swap of items: ", (await EngineKit.Migrator(target).StatusAsync()).Scripts.Single().Methods.Single(), StringComparison.Ordinal);
        OracleWriter.AssertMatches(writer.Oracle, new HashSet<long>(writer.Oracle.Keys), await EngineKit.ReadItemsAsync(target, withFlag: false));
        Assert.True(Convert.ToInt64(await target.ScalarAsync("SELECT MAX(id) FROM items"), CultureInfo.InvariantCulture) < 200_000_000);
        Assert.Equal(200_000_000, await CounterAsync(target, "items"));
        await target.ExecuteAsync("INSERT INTO items (k, v, n) VALUES (1, 'next', 0)");
        Assert.Equal(200_000_000, Convert.ToInt64(await target.ScalarAsync("SELECT id FROM items WHERE v = 'next'"), CultureInfo.InvariantCulture));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    private static async Task<long> CounterAsync(TestTarget target, string table) =>
        Convert.ToInt64(await target.ScalarAsync($"SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{table}'"), CultureInfo.InvariantCulture);

    /// <summary>SHOW CREATE TABLE without the table's name and its counter (compared on its own).</summary>
    internal static async Task<string> DefinitionAsync(TestTarget target, string table)
    {
        var row = (await target.QueryAsync($"SHOW CREATE TABLE `{table}`")).Single();
        var text = row.String("Create Table")!;
        return System.Text.RegularExpressions.Regex.Replace(text, @" AUTO_INCREMENT=\d+", "").Replace($"CREATE TABLE `{table}`", "CREATE TABLE", StringComparison.Ordinal);
    }
}
