using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// An index or CHECK added without a name in online SQL (gh-ost's swap-uk: <c>ADD UNIQUE KEY (id)</c>)
/// takes the name MariaDB's own ALTER gives it: an index its first column's, with _2, _3 ... on a
/// clash (PRIMARY included); a CHECK CONSTRAINT_n. Each statement runs natively on a twin and through
/// Swap on items; SHOW CREATE TABLE and the rows must match. Before: ux_items_id, ix_items_a_b, ck_items_1.
/// </summary>
public class OnlineSqlNamingTests
{
    [Theory]
    [InlineData("ADD UNIQUE KEY (id)")]
    [InlineData("ADD UNIQUE KEY (a), ADD INDEX (a, b), ADD KEY (a)")]
    [InlineData("ADD INDEX (b, a), ADD KEY (`primary`)")]
    [InlineData("DROP INDEX a, ADD INDEX (a)")]
    [InlineData("ADD CHECK (a > 0), ADD CHECK (b < 1000)")]
    public async Task The_name_is_the_one_the_native_alter_gives(string clauses)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        foreach (var table in new[] { "items", "twin" })
        {
            await target.ExecuteAsync($"CREATE TABLE {table} (id INT NOT NULL PRIMARY KEY, a INT NOT NULL, b INT NOT NULL, `primary` INT NULL, KEY a (b), CONSTRAINT CONSTRAINT_1 CHECK (a <> 0)) ENGINE=InnoDB");
            await target.ExecuteAsync($"INSERT INTO {table} (id, a, b, `primary`) SELECT seq, seq, seq * 2, seq % 3 FROM seq_1_to_300");
        }
        await target.ExecuteAsync($"ALTER TABLE twin {clauses}");
        target.WriteFile(Path.Combine("migrations", "20260101000000_Names.sql"), $"-- swap:online\nALTER TABLE items {clauses};\n");

        var result = await EngineKit.Migrator(target).UpAsync();

        Assert.Single(result.Applied);
        Assert.Equal(await OnlineSqlAutoIncrementTests.DefinitionAsync(target, "twin"), await OnlineSqlAutoIncrementTests.DefinitionAsync(target, "items"));
        Assert.Equal(300, await target.CountAsync("items", "a = id AND b = id * 2 AND `primary` = id % 3"));
        Assert.Equal(300, await target.CountAsync("items", "1 = 1"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }
}
