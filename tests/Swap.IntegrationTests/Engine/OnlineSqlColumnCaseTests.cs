using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// <c>MODIFY</c> / <c>CHANGE</c> whose name differs from the column's only in letter case (gh-ost's
/// modify-change-case and modify-change-case-pk): MariaDB renames the column to the case written,
/// and so must the swap, instant or copied under writes. Compared with a twin the native ALTER
/// changed. Before: the column kept its old case.
/// </summary>
public class OnlineSqlColumnCaseTests
{
    [Theory]
    [InlineData("MODIFY K BIGINT NOT NULL", "id,K,v,n", "copy-and-swap of items: ")]
    [InlineData("CHANGE v V VARCHAR(100) NULL", "id,k,V,n", "copy-and-swap of items: ")]
    [InlineData("CHANGE n N INT NOT NULL DEFAULT 0", "id,k,v,N", "items: instant: ")]
    [InlineData("MODIFY ID BIGINT NOT NULL", "ID,k,v,n", "items: instant: ")]
    public async Task The_column_takes_the_letter_case_written(string clause, string columns, string method)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await EngineKit.CreateItemsAsync(target, 3000);
        await EngineKit.CreateItemsAsync(target, 0, table: "twin");
        await target.ExecuteAsync($"ALTER TABLE twin {clause}");
        target.WriteFile(Path.Combine("migrations", "20260101000000_Case.sql"), $"-- swap:online\nALTER TABLE items {clause};\n");

        var (result, writer) = method.StartsWith("copy", StringComparison.Ordinal)
            ? await WritesDuringSwap.RunAsync(target, 3000, c => EngineKit.Migrator(target, c))
            : (await EngineKit.Migrator(target).UpAsync(), null);

        Assert.Single(result.Applied);
        Assert.StartsWith(method, (await EngineKit.Migrator(target).StatusAsync()).Scripts.Single().Methods.Single(), StringComparison.Ordinal);
        var names = await target.QueryAsync("SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' ORDER BY ORDINAL_POSITION");
        Assert.Equal(columns, string.Join(",", names.Select(r => r.String("c"))));
        Assert.Equal(await OnlineSqlAutoIncrementTests.DefinitionAsync(target, "twin"), await OnlineSqlAutoIncrementTests.DefinitionAsync(target, "items"));
        var rows = await EngineKit.ReadItemsAsync(target, withFlag: false);
        if (writer is not null)
            OracleWriter.AssertMatches(writer.Oracle, new HashSet<long>(writer.Oracle.Keys), rows);
        else
            OracleWriter.AssertMatches(EngineKit.InitialItems(3000), new HashSet<long>(EngineKit.InitialItems(3000).Keys), rows);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }
}
