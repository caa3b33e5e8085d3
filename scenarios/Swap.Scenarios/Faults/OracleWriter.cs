using System.Data;
using System.Data.Common;
using System.Diagnostics;

namespace Swap.Scenarios.Faults;

/// <summary>What the writer did during a trial.</summary>
public sealed class WriterStats
{
    public int Acknowledged { get; set; }

    /// <summary>Writes that failed cleanly (a re-read showed they were not applied).</summary>
    public int Failed { get; set; }

    /// <summary>Writes whose outcome was unknown when they failed (the connection died) and a re-read showed applied.</summary>
    public int AmbiguousApplied { get; set; }

    public int AmbiguousNotApplied { get; set; }

    public int Reconnects { get; set; }

    public Dictionary<string, int> ByKind { get; } = [];

    /// <summary>Acknowledged writes per table, when the writer writes several.</summary>
    public Dictionary<string, int> ByTable { get; } = [];

    /// <summary>The longest a single write took (informational: how long capture or the cut-over held the writer).</summary>
    public TimeSpan LongestWrite { get; set; }

    /// <summary>Things the writer saw that should never happen: a row it knows of not found, a write half applied.</summary>
    public List<string> Anomalies { get; } = [];
}

/// <summary>One table the writer writes, with its oracle.</summary>
public sealed record OracleTable(ItemsTable Table, ItemsModel Model);

/// <summary>
/// The application during a trial: one connection of its own (never the one a fault kills)
/// applying inserts, updates, increments, deletes and key changes to the table (or to each of
/// several tables, picked at random per write), and recording each acknowledged write in the
/// oracle. On a <see cref="TableShape.CompositeKey"/> table every write finds its row by the
/// whole key, and some move the row to another <c>grp</c>. A write that fails is resolved by
/// re-reading its rows on a healthy connection: applied or not, never guessed.
/// </summary>
public sealed class OracleWriter
{
    private const long FirstWriterId = 1_000_000;
    private readonly FaultTarget target;
    private readonly IReadOnlyList<OracleTable> tables;
    private readonly Random random;
    private readonly CancellationTokenSource stop = new();
    private readonly TimeSpan pause;
    private long nextId = FirstWriterId;
    private Task? loop;

    public OracleWriter(FaultTarget target, ItemsTable table, ItemsModel model, int seed, TimeSpan? pause = null)
        : this(target, [new OracleTable(table, model)], seed, pause)
    {
    }

    /// <param name="tables">The tables to write; ids the writer inserts are unique across them.</param>
    public OracleWriter(FaultTarget target, IReadOnlyList<OracleTable> tables, int seed, TimeSpan? pause = null)
    {
        this.target = target;
        this.tables = tables;
        random = new Random(seed);
        this.pause = pause ?? TimeSpan.FromMilliseconds(2);
    }

    public WriterStats Stats { get; } = new();

    /// <summary>True when the writer gave up (it could not reconnect); the trial fails.</summary>
    public string? Fatal { get; private set; }

    public void Start() => loop = Task.Run(RunAsync);

    /// <summary>Waits until <paramref name="count"/> more writes are acknowledged (or the writer stops).</summary>
    public async Task WaitForWritesAsync(int count, TimeSpan timeout)
    {
        int target;
        lock (Stats)
            target = Stats.Acknowledged + count;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout && Fatal is null && loop is { IsCompleted: false })
        {
            lock (Stats)
            {
                if (Stats.Acknowledged >= target)
                    return;
            }
            await Task.Delay(10);
        }
    }

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        if (loop is not null)
            await loop;
    }

    private sealed record Change(long Id, ItemRow? Before, ItemRow? After);

    private sealed record Write(OracleTable Side, string Kind, string Sql, (string, object?)[] Parameters, Change[] Changes);

    private async Task RunAsync()
    {
        DbConnection? connection = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                connection ??= await ConnectAsync();
                if (connection is null)
                    return;
                var write = Next();
                if (write is null)
                {
                    await Task.Delay(pause);
                    continue;
                }
                var watch = Stopwatch.StartNew();
                int affected;
                try
                {
                    affected = await Db.ExecAsync(connection, write.Sql, CancellationToken.None, write.Parameters);
                }
                catch (Exception e) when (e is DbException or InvalidOperationException or IOException or SwapException or TimeoutException)
                {
                    // Unknown outcome: the statement may or may not have committed. Find out.
                    if (!await AliveAsync(connection))
                    {
                        await connection.DisposeAsync();
                        connection = await ConnectAsync();
                        if (connection is null)
                            return;
                        lock (Stats)
                            Stats.Reconnects++;
                        await ResolveAsync(connection, write, lost: true);
                    }
                    else
                    {
                        await ResolveAsync(connection, write, lost: false);
                    }
                    continue;
                }
                lock (Stats)
                {
                    if (watch.Elapsed > Stats.LongestWrite)
                        Stats.LongestWrite = watch.Elapsed;
                }
                if (affected != 1)
                {
                    lock (Stats)
                        Stats.Anomalies.Add($"{Where(write)}{write.Kind} of row {write.Changes[0].Id} was acknowledged with {affected} rows affected; the oracle expected 1");
                    await ResolveAsync(connection, write, lost: false);
                    continue;
                }
                Apply(write);
                lock (Stats)
                {
                    Stats.Acknowledged++;
                    Stats.ByKind[write.Kind] = Stats.ByKind.GetValueOrDefault(write.Kind) + 1;
                    if (tables.Count > 1)
                        Stats.ByTable[write.Side.Table.Name] = Stats.ByTable.GetValueOrDefault(write.Side.Table.Name) + 1;
                }
                if (pause > TimeSpan.Zero)
                    await Task.Delay(pause);
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException or SwapException)
        {
            Fatal = $"the writer stopped: {e.GetType().Name}: {e.Message}";
        }
        finally
        {
            if (connection is not null)
                await connection.DisposeAsync();
        }
    }

    private Write? Next()
    {
        // One table draws nothing here, so a one-table trial's writes stay what its seed gave before.
        var side = tables.Count == 1 ? tables[0] : tables[random.Next(tables.Count)];
        var (table, model) = side;
        var q = target.Quote(table.Name);
        var composite = table.Shape == TableShape.CompositeKey;
        var roll = random.Next(100);
        if (roll < 25 || model.Count < 10)
        {
            var row = ItemsTable.NewRow(random, nextId++, fromWriter: true);
            return new Write(side, "insert", $"INSERT INTO {q} (id, grp, name, qty, note) VALUES (@id, @grp, @name, @qty, @note)",
                [("id", row.Id), ("grp", row.Grp), ("name", row.Name), ("qty", row.Qty), ("note", row.Note)], [new Change(row.Id, null, row)]);
        }
        var pick = model.PickUnpinned(random);
        if (pick is null)
            return null;
        (string, object?)[] Key() => composite ? [("kgrp", pick.Grp), ("id", pick.Id)] : [("id", pick.Id)];
        var where = table.KeyWhere;
        if (roll < 50)
        {
            var fresh = ItemsTable.NewRow(random, pick.Id, pick.FromWriter);
            var after = pick with { Name = fresh.Name + " u", Qty = fresh.Qty, Note = fresh.Note };
            return new Write(side, "update", $"UPDATE {q} SET name = @name, qty = @qty, note = @note WHERE {where}",
                [("name", after.Name), ("qty", after.Qty), ("note", after.Note), .. Key()], [new Change(pick.Id, pick, after)]);
        }
        if (roll < 70)
        {
            return new Write(side, "increment", $"UPDATE {q} SET qty = qty + 1 WHERE {where}",
                Key(), [new Change(pick.Id, pick, pick with { Qty = pick.Qty + 1 })]);
        }
        if (roll < 85)
            return new Write(side, "delete", $"DELETE FROM {q} WHERE {where}", Key(), [new Change(pick.Id, pick, null)]);
        if (composite && roll < 93)
        {
            // The first key column changes: the row leaves its key range for another group's.
            var grp = (pick.Grp + 1 + random.Next(49)) % 50;
            return new Write(side, "move-group", $"UPDATE {q} SET grp = @grp WHERE {where}",
                [("grp", grp), .. Key()], [new Change(pick.Id, pick, pick with { Grp = grp, FormerGrps = [.. pick.FormerGrps ?? [], pick.Grp] })]);
        }
        var moved = nextId++;
        return new Write(side, "move-key", $"UPDATE {q} SET id = @moved WHERE {where}",
            [("moved", moved), .. Key()], [new Change(pick.Id, pick, null), new Change(moved, null, pick with { Id = moved })]);
    }

    private void Apply(Write write)
    {
        foreach (var c in write.Changes)
        {
            if (c.After is null)
                write.Side.Model.Remove(c.Id);
            else
                write.Side.Model.Put(c.After);
        }
    }

    /// <summary>The table a write went to, for messages, when there are several.</summary>
    private string Where(Write write) => tables.Count == 1 ? "" : write.Side.Table.Name + ": ";

    /// <summary>After a failed write: re-read its rows; they must show it wholly applied or wholly not.</summary>
    private async Task ResolveAsync(DbConnection connection, Write write, bool lost)
    {
        var actual = new List<ItemRow?>();
        foreach (var c in write.Changes)
            actual.Add(await write.Side.Table.ReadAsync(connection, c.Id, CancellationToken.None));
        var applied = write.Changes.Select((c, i) => ItemsTable.SameValues(c.After, actual[i])).All(x => x);
        var notApplied = write.Changes.Select((c, i) => ItemsTable.SameValues(c.Before, actual[i])).All(x => x);
        lock (Stats)
        {
            if (applied)
            {
                Apply(write);
                if (lost)
                    Stats.AmbiguousApplied++;
                else
                    Stats.Acknowledged++;
            }
            else if (notApplied)
            {
                if (lost)
                    Stats.AmbiguousNotApplied++;
                else
                    Stats.Failed++;
            }
            else
            {
                Stats.Anomalies.Add($"{Where(write)}{write.Kind} of row {write.Changes[0].Id}: the table shows neither the row before the write nor after it: " +
                    string.Join("; ", write.Changes.Select((c, i) => $"id {c.Id}: before {Show(c.Before)}, after {Show(c.After)}, found {Show(actual[i])}")));
                // Follow the table so one anomaly is reported once, not again at the end.
                foreach (var (c, i) in write.Changes.Select((c, i) => (c, i)))
                {
                    if (actual[i] is { } found)
                        write.Side.Model.Put(found with { FromWriter = c.Before?.FromWriter ?? c.After?.FromWriter ?? true, FormerGrps = c.Before?.FormerGrps });
                    else
                        write.Side.Model.Remove(c.Id);
                }
            }
        }
    }

    private static string Show(ItemRow? row) => row is null ? "absent" : ItemsTable.Show(row);

    private static async Task<bool> AliveAsync(DbConnection connection)
    {
        if (connection.State != ConnectionState.Open)
            return false;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Db.ScalarAsync(connection, "SELECT 1", timeout.Token);
            return true;
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Connects, retrying while the server is away (a restart); null once stopped or after two minutes.</summary>
    private async Task<DbConnection?> ConnectAsync()
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var connection = await target.OpenAsync(CancellationToken.None);
                var setup = target.Engine switch
                {
                    // The servers run with synchronous_commit=off; an acknowledged write of the
                    // application must survive a server crash for the oracle to hold.
                    DatabaseEngine.PostgreSql => "SET synchronous_commit = on; SET statement_timeout = '120s'",
                    DatabaseEngine.Sqlite => "PRAGMA busy_timeout = 60000",
                    _ => "SET SESSION innodb_lock_wait_timeout = 120",
                };
                await Db.ExecAsync(connection, setup, CancellationToken.None);
                return connection;
            }
            catch (Exception e) when (e is DbException or SwapException or InvalidOperationException or IOException)
            {
                if (watch.Elapsed > TimeSpan.FromMinutes(2))
                {
                    Fatal = $"the writer could not reconnect for two minutes: {e.Message}";
                    return null;
                }
                await Task.Delay(200);
            }
        }
    }
}
