using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>A partitioned MariaDB table keeps its partitioning through a swap (the copy is made with CREATE TABLE ... LIKE).</summary>
public class MySqlPartitionedTableTests
{
    [Fact]
    public async Task A_partitioned_table_keeps_its_partitions_through_a_swap_under_concurrent_writes()
    {
        const int rows = 3000;
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("""
            CREATE TABLE items (id BIGINT NOT NULL, k INT NOT NULL, v VARCHAR(100) NULL, n INT NOT NULL DEFAULT 0, PRIMARY KEY (id, k)) ENGINE=InnoDB
            PARTITION BY RANGE (k) (PARTITION p_low VALUES LESS THAN (500), PARTITION p_high VALUES LESS THAN MAXVALUE)
            """);
        await target.ExecuteAsync($"INSERT INTO items (id, k, v, n) SELECT seq, seq * 7 % 1000, CONCAT('v', seq), 0 FROM seq_1_to_{rows}");
        EngineKit.WriteSwapScript(target);

        var (result, writer) = await WritesDuringSwap.RunAsync(target, rows, c => EngineKit.Migrator(target, c));

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        OracleWriter.AssertMatches(writer.Oracle, writer.Inserted, await EngineKit.ReadItemsAsync(target));
        var partitions = (await target.QueryAsync("SELECT PARTITION_NAME, PARTITION_METHOD, TABLE_ROWS FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' ORDER BY PARTITION_ORDINAL_POSITION"))
            .Select(r => $"{r.String("PARTITION_NAME")} {r.String("PARTITION_METHOD")}").ToList();
        Assert.Equal(["p_low RANGE", "p_high RANGE"], partitions);
        Assert.Equal(writer.Oracle.Values.Count(r => r.K < 500), Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM items PARTITION (p_low)")));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }
}
