using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// What a copy of a MariaDB table keeps besides the change asked for: the secondary indexes built
/// on the filled copy come back as the original had them (COMMENT, IGNORED, KEY_BLOCK_SIZE, prefix,
/// DESC), and a table no copy can stand in for (a unique key WITHOUT OVERLAPS, a table kept in a
/// DATA DIRECTORY of its own) is refused before anything is written rather than swapped in without it.
/// The swapped-in table has InnoDB statistics of its rows, not of the empty copy.
/// </summary>
public class MySqlCopyFidelityTests
{
    [Fact]
    public async Task Indexes_built_on_the_filled_copy_keep_their_comment_ignored_flag_and_key_block_size()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("""
            CREATE TABLE t (
              id INT NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL, code VARCHAR(10) NULL, qty INT NULL, u INT NULL, price DECIMAL(10,2) NULL,
              UNIQUE KEY uq (u) COMMENT 'nullable, it''s unique',
              KEY by_name (name(10)) COMMENT 'prefix',
              KEY by_code (code) IGNORED,
              KEY by_qty (qty DESC, price) KEY_BLOCK_SIZE=4 COMMENT 'desc'
            ) ENGINE=InnoDB
            """);
        await target.ExecuteAsync("INSERT INTO t SELECT seq, CONCAT('n', seq), CONCAT('c', seq), seq % 50, IF(seq % 2 = 0, seq, NULL), seq / 7 FROM seq_1_to_500");
        var before = await IndexLinesAsync(target);
        target.WriteFile(Path.Combine("migrations", "V1__widen_price.sql"), "-- swap:online\nALTER TABLE t MODIFY price DECIMAL(12,2) NULL;\n");

        await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync();

        Assert.Equal(before, await IndexLinesAsync(target));
        Assert.Equal("decimal(12,2)", await target.ScalarAsync("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'price'"));
        Assert.Equal("YES", await target.ScalarAsync("SELECT IGNORED FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND INDEX_NAME = 'by_code'"));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task A_long_unique_kept_as_a_hash_comes_with_the_copy_and_still_refuses_duplicates()
    {
        // MariaDB adds such an index (a hidden virtual column) only under a shared lock: built on the
        // filled copy with LOCK=NONE it was refused (1846), and every copy of the table with it.
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY, body TEXT NULL, v INT NULL, UNIQUE KEY u (body) COMMENT 'whole text') ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO t SELECT seq, CONCAT('body ', seq), seq FROM seq_1_to_500");
        var before = await IndexLinesAsync(target);
        Assert.Contains("UNIQUE KEY `u` (`body`) USING HASH COMMENT 'whole text'", before);
        target.WriteFile(Path.Combine("migrations", "V1__widen_v.sql"), "-- swap:online\nALTER TABLE t MODIFY v BIGINT NULL;\n");

        await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync();

        Assert.Equal(before, await IndexLinesAsync(target));
        Assert.Equal("bigint(20)", await target.ScalarAsync("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'v'"));
        Assert.Equal(500L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM t"), System.Globalization.CultureInfo.InvariantCulture));
        var duplicate = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.ExecuteAsync("INSERT INTO t (id, body) VALUES (1000, 'body 7')"));
        Assert.Contains("Duplicate entry 'body 7' for key 'u'", duplicate.Message, StringComparison.Ordinal);
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task The_swapped_in_table_has_statistics_of_its_rows_even_without_automatic_recalculation()
    {
        // No secondary index to build on the filled copy (which would take statistics by the way):
        // the copy's statistics are those InnoDB took when it was created empty.
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY, v INT NULL) ENGINE=InnoDB STATS_PERSISTENT=1 STATS_AUTO_RECALC=0");
        await target.ExecuteAsync("INSERT INTO t SELECT seq, seq FROM seq_1_to_500");
        await target.ExecuteAsync("ANALYZE TABLE t");
        Assert.Equal(500L, await RowsInStatisticsAsync(target));
        target.WriteFile(Path.Combine("migrations", "V1__widen_v.sql"), "-- swap:online\nALTER TABLE t MODIFY v BIGINT NULL;\n");

        await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync();

        Assert.Equal("bigint(20)", await target.ScalarAsync("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'v'"));
        Assert.Equal(500L, await RowsInStatisticsAsync(target));
        Assert.Contains("STATS_AUTO_RECALC=0", await CreateTableAsync(target), StringComparison.Ordinal);
    }

    private static async Task<long> RowsInStatisticsAsync(TestTarget target) =>
        Convert.ToInt64(await target.ScalarAsync("SELECT n_rows FROM mysql.innodb_table_stats WHERE database_name = DATABASE() AND table_name = 't'"), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_unique_key_without_overlaps_is_refused_for_a_copy_before_anything_is_written()
    {
        // information_schema lists it as a plain UNIQUE (r, e, s); built from there it would let
        // overlapping periods in, and MariaDB refuses INSERT ... ON DUPLICATE KEY UPDATE into it (1235).
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY, r INT NOT NULL, s DATE NOT NULL, e DATE NOT NULL, PERIOD FOR p(s, e), UNIQUE KEY u_r (r, p WITHOUT OVERLAPS)) ENGINE=InnoDB");
        await target.ExecuteAsync("INSERT INTO t SELECT seq, seq % 10, DATE('2000-01-01') + INTERVAL seq DAY, DATE('2000-01-01') + INTERVAL seq + 1 DAY FROM seq_1_to_300");
        var before = await CreateTableAsync(target);
        target.WriteFile(Path.Combine("migrations", "V1__add_note.sql"), "-- swap:online\nALTER TABLE t ADD COLUMN note INT NULL;\n");

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o => { o.Swap.OneTransactionBelowRows = 0; o.AlwaysCopy = true; }).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains("Its unique key u_r is WITHOUT OVERLAPS", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, await CreateTableAsync(target));
        Assert.DoesNotContain(await EngineKit.LeftoversAsync(target), l => l.Contains("_swap_", StringComparison.Ordinal));

    }

    [Fact]
    public async Task A_table_in_a_data_directory_of_its_own_is_refused_for_a_copy_and_stays_there()
    {
        // CREATE TABLE ... LIKE makes the copy in the server's data directory, and ALTER TABLE
        // ignores DATA DIRECTORY (warning 1618): the swapped-in table would leave the disk it was put on.
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        var directory = (string)(await target.ScalarAsync("SELECT @@tmpdir"))!;
        await target.ExecuteAsync($"CREATE TABLE t (id INT PRIMARY KEY, v INT NULL) ENGINE=InnoDB DATA DIRECTORY='{directory}' COMMENT 'not DATA DIRECTORY=''x'''");
        await target.ExecuteAsync("INSERT INTO t SELECT seq, seq FROM seq_1_to_300");
        var before = await CreateTableAsync(target);
        Assert.Contains("DATA DIRECTORY=", before, StringComparison.Ordinal);
        target.WriteFile(Path.Combine("migrations", "V1__widen_v.sql"), "-- swap:online\nALTER TABLE t MODIFY v BIGINT NULL;\n");

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains($"It is stored outside the server's data directory (DATA DIRECTORY='{directory.TrimEnd('/')}/')", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, await CreateTableAsync(target));
        Assert.DoesNotContain(await EngineKit.LeftoversAsync(target), l => l.Contains("_swap_", StringComparison.Ordinal));

        // The server made a folder for the database there; leave nothing behind where this host can see it.
        await target.ExecuteAsync("DROP TABLE t");
        var folder = Path.Combine(directory, target.Name);
        if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            Directory.Delete(folder);
    }

    [Fact]
    public async Task A_comment_that_mentions_a_data_directory_is_not_one()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await target.ExecuteAsync("CREATE TABLE `DATA DIRECTORY` (id INT PRIMARY KEY, v INT NULL) ENGINE=InnoDB COMMENT 'DATA DIRECTORY=''/x'''");
        await target.ExecuteAsync("INSERT INTO `DATA DIRECTORY` SELECT seq, seq FROM seq_1_to_300");
        target.WriteFile(Path.Combine("migrations", "V1__widen_v.sql"), "-- swap:online\nALTER TABLE `DATA DIRECTORY` MODIFY v BIGINT NULL;\n");

        await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0).UpAsync();

        Assert.Equal("bigint(20)", await target.ScalarAsync("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'DATA DIRECTORY' AND COLUMN_NAME = 'v'"));
    }

    private static async Task<string> CreateTableAsync(TestTarget target) =>
        (await target.QueryAsync("SHOW CREATE TABLE t"))[0][1]!.ToString()!;

    /// <summary>The index lines of SHOW CREATE TABLE, in name order (indexes built later are printed after the others).</summary>
    private static async Task<List<string>> IndexLinesAsync(TestTarget target) =>
        (await CreateTableAsync(target)).Split('\n').Select(l => l.Trim().TrimEnd(','))
            .Where(l => l.Contains("KEY `", StringComparison.Ordinal) && !l.StartsWith("CONSTRAINT", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
}
