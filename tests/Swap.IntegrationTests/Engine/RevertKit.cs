using Swap.Cli;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>What the revert-window tests share: waiting for the writer, comparing with its oracle, reading a table's columns.</summary>
internal static class RevertKit
{
    public static async Task WritesAsync(OracleWriter writer, int more)
    {
        var until = writer.Acknowledged + more;
        while (writer.Acknowledged < until && writer.Errors.Count == 0)
            await Task.Delay(10);
    }

    public static void AssertSameRows(IReadOnlyDictionary<long, ItemRow> oracle, IReadOnlyList<ItemRow> actual)
    {
        var expected = oracle.Values.OrderBy(r => r.Id).Select(r => (r.Id, r.K, r.V, r.N)).ToList();
        var got = actual.Select(r => (r.Id, r.K, r.V, r.N)).ToList();
        var missing = expected.Except(got).Take(5).ToList();
        var extra = got.Except(expected).Take(5).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0, $"The reverted table differs from the oracle ({expected.Count} expected, {got.Count} found). Missing or stale: {string.Join("; ", missing)}. Unexpected: {string.Join("; ", extra)}");
    }

    public static async Task<bool> HasColumnAsync(TestTarget target, string column, string table = "items")
    {
        var database = target.Database();
        await using var c = await database.OpenConnectionAsync(default);
        var schema = await database.TableEngine.LoadTableAsync(c, null, table, default);
        return schema!.Column(column) is not null;
    }

}
