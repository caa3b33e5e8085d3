using Swap.Engine;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// The backlog the live status shows each second: exact up to <see cref="ChangeLogSize.CountedUpTo"/>
/// rows, the span of the log's ids beyond (never a full count of a long log).
/// </summary>
public class ChangeLogSizeTests
{
    public static TheoryData<DatabaseEngine> Engines => new() { DatabaseEngine.MySql, DatabaseEngine.PostgreSql, DatabaseEngine.Sqlite };

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_short_log_is_counted_and_a_long_one_is_measured_by_its_ids(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        var database = target.Database();
        var q = database.Dialect.Quote("t_log");
        await target.ExecuteAsync($"CREATE TABLE {q} (id BIGINT NOT NULL PRIMARY KEY, op CHAR(1) NOT NULL)");
        await using var connection = await target.OpenAsync();
        Task<long> RowsAsync() => ChangeLogSize.RowsAsync(connection, database.Dialect.Quote, "t_log", CancellationToken.None);

        Assert.Equal(0, await RowsAsync());
        // Ids 101..10100 with every tenth missing (a rolled-back write): 9,000 rows, counted exactly.
        var ids = Enumerable.Range(101, 10_000).Where(i => i % 10 != 0).ToList();
        foreach (var chunk in ids.Chunk(1000))
            await target.ExecuteAsync($"INSERT INTO {q} (id, op) VALUES {string.Join(", ", chunk.Select(i => $"({i}, 'u')"))}");
        Assert.Equal(9_000, await RowsAsync());

        // 10,000 exactly is still a count; one more and the span of ids (101..20000) answers.
        await target.ExecuteAsync($"INSERT INTO {q} (id, op) VALUES {string.Join(", ", Enumerable.Range(1, 10).Select(i => $"({i * 10 + 100}, 'u')"))}");
        var rest = Enumerable.Range(10_201, 990).ToList();
        await target.ExecuteAsync($"INSERT INTO {q} (id, op) VALUES {string.Join(", ", rest.Select(i => $"({i}, 'u')"))}");
        Assert.Equal(10_000, await RowsAsync());
        await target.ExecuteAsync($"INSERT INTO {q} (id, op) VALUES (20000, 'd')");
        Assert.Equal(20_000 - 101 + 1, await RowsAsync());
    }
}
