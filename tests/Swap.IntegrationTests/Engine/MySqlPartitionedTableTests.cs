using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// Partitions on MariaDB: a partitioned table keeps its partitioning through a swap (the copy is
/// made with CREATE TABLE ... LIKE), and <c>DbTable.PartitionBy</c> partitions a plain table, or
/// re-partitions a partitioned one, online (range, list, hash), under concurrent writes compared
/// with the oracle. What InnoDB cannot partition, and bounds written for another engine, are refused.
/// </summary>
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

    [Theory]
    [InlineData("range", "DbPartitioning.Range(\"id\").Partition(\"items_low\", \"LESS THAN (1000)\").Partition(\"items_high\", \"LESS THAN (MAXVALUE)\")", "", "items_low RANGE COLUMNS,items_high RANGE COLUMNS")]
    [InlineData("list", "DbPartitioning.List(\"k\").Partition(\"items_zero\", \"IN (0, 7, 14)\").Default(\"items_rest\")", "items.SetPrimaryKey(\"id\", \"k\");", "items_zero LIST COLUMNS,items_rest LIST COLUMNS")]
    [InlineData("hash", "DbPartitioning.Hash(3, \"id\")", "", "items_p0 KEY,items_p1 KEY,items_p2 KEY")]
    [InlineData("re-partition", "DbPartitioning.Hash(2, \"id\")", "", "items_p0 KEY,items_p1 KEY")]
    public async Task PartitionBy_partitions_a_table_online_under_concurrent_writes(string shape, string partitioning, string key, string partitions)
    {
        const int rows = 3000;
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        if (shape == "re-partition")
        {
            await target.ExecuteAsync("""
                CREATE TABLE items (id BIGINT NOT NULL, k INT NOT NULL, v VARCHAR(100) NULL, n INT NOT NULL DEFAULT 0, PRIMARY KEY (id, k)) ENGINE=InnoDB
                PARTITION BY RANGE (k) (PARTITION p_low VALUES LESS THAN (500), PARTITION p_high VALUES LESS THAN MAXVALUE)
                """);
            await target.ExecuteAsync($"INSERT INTO items (id, k, v, n) SELECT seq, seq * 7 % 1000, CONCAT('v', seq), 0 FROM seq_1_to_{rows}");
        }
        else
        {
            await EngineKit.CreateItemsAsync(target, rows);
        }
        EngineKit.WriteSwapScript(target, EngineKit.PartitionByScript(partitioning, key));

        var (result, writer) = await WritesDuringSwap.RunAsync(target, rows, c => EngineKit.Migrator(target, c));

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        OracleWriter.AssertMatches(writer.Oracle, writer.Inserted, await EngineKit.ReadItemsAsync(target));
        var found = (await target.QueryAsync("SELECT PARTITION_NAME, PARTITION_METHOD FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' ORDER BY PARTITION_ORDINAL_POSITION"))
            .Select(r => $"{r.String("PARTITION_NAME")} {r.String("PARTITION_METHOD")}");
        Assert.Equal(partitions, string.Join(",", found));
        if (shape == "range")
        {
            // The writer's key updates moved rows from items_low to items_high.
            Assert.Equal(writer.Oracle.Keys.Count(id => id < 1000), Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM items PARTITION (items_low)")));
        }
        Assert.Single(await target.QueryAsync("SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND INDEX_NAME = 'ix_items_flag' AND SEQ_IN_INDEX = 1"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync("INSERT INTO items (id, k, v, n) SELECT id, k, v, n FROM items LIMIT 1"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [InlineData(DatabaseEngine.MySql, "key", "DbPartitioning.Hash(2, \"k\")", "The primary key (id) does not include the partition key column(s) k: MariaDB and MySQL check a partitioned table's unique keys per partition, so each must contain every partition column. Make the key (id, k) with SetPrimaryKey(...) in the same script, or partition by columns of the key.")]
    [InlineData(DatabaseEngine.MySql, "bounds", "DbPartitioning.Range(\"id\").Partition(\"items_all\", \"FROM (MINVALUE) TO (MAXVALUE)\")", "The bounds of partition 'items_all' (FROM (MINVALUE) TO (MAXVALUE)) are not written for MySQL/MariaDB: a range partition's bounds are LESS THAN (100) or LESS THAN (MAXVALUE).")]
    [InlineData(DatabaseEngine.MySql, "foreign-key", "DbPartitioning.Hash(2, \"id\")", "Foreign keys of other tables point at it (item_notes.item_notes_item_fk); InnoDB does not let a foreign key reference a partitioned table. Drop them to partition the table.")]
    [InlineData(DatabaseEngine.PostgreSql, "bounds", "DbPartitioning.Range(\"id\").Partition(\"items_all\", \"LESS THAN (MAXVALUE)\")", "The bounds of partition 'items_all' (LESS THAN (MAXVALUE)) are not written for PostgreSQL: a range partition's bounds are FROM (0) TO (100).")]
    [InlineData(DatabaseEngine.Sqlite, "engine", "DbPartitioning.Hash(2, \"id\")", "PartitionBy converts tables on PostgreSQL and MySQL/MariaDB; 'items' is on SQLite, which has no partitions.")]
    public async Task PartitionBy_is_refused_with_the_reason_before_anything_is_written(DatabaseEngine engine, string shape, string partitioning, string message)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await EngineKit.CreateItemsAsync(target, 100);
        if (shape == "foreign-key")
        {
            await target.ExecuteAsync("CREATE TABLE item_notes (id INT PRIMARY KEY, item_id BIGINT NOT NULL, CONSTRAINT item_notes_item_fk FOREIGN KEY (item_id) REFERENCES items (id)) ENGINE=InnoDB");
            await target.ExecuteAsync("INSERT INTO item_notes VALUES (1, 1)");
        }
        EngineKit.WriteSwapScript(target, EngineKit.PartitionByScript(partitioning, ""));

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
        Assert.Equal(100, (await EngineKit.ReadItemsAsync(target, withFlag: false)).Count);
        var partitioned = engine switch
        {
            DatabaseEngine.MySql => "SELECT COUNT(*) FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND PARTITION_NAME IS NOT NULL",
            DatabaseEngine.PostgreSql => "SELECT COUNT(*) FROM pg_partitioned_table WHERE partrelid = 'items'::regclass",
            _ => "SELECT 0",
        };
        Assert.Equal(0L, Convert.ToInt64(await target.ScalarAsync(partitioned)));
    }
}
