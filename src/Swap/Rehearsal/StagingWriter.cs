using System.Data.Common;
using Swap.Data;
using Swap.History;

namespace Swap.Rehearsal;

/// <summary>
/// A simple application stand-in for <c>rehearse --load</c>: on its own connection it updates one
/// row at a time (<c>UPDATE t SET k = k WHERE k = @k</c>, a real write that takes the row's lock and
/// fires triggers, capture's included) at a steady rate, round-robin over the staging tables that
/// have a one-column primary key, and notes when each write started, how long it took and whether it failed.
/// </summary>
internal sealed class StagingWriter : IAsyncDisposable
{
    /// <summary>The highest rate asked for: one connection writes one row at a time.</summary>
    public const double MaxRate = 10_000;

    /// <summary>Keys sampled per table: the writer cycles through them.</summary>
    private const int KeysPerTable = 1_000;

    private readonly SwapDatabase database;
    private readonly TimeProvider time;
    private readonly double rate;
    private readonly List<(string Sql, object Key)> targets;
    private readonly List<Write> writes = [];
    private readonly CancellationTokenSource stop;
    private Task? loop;

    private StagingWriter(SwapDatabase database, TimeProvider time, double rate, List<(string Sql, object Key)> targets, IReadOnlyList<string> tables, IReadOnlyList<string> skipped, CancellationToken cancellationToken)
    {
        this.database = database;
        this.time = time;
        this.rate = rate;
        this.targets = targets;
        Tables = tables;
        Skipped = skipped;
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>The tables written to.</summary>
    public IReadOnlyList<string> Tables { get; }

    /// <summary>Tables left alone, each with why.</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>Every write so far: its start (a <see cref="TimeProvider"/> timestamp), its latency, and whether it failed.</summary>
    public IReadOnlyList<Write> Writes => writes;

    /// <summary>Picks the tables and their keys (read only), then starts writing at <paramref name="rate"/> writes per second.</summary>
    public static async Task<StagingWriter> StartAsync(SwapDatabase database, RunnerTables runnerTables, TimeProvider time, double rate, CancellationToken cancellationToken)
    {
        var targets = new List<(string Sql, object Key)>();
        var tables = new List<string>();
        var skipped = new List<string>();
        var (connection, transaction, _) = await TableProbe.OpenReadOnlyAsync(database, cancellationToken);
        await using (connection)
        await using (transaction)
        {
            var own = runnerTables.All.ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var table in (await new TableProbe(database, connection, transaction).TablesAsync(cancellationToken)).Where(t => !own.Contains(t)).Order(StringComparer.Ordinal))
            {
                var schema = await database.TableEngine.LoadTableAsync(connection, transaction, table, cancellationToken);
                if (schema is not { PrimaryKey.Count: 1 })
                {
                    skipped.Add($"{table}: no one-column primary key");
                    continue;
                }
                var d = database.Dialect;
                var key = d.Quote(schema.PrimaryKey[0]);
                var keys = await connection.QueryAsync($"SELECT {key} FROM {d.Quote(table)} ORDER BY {key} LIMIT {KeysPerTable}", null, transaction, cancellationToken);
                if (keys.Count == 0)
                {
                    skipped.Add($"{table}: no rows");
                    continue;
                }
                var sql = $"UPDATE {d.Quote(table)} SET {key} = {key} WHERE {key} = @k";
                targets.AddRange(keys.Select(r => (sql, r[0]!)));
                tables.Add(table);
            }
        }
        // Interleave the tables' keys so that every table is written to all along.
        var order = targets.Select((t, i) => (t, i)).OrderBy(p => p.i % KeysPerTable).ThenBy(p => p.i).Select(p => p.t).ToList();
        var writer = new StagingWriter(database, time, rate, order, tables, skipped, cancellationToken);
        if (order.Count > 0)
            writer.loop = writer.RunAsync(writer.stop.Token);
        return writer;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(1 / rate);
        DbConnection? connection = null;
        try
        {
            var next = time.GetTimestamp();
            for (var i = 0; !cancellationToken.IsCancellationRequested; i++)
            {
                var wait = time.GetElapsedTime(time.GetTimestamp(), next);
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait, time, cancellationToken);
                // A write that took longer than the interval delays the next one: no bursts to catch up.
                next = Math.Max(next, time.GetTimestamp()) + (long)(interval.TotalSeconds * time.TimestampFrequency);
                var (sql, key) = targets[i % targets.Count];
                var started = time.GetTimestamp();
                var failed = false;
                try
                {
                    connection ??= await database.OpenConnectionAsync(cancellationToken);
                    await connection.ExecuteAsync(sql, new { k = key }, null, cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && (e is SwapException || database.IsDatabaseError(e)))
                {
                    // What the application would see (a lock timeout, a lost connection); a fresh connection for the next write.
                    failed = true;
                    if (connection is not null)
                        await connection.DisposeAsync();
                    connection = null;
                }
                lock (writes)
                    writes.Add(new Write(started, time.GetElapsedTime(started), failed));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
                await connection.DisposeAsync();
        }
    }

    /// <summary>Stops writing (the write in flight ends first).</summary>
    public async Task StopAsync()
    {
        await stop.CancelAsync();
        if (loop is not null)
            await loop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stop.Dispose();
    }

    /// <summary>One write of the load.</summary>
    internal readonly record struct Write(long Started, TimeSpan Latency, bool Failed);
}
