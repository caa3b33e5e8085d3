using Swap.Data;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// Swapping a PostgreSQL table that is partitioned already: the copy is partitioned the same way
/// (method, key, every partition with its bound, a default partition, hash partitions), filled
/// online under concurrent writes compared with the oracle, and after the cut-over the partitions
/// and their indexes carry the original partitions' names. What cannot be carried is refused
/// before anything is written.
/// </summary>
public class PostgresPartitionedSwapTests
{
    /// <summary>The swap: a filled column with an index on it, and a type change.</summary>
    private static string Script(string retype) => $$"""
        using Swap.Engine;
        public sealed class MigrateItems : Migration
        {
            public override async Task UpAsync(MigrationContext db)
            {
                var items = await db.UseTableForAlterAsync("items");
                items.AddColumn(DbColumn.String("flag", 10).FillWith("CASE WHEN k % 2 = 0 THEN 'even' ELSE 'odd' END"), after: "k");
                items.AddIndex(DbIndex.Create("flag"));
                items.GetColumn("{{retype}}").SetType(ColumnType.BigInt);
                await db.DoneUsingTablesAsync("items");
            }
        }
        """;

    /// <summary>Creates <c>items</c> partitioned as <paramref name="partitionBy"/> says, then the rows of <see cref="EngineKit.CreateItemsAsync"/>.</summary>
    private static async Task CreatePartitionedItemsAsync(TestTarget target, int rows, string key, string partitionBy, params string[] partitions)
    {
        await target.ExecuteAsync($"CREATE TABLE items (id BIGINT NOT NULL, k INT NOT NULL, v VARCHAR(100) NULL, n INT NOT NULL DEFAULT 0, PRIMARY KEY ({key})) PARTITION BY {partitionBy}");
        foreach (var partition in partitions)
            await target.ExecuteAsync($"CREATE TABLE {partition}");
        await target.ExecuteAsync($"INSERT INTO items (id, k, v, n) SELECT g, g * 7 % 1000, 'v' || g, 0 FROM generate_series(1, {rows}) g");
        await target.ExecuteAsync("ANALYZE items");
    }

    /// <summary>
    /// The partitioning as the catalog has it: strategy and key, then each partition with its bound
    /// and options (bounds without quotes: PostgreSQL prints a bigint bound quoted, an int one not).
    /// </summary>
    private static async Task<List<string>> PartitioningAsync(TestTarget target)
    {
        var found = new List<string> { (string)(await target.ScalarAsync("SELECT pg_get_partkeydef('items'::regclass)"))! };
        found.AddRange((await target.QueryAsync(
            "SELECT c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid) || ' ' || COALESCE(array_to_string(c.reloptions, ','), '') AS p FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'items'::regclass ORDER BY 1"))
            .Select(r => r.String("p")!.Replace("'", "", StringComparison.Ordinal)));
        return found;
    }

    /// <summary>Each partition's indexes, named, with the index of the table each belongs to.</summary>
    private static async Task<List<string>> PartitionIndexesAsync(TestTarget target) =>
        (await target.QueryAsync(
            """
            SELECT pc.relname || ': ' || pi.relname || ' of ' || COALESCE(parent.relname, '-') AS i
            FROM pg_inherits pt JOIN pg_class pc ON pc.oid = pt.inhrelid JOIN pg_index ix ON ix.indrelid = pc.oid JOIN pg_class pi ON pi.oid = ix.indexrelid
            LEFT JOIN pg_inherits ii ON ii.inhrelid = ix.indexrelid LEFT JOIN pg_class parent ON parent.oid = ii.inhparent
            WHERE pt.inhparent = 'items'::regclass ORDER BY 1
            """)).Select(r => r.String("i")!).ToList();

    /// <summary>Swap's triggers on the test's tables (pg_trigger spans the database, where other tests swap at the same time).</summary>
    private static async Task<long> SwapTriggersAsync(TestTarget target) =>
        Convert.ToInt64(await target.ScalarAsync(@"SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = current_schema()::regnamespace AND t.tgname LIKE '%\_swap\_%'"));

    private static async Task<long> SwapObjectsAsync(TestTarget target) =>
        Convert.ToInt64(await target.ScalarAsync(@"SELECT count(*) FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relname LIKE '%\_swap\_%'"));

    [Theory]
    [InlineData("range", "id", "RANGE (id)", "n", new[] { "items_a PARTITION OF items FOR VALUES FROM (MINVALUE) TO (1000)", "items_b PARTITION OF items FOR VALUES FROM (1000) TO (50000000) WITH (fillfactor = 90)", "items_rest PARTITION OF items DEFAULT" })]
    [InlineData("list", "id, k", "LIST (k)", "k", new[] { "items_low PARTITION OF items FOR VALUES IN (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)", "items_other PARTITION OF items DEFAULT" })]
    [InlineData("hash", "id", "HASH (id)", "n", new[] { "items_h0 PARTITION OF items FOR VALUES WITH (MODULUS 3, REMAINDER 0)", "items_h1 PARTITION OF items FOR VALUES WITH (MODULUS 3, REMAINDER 1)", "items_h2 PARTITION OF items FOR VALUES WITH (MODULUS 3, REMAINDER 2)" })]
    public async Task A_partitioned_table_is_swapped_into_one_partitioned_the_same_way_under_concurrent_writes(string method, string key, string partitionBy, string retype, string[] partitions)
    {
        const int rows = 2000;
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await CreatePartitionedItemsAsync(target, rows, key, partitionBy, partitions);
        await target.ExecuteAsync("ALTER TABLE items ADD CONSTRAINT items_v_id_key UNIQUE (v, id, k)");
        // A child table's foreign key points at the partitioned table; the writer's deletes and key updates cascade.
        await target.ExecuteAsync("CREATE TABLE item_notes (id INT PRIMARY KEY, item_id BIGINT NOT NULL, item_k INT NOT NULL)");
        await target.ExecuteAsync($"ALTER TABLE item_notes ADD CONSTRAINT item_notes_item_fk FOREIGN KEY (item_id{(key == "id" ? "" : ", item_k")}) REFERENCES items ({key}) ON DELETE CASCADE ON UPDATE CASCADE");
        await target.ExecuteAsync("INSERT INTO item_notes SELECT g, g, g * 7 % 1000 FROM generate_series(1, 100) g");
        var before = await PartitioningAsync(target);
        var indexesBefore = await PartitionIndexesAsync(target);
        EngineKit.WriteSwapScript(target, Script(retype));

        var (result, writer) = await WritesDuringSwap.RunAsync(target, rows, c => EngineKit.Migrator(target, c));

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        OracleWriter.AssertMatches(writer.Oracle, writer.Inserted, await EngineKit.ReadItemsAsync(target));
        Assert.Equal("bigint", await target.ScalarAsync($"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = '{retype}'"));
        // The same key and partitions, each with its bound and its own storage options (autovacuum back on).
        Assert.Equal(before, await PartitioningAsync(target));
        Assert.Equal(method, await target.ScalarAsync("SELECT CASE partstrat WHEN 'r' THEN 'range' WHEN 'l' THEN 'list' ELSE 'hash' END FROM pg_partitioned_table WHERE partrelid = 'items'::regclass"));
        // Every partition keeps its indexes under their names, and has the new one under a name of its own.
        var partitionNames = partitions.Select(p => p.Split(' ')[0]).Order(StringComparer.Ordinal).ToList();
        var expectedIndexes = indexesBefore.Concat(partitionNames.Select(p => $"{p}: {p}_flag_idx of ix_items_flag")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedIndexes, await PartitionIndexesAsync(target));
        Assert.Equal($"PRIMARY KEY ({key})", await target.ScalarAsync("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_pkey'"));
        Assert.Equal("UNIQUE (v, id, k)", await target.ScalarAsync("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'items'::regclass AND conname = 'items_v_id_key'"));
        // The child's key points at the swapped table, validated, and no note lost its item.
        Assert.Equal(true, await target.ScalarAsync("SELECT convalidated FROM pg_constraint WHERE conname = 'item_notes_item_fk' AND confrelid = 'items'::regclass"));
        Assert.Equal(0L, Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM item_notes n WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.id = n.item_id)")));
        // The partitions are the table's: a row deleted through one directly is gone from the table, and the capture is gone.
        await target.ExecuteAsync($"DELETE FROM {partitionNames[0]} WHERE id = (SELECT min(id) FROM {partitionNames[0]})");
        Assert.Equal(writer.Oracle.Count - 1, Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM items")));
        Assert.Equal(0L, await SwapObjectsAsync(target));
        Assert.Equal(0L, await SwapTriggersAsync(target));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    /// <summary>Runs an action before the given chunk: a write at a known point of the copy.</summary>
    private sealed class BeforeChunk(int chunk, Func<Task> action) : IThrottler
    {
        private int calls;

        public async ValueTask WaitAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref calls) == chunk)
                await action();
        }
    }

    [Fact]
    public async Task A_partition_truncated_during_the_copy_is_emptied_in_the_copy_too()
    {
        const int rows = 3000;
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await CreatePartitionedItemsAsync(target, rows, "id", "RANGE (id)", "items_a PARTITION OF items FOR VALUES FROM (MINVALUE) TO (1500)", "items_b PARTITION OF items DEFAULT");
        EngineKit.WriteSwapScript(target, Script("n"));
        long? copiedWhenTruncated = null;
        var throttler = new BeforeChunk(4, async () =>
        {
            copiedWhenTruncated = Convert.ToInt64(await target.ScalarAsync(@"SELECT count(*) FROM ""_items_a_swap_new"""));
            await target.ExecuteAsync("TRUNCATE items_a");
        });

        await EngineKit.Migrator(target, o => o.Swap.Throttler = throttler).UpAsync();

        // Rows of items_a had been copied when it was truncated, and none of them came through.
        Assert.True(copiedWhenTruncated > 0, $"the truncate must come after rows of items_a were copied ({copiedWhenTruncated})");
        var expected = EngineKit.InitialItems(rows).Values.Where(r => r.Id >= 1500).Select(r => r with { Flag = EngineKit.Flag(r.K) }).ToList();
        Assert.Equal(expected, await EngineKit.ReadItemsAsync(target));
        Assert.Equal(0L, Convert.ToInt64(await target.ScalarAsync("SELECT count(*) FROM items_a")));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Theory]
    [InlineData("subpartitioned", "Its partition 'items_a' is partitioned itself; Swap copies one level of partitions only. Change a sub-partitioned table with plain ALTER TABLE.")]
    [InlineData("own-index", "Its partitions have objects of their own, which the copy would not have: index 'items_b_v_idx' of partition 'items_b'. A swap recreates what the partitioned table declares; create them on the partitioned table, or drop them for the swap.")]
    [InlineData("drop-key-column", "Column 'k' is in the partition key (RANGE (k)) and cannot be dropped: the partitions are kept as they are. Keep the column, or re-partition the table with plain SQL.")]
    [InlineData("key-without-partition-column", "The primary key (id) does not include the partition key column(s) k: PostgreSQL checks a partitioned table's unique keys per partition")]
    [InlineData("partition-by", "'items' is partitioned already")]
    [InlineData("own-foreign-key", "Its foreign key 'items_rid_fkey' cannot be carried to a partitioned table online: PostgreSQL cannot add a foreign key NOT VALID to a partitioned table, and a validated one would check every row while the cut-over holds the table. Drop it for the swap (DropForeignKey) and add it back after with plain ALTER TABLE.")]
    [InlineData("revert-window", "the table is partitioned (or becomes partitioned), and a revert does not swap partitions back yet; swap it without a revert window")]
    [InlineData("swap-a-partition", "It is a partition of 'items'; swap the partitioned table 'items' (its partitions come with it), or use plain ALTER TABLE.")]
    public async Task What_a_partitioned_table_cannot_carry_is_refused_before_anything_is_written(string shape, string message)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await target.ExecuteAsync("CREATE TABLE items (id BIGINT NOT NULL, k INT NOT NULL, v VARCHAR(100) NULL, n INT NOT NULL DEFAULT 0, PRIMARY KEY (id, k)) PARTITION BY RANGE (k)");
        await target.ExecuteAsync(shape == "subpartitioned"
            ? "CREATE TABLE items_a PARTITION OF items FOR VALUES FROM (MINVALUE) TO (500) PARTITION BY HASH (id)"
            : "CREATE TABLE items_a PARTITION OF items FOR VALUES FROM (MINVALUE) TO (500)");
        if (shape == "subpartitioned")
            await target.ExecuteAsync("CREATE TABLE items_a0 PARTITION OF items_a FOR VALUES WITH (MODULUS 1, REMAINDER 0)");
        await target.ExecuteAsync("CREATE TABLE items_b PARTITION OF items FOR VALUES FROM (500) TO (MAXVALUE)");
        if (shape == "own-index")
            await target.ExecuteAsync("CREATE INDEX items_b_v_idx ON items_b (v)");
        if (shape == "own-foreign-key")
        {
            await target.ExecuteAsync("CREATE TABLE regions (id INT PRIMARY KEY)");
            await target.ExecuteAsync("ALTER TABLE items ADD COLUMN rid INT REFERENCES regions (id)");
        }
        await target.ExecuteAsync("INSERT INTO items (id, k, v, n) SELECT g, g * 7 % 1000, 'v' || g, 0 FROM generate_series(1, 100) g");
        var change = shape switch
        {
            "drop-key-column" => "items.SetPrimaryKey(\"id\"); items.DropColumn(\"k\");",
            "key-without-partition-column" => "items.SetPrimaryKey(\"id\");",
            "partition-by" => "items.PartitionBy(DbPartitioning.Hash(2, \"id\", \"k\"));",
            _ => "items.AddColumn(DbColumn.String(\"flag\", 10).FillWith(\"'x'\"));",
        };
        EngineKit.WriteSwapScript(target, $$"""
            using Swap.Engine;
            public sealed class MigrateItems : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var items = await db.UseTableForAlterAsync("{{(shape == "swap-a-partition" ? "items_a" : "items")}}");
                    {{change}}
                    await db.DoneUsingTablesAsync("{{(shape == "swap-a-partition" ? "items_a" : "items")}}");
                }
            }
            """);
        var partitioning = await PartitioningAsync(target);

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o => o.Swap.RevertWindow = shape == "revert-window" ? TimeSpan.FromHours(1) : null).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal(partitioning, await PartitioningAsync(target));
        Assert.Equal(0L, await SwapObjectsAsync(target));
        Assert.Equal(0L, await SwapTriggersAsync(target));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task A_nullable_column_added_to_a_partitioned_table_is_instant_and_copies_no_partition()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await CreatePartitionedItemsAsync(target, 3000, "id", "RANGE (id)", "items_a PARTITION OF items FOR VALUES FROM (MINVALUE) TO (1500)", "items_b PARTITION OF items DEFAULT");
        const string storage = "SELECT string_agg(relname || ':' || relfilenode, ',' ORDER BY relname) FROM pg_class WHERE relname IN ('items_a', 'items_b')";
        var before = await target.ScalarAsync(storage);
        target.CSharp("20261201000000_MigrateItems", """
            using Swap.Engine;
            public sealed class MigrateItems : Migration
            {
                public override async Task UpAsync(MigrationContext db)
                {
                    var items = await db.UseTableForAlterAsync("items");
                    items.AddColumn(DbColumn.String("note", 20));
                    await db.DoneUsingTablesAsync("items");
                }
            }
            """);

        var run = await SwapCli.RunAsync(target, "up");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("items: instant: ", run.Err, StringComparison.Ordinal);
        // No partition was rewritten, and every partition has the column.
        Assert.Equal(before, await target.ScalarAsync(storage));
        Assert.Equal(2L, await target.ScalarAsync("SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name IN ('items_a', 'items_b') AND column_name = 'note'"));
        Assert.Equal(3000L, await target.ScalarAsync("SELECT count(*) FROM items WHERE note IS NULL"));
        Assert.Equal(1499L, await target.ScalarAsync("SELECT count(*) FROM items_a"));
        Assert.Equal(["MigrateItems"], await target.HistoryIdsAsync());
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }
}
