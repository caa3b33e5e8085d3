using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>An online SQL script replaces the primary key with DROP PRIMARY KEY and ADD PRIMARY KEY in one statement, in either order.</summary>
public class OnlineSqlPrimaryKeyTests
{
    [Theory]
    [InlineData("DROP PRIMARY KEY, ADD PRIMARY KEY (id, k)")]
    [InlineData("ADD PRIMARY KEY (id, k), DROP PRIMARY KEY")]
    public async Task Drop_and_add_primary_key_in_one_statement_replaces_the_key(string clauses)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, 1000);
        target.WriteFile(Path.Combine("migrations", "20260101000000_Rekey.sql"), $"-- swap:online\nALTER TABLE items {clauses};\n");

        var result = await EngineKit.Migrator(target).UpAsync();

        Assert.Single(result.Applied);
        var key = await target.QueryAsync("SELECT COLUMN_NAME AS c FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION");
        Assert.Equal(["id", "k"], key.Select(r => r.String("c")).ToList());
        Assert.Equal(1000, (await EngineKit.ReadItemsAsync(target, withFlag: false)).Count);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }
}
