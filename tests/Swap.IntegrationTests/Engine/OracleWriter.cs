using System.Data.Common;
using Swap.Data;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// The application during a swap: one connection doing inserts, updates, key updates and deletes
/// on <c>items</c> as fast as it can, and an oracle of what the table must hold: every write the
/// database acknowledged, applied to the starting rows. The writer never changes <c>k</c>, so the
/// swapped-in <c>flag</c> is a function of the row.
/// </summary>
public sealed class OracleWriter(TestTarget target, Dictionary<long, ItemRow> initial, int seed)
{
    private readonly Dictionary<long, ItemRow> oracle = new(initial);
    private readonly HashSet<long> inserted = [];
    private readonly List<string> errors = [];
    private long nextId = 50_000_000;
    private long nextKey = 100_000_000;
    private int acknowledged;

    /// <summary>Writes acknowledged while <see cref="Watching"/> returned true (proves the writes overlapped the copy).</summary>
    public int DuringWatch { get; private set; }

    /// <summary>Set by the test to tell when the swap is in its copy phase.</summary>
    public Func<bool> Watching { get; set; } = () => false;

    /// <summary>A pause between writes. SQLite has one writer at a time and no fairness: a writer that never pauses starves every other one, so on SQLite the test application pauses as real ones do.</summary>
    public TimeSpan ThinkTime { get; init; } = target.Engine == DatabaseEngine.Sqlite ? TimeSpan.FromMilliseconds(2) : TimeSpan.Zero;

    /// <summary>Added to the ids this writer inserts and moves rows to, so a second writer on the same table does not reuse the first one's.</summary>
    public long IdOffset
    {
        init
        {
            nextId += value;
            nextKey += value;
        }
    }

    /// <summary>A PostgreSQL role the writer's session takes (SET ROLE), to write as an application role with only its grants.</summary>
    public string? Role { get; init; }

    public IReadOnlyDictionary<long, ItemRow> Oracle => oracle;

    /// <summary>Ids the writer inserted (or moved to by a key update): they may lack the swapped-in fill.</summary>
    public IReadOnlySet<long> Inserted => inserted;

    public IReadOnlyList<string> Errors => errors;

    public int Acknowledged => acknowledged;

    public async Task RunAsync(CancellationToken stop)
    {
        var random = new Random(seed);
        await using var connection = await target.OpenAsync();
        if (Role is not null)
            await connection.ExecuteAsync($"SET ROLE \"{Role}\"", default);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await OneAsync(connection, random);
                if (ThinkTime > TimeSpan.Zero)
                    await Task.Delay(ThinkTime, CancellationToken.None);
            }
            catch (DbException e)
            {
                errors.Add(e.Message);
                if (errors.Count > 20)
                    return;
            }
            catch (SwapException e)
            {
                errors.Add(e.Message);
                if (errors.Count > 20)
                    return;
            }
        }
    }

    private async Task OneAsync(DbConnection connection, Random random)
    {
        var roll = random.Next(100);
        var ids = oracle.Keys;
        var pick = ids.Count == 0 ? 0 : ids.ElementAt(random.Next(ids.Count));
        if (roll < 25 || ids.Count == 0)
        {
            var id = nextId++;
            var row = new ItemRow(id, random.Next(1000), "w" + random.Next(), 0);
            await connection.ExecuteAsync("INSERT INTO items (id, k, v, n) VALUES (@id, @k, @v, 0)", new { id, k = row.K, v = row.V }, null, default);
            oracle[id] = row;
            inserted.Add(id);
        }
        else if (roll < 70)
        {
            var v = "u" + random.Next();
            var n = await connection.ExecuteAsync("UPDATE items SET v = @v, n = n + 1 WHERE id = @id", new { v, id = pick }, null, default);
            if (n != 1)
                throw new InvalidOperationException($"UPDATE of {pick} matched {n} rows; the oracle says it exists");
            oracle[pick] = oracle[pick] with { V = v, N = oracle[pick].N + 1 };
        }
        else if (roll < 85)
        {
            var id = nextKey++;
            var n = await connection.ExecuteAsync("UPDATE items SET id = @to WHERE id = @id", new { to = id, id = pick }, null, default);
            if (n != 1)
                throw new InvalidOperationException($"key UPDATE of {pick} matched {n} rows");
            var row = oracle[pick];
            oracle.Remove(pick);
            oracle[id] = row with { Id = id };
            if (inserted.Remove(pick))
                inserted.Add(id);
        }
        else
        {
            var n = await connection.ExecuteAsync("DELETE FROM items WHERE id = @id", new { id = pick }, null, default);
            if (n != 1)
                throw new InvalidOperationException($"DELETE of {pick} matched {n} rows");
            oracle.Remove(pick);
            inserted.Remove(pick);
        }
        acknowledged++;
        if (Watching())
            DuringWatch++;
    }

    /// <summary>
    /// Compares the table with the oracle: every original column exactly; the swapped-in flag must
    /// be the fill for every row, except rows the writer inserted, which may hold NULL (written
    /// after the cut-over, by an application that does not know the column yet).
    /// </summary>
    public static void AssertMatches(IReadOnlyDictionary<long, ItemRow> oracle, IReadOnlySet<long> exempt, IReadOnlyList<ItemRow> actual)
    {
        var expected = oracle.Values.OrderBy(r => r.Id).Select(r => (r.Id, r.K, r.V, r.N)).ToList();
        var got = actual.Select(r => (r.Id, r.K, r.V, r.N)).ToList();
        var missing = expected.Except(got).Take(5).ToList();
        var extra = got.Except(expected).Take(5).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0, $"Table differs from the oracle ({expected.Count} expected, {got.Count} found). Missing or stale: {string.Join("; ", missing)}. Unexpected: {string.Join("; ", extra)}");
        foreach (var row in actual)
        {
            if (row.Flag is null && exempt.Contains(row.Id))
                continue;
            Assert.True(EngineKit.Flag(row.K) == row.Flag, $"Row {row.Id} (k={row.K}) has flag '{row.Flag}', expected '{EngineKit.Flag(row.K)}'");
        }
    }
}
