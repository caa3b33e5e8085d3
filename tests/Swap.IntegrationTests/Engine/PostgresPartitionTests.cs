using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// <c>DbTable.PartitionBy</c> on PostgreSQL: a plain table becomes a partitioned one online (range,
/// list, hash), under concurrent writes compared with the oracle, with its primary key, indexes
/// and names valid on every partition; a primary key without the partition key is refused.
/// </summary>
public class PostgresPartitionTests
{
    [Theory]
    [InlineData("range", "DbPartitioning.Range(\"k\").Partition(\"items_low\", \"FROM (MINVALUE) TO (500)\").Partition(\"items_high\", \"FROM (500) TO (MAXVALUE)\")", "items.SetPrimaryKey(\"id\", \"k\");", "items_high,items_low")]
    [InlineData("list", "DbPartitioning.List(\"k\").Partition(\"items_zero\", \"IN (0, 7, 14)\").Default(\"items_rest\")", "items.SetPrimaryKey(\"id\", \"k\");", "items_rest,items_zero")]
    [InlineData("hash", "DbPartitioning.Hash(3, \"id\")", "", "items_p0,items_p1,items_p2")]
    public async Task A_plain_table_becomes_partitioned_online_under_concurrent_writes(string method, string partitioning, string key, string partitions)
    {
        const int rows = 2000;
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, rows);
        EngineKit.WriteSwapScript(target, EngineKit.PartitionByScript(partitioning, key));

        var (result, writer) = await WritesDuringSwap.RunAsync(target, rows, c => EngineKit.Migrator(target, c));

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        OracleWriter.AssertMatches(writer.Oracle, writer.Inserted, await EngineKit.ReadItemsAsync(target));
        Assert.Equal(method, await target.ScalarAsync("SELECT CASE partstrat WHEN 'r' THEN 'range' WHEN 'l' THEN 'list' ELSE 'hash' END FROM pg_partitioned_table WHERE partrelid = 'items'::regclass"));
        var found = (await target.QueryAsync("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'items'::regclass ORDER BY 1")).Select(r => r.String("relname"));
        Assert.Equal(partitions, string.Join(",", found));
        // Every row sits in its partition, the primary key keeps its name, and each partition has the key and the new index.
        Assert.Equal(writer.Oracle.Count, Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM items")));
        Assert.Equal(method == "hash" ? "PRIMARY KEY (id)" : "PRIMARY KEY (id, k)", await target.ScalarAsync("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_pkey'"));
        var perPartition = (await target.QueryAsync($"SELECT tablename, count(*) AS n FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ('{partitions.Replace(",", "','", StringComparison.Ordinal)}') GROUP BY tablename")).ToList();
        Assert.Equal(partitions.Split(',').Length, perPartition.Count);
        Assert.All(perPartition, r => Assert.Equal(2L, r.Int64("n")));
        Assert.Single(await target.QueryAsync("SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'items' AND indexname = 'ix_items_flag'"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync("INSERT INTO items (id, k, v, n) SELECT id, k, v, n FROM items LIMIT 1"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task A_primary_key_without_the_partition_key_is_refused_with_the_reason()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await EngineKit.CreateItemsAsync(target, 100);
        EngineKit.WriteSwapScript(target, EngineKit.PartitionByScript("DbPartitioning.Range(\"k\").Partition(\"items_all\", \"FROM (MINVALUE) TO (MAXVALUE)\")", ""));

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains("The primary key (id) does not include the partition key column(s) k: PostgreSQL checks a partitioned table's unique keys per partition", e.Message, StringComparison.Ordinal);
        Assert.Contains("Make the key (id, k) with SetPrimaryKey(...)", e.Message, StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Equal("r", await target.ScalarAsync("SELECT relkind::text FROM pg_class WHERE oid = 'items'::regclass"));
    }
}
