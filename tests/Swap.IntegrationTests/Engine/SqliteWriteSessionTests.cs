using System.Data.Common;
using Swap.Data;
using Swap.IntegrationTests.Infrastructure;
using Swap.Sqlite.Internal;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// The swap's connection during an online swap on SQLite (<see cref="SqliteWriteSession"/>): in WAL
/// mode it commits without an fsync and checkpoints itself between write transactions, with a
/// page cache of at least 64 MiB; in rollback-journal mode only the cache changes; and the
/// connection's own settings come back when the session ends, since the connection goes back to
/// the pool.
/// </summary>
public class SqliteWriteSessionTests
{
    [Fact]
    public async Task In_WAL_mode_the_session_turns_the_automatic_checkpoint_off_checkpoints_itself_and_puts_everything_back()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        Assert.Equal("wal", await target.ScalarAsync("PRAGMA journal_mode = wal"));
        await using var connection = await target.OpenAsync();
        await connection.ExecuteAsync("PRAGMA synchronous = FULL; PRAGMA cache_size = -2000; PRAGMA wal_autocheckpoint = 1000", default);
        await connection.ExecuteAsync("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", default);

        var session = await SqliteWriteSession.OpenAsync(connection, TimeProvider.System, default);
        Assert.Equal(1L, await PragmaAsync(connection, "synchronous"));
        Assert.Equal(-SqliteWriteSession.CacheKib, await PragmaAsync(connection, "cache_size"));
        Assert.Equal(0L, await PragmaAsync(connection, "wal_autocheckpoint"));

        // 2,000 pages into the WAL: past the 1,000 at which the connection would have checkpointed by itself.
        await connection.ExecuteAsync("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 4000) INSERT INTO t (id, v) SELECT i, printf('%.2000c', 'x') FROM s", default);
        await session.AfterWriteAsync(SqliteWriteSession.CheckpointAfter, default);
        // Everything the WAL held is in the database file now, so the next write starts the WAL over
        // from its first frame; without the session's checkpoint it would append after the 2,000.
        await connection.ExecuteAsync("INSERT INTO t (id, v) VALUES (4001, 'y')", default);
        await using (var other = await target.OpenAsync())
        {
            var result = (await other.QueryAsync("PRAGMA wal_checkpoint(PASSIVE)", null, default))[0];
            var frames = Convert.ToInt64(result[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(frames is > 0 and < 50, $"the WAL should have started over after the session's checkpoint; it holds {frames} frames");
        }

        await session.DisposeAsync();
        Assert.Equal(2L, await PragmaAsync(connection, "synchronous"));
        Assert.Equal(-2000L, await PragmaAsync(connection, "cache_size"));
        Assert.Equal(1000L, await PragmaAsync(connection, "wal_autocheckpoint"));
        Assert.Equal(4001L, await connection.ScalarAsync("SELECT count(*) FROM t", default));
    }

    [Fact]
    public async Task A_setting_the_application_chose_lower_or_larger_is_kept_and_rollback_journal_mode_keeps_its_syncs()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.Sqlite);
        Assert.Equal("wal", await target.ScalarAsync("PRAGMA journal_mode = wal"));
        await using (var connection = await target.OpenAsync())
        {
            await connection.ExecuteAsync("PRAGMA synchronous = OFF; PRAGMA cache_size = -200000", default);
            await using (await SqliteWriteSession.OpenAsync(connection, TimeProvider.System, default))
            {
                Assert.Equal(0L, await PragmaAsync(connection, "synchronous"));
                Assert.Equal(-200000L, await PragmaAsync(connection, "cache_size"));
            }
        }

        Assert.Equal("delete", await target.ScalarAsync("PRAGMA journal_mode = delete"));
        await using (var connection = await target.OpenAsync())
        {
            await connection.ExecuteAsync("PRAGMA synchronous = FULL; PRAGMA cache_size = 500", default);
            var session = await SqliteWriteSession.OpenAsync(connection, TimeProvider.System, default);
            // Outside WAL, NORMAL could corrupt the file on a power cut: the syncs stay.
            Assert.Equal(2L, await PragmaAsync(connection, "synchronous"));
            Assert.Equal(-SqliteWriteSession.CacheKib, await PragmaAsync(connection, "cache_size"));
            Assert.Equal(TimeSpan.Zero, await session.AfterWriteAsync(TimeSpan.FromSeconds(5), default));
            await session.DisposeAsync();
            // A positive cache_size counts pages; it comes back as it was.
            Assert.Equal(500L, await PragmaAsync(connection, "cache_size"));
        }
    }

    private static async Task<long> PragmaAsync(DbConnection connection, string name) =>
        Convert.ToInt64(await connection.ScalarAsync($"PRAGMA {name}", default), System.Globalization.CultureInfo.InvariantCulture);
}
