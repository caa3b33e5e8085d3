using System.Data.Common;
using System.Globalization;
using MySqlConnector;
using Swap.Data;
using Swap.Engine;

namespace Swap.MySql;

/// <summary>
/// The cut-over on MySQL/MariaDB. MariaDB 10.11 refuses <c>RENAME TABLE</c> under <c>LOCK TABLES</c>
/// (error 1192), so, as in gh-ost's atomic cut-over, one session holds the lock and another
/// session's <c>RENAME TABLE</c> waits for it; waiting DDL goes before waiting DML, so once the
/// lock is released the rename runs first and the application's writes land on the new tables.
/// <list type="number">
/// <item>One locker session per original takes <c>LOCK TABLES original READ</c> (bounded by
/// <c>lock_wait_timeout</c>): it waits for open write transactions to end, then the application's
/// writes wait while reads go on.</item>
/// <item>The swap's own session applies the rest of the change log (reading an original is
/// compatible with the READ lock; the copy and the log are not locked).</item>
/// <item>Only then a renamer session issues the multi-table <c>RENAME TABLE original TO old, copy
/// TO original</c>. It takes its metadata locks one at a time in name order, so it may first wait
/// for a copy that another session holds (InnoDB's purge and statistics threads take shared
/// metadata locks on a table just written).</item>
/// <item>Each locker unlocks only once the RENAME is queued for its original's exclusive lock (a
/// probe session that may not wait is refused by a queued exclusive request, not by the READ
/// lock), so the RENAME goes before every write waiting for that original and none lands in it
/// after the catch-up. A RENAME not queued in time is killed before any lock goes: nothing was
/// renamed, and the attempt is retried.</item>
/// </list>
/// gh-ost's sentry table (a table under the <c>_old</c> name that fails the rename if the locker
/// dies) is not used: the rename is issued only after the catch-up, so if the process dies once
/// the RENAME is queued for the originals, the lockers' sessions end and the rename runs first. It would also
/// be harmful on MariaDB: a multi-table RENAME takes its metadata locks one at a time in name
/// order, so with the sentry (<c>_t_swap_old</c> sorts before <c>t</c>) locked it waits there
/// before it has even queued for the original, and the application's queued writes win.
/// </summary>
internal sealed partial class MySqlTableEngine
{
    private const int PollMilliseconds = 2;

    public override async Task CutOverAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<SwapSpec> specs, OnlineSwapOptions options, Func<DbConnection, DbTransaction?, CancellationToken, Task> catchUp, Func<DbTransaction?, Task> recordSwapped, CancellationToken cancellationToken)
    {
        var seconds = LockSeconds(options);
        // The order RENAME takes its metadata locks in: by name.
        var originals = specs.Select(s => s.Original.Name).Order(StringComparer.Ordinal).ToList();
        var lockers = new List<DbConnection>();
        // Statistics for the filled copies, before any lock: a copy has the statistics InnoDB took of
        // it empty (and an index built on it later), so without this the swapped-in table says 0 rows
        // to the optimizer until the background recalculation gets to it, and for good under
        // STATS_AUTO_RECALC=0 (pt-online-schema-change's --analyze-before-swap). Nobody else uses the
        // copies, so nothing waits on it; the statement is logged, so a replica's copies get theirs.
        foreach (var spec in specs)
            await connection.ExecuteAsync(Analyze(spec), cancellationToken);
        // Read before the locks, which the application's writes wait behind: the catalog query is not free.
        var children = await ChildForeignKeysAsync(connection, specs, originals, cancellationToken);
        var triggersAdded = false;
        await using var renamer = await database.OpenConnectionAsync(cancellationToken);
        // Opened before the locks too: every round trip from here to the rename is the application's wait.
        await using var probe = await database.OpenConnectionAsync(cancellationToken);
        // Zero: a probe that finds a queued exclusive request fails at once instead of joining the queue (MariaDB; MySQL's minimum is 1 second).
        await probe.ExecuteAsync("SET SESSION lock_wait_timeout = 0", cancellationToken);
        try
        {
            var renamerId = System.Convert.ToInt64(await renamer.ScalarAsync("SELECT CONNECTION_ID()", cancellationToken), CultureInfo.InvariantCulture);
            // The rename is issued after the catch-up and the lockers let it go at once, so it waits
            // long only behind someone else (a long transaction that read the table): as long as
            // any cut-over lock wait, during which the application's statements queue behind it.
            await renamer.ExecuteAsync($"SET SESSION lock_wait_timeout = {seconds.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
            // Every session first, then the locks: a two-table swap's first table does not wait on the second's connect.
            foreach (var _ in originals)
            {
                var locker = await database.OpenConnectionAsync(cancellationToken);
                lockers.Add(locker);
                await locker.ExecuteAsync($"SET SESSION lock_wait_timeout = {seconds.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
            }
            for (var i = 0; i < originals.Count; i++)
                await lockers[i].ExecuteAsync($"LOCK TABLES {D.Quote(originals[i])} READ", cancellationToken);

            // Nobody can write the originals now: apply the rest of the change logs.
            await catchUp(connection, null, cancellationToken);
            await CarryAutoIncrementAsync(connection, specs, cancellationToken);
            // Nothing writes the copies any more: they take the originals' own triggers now, under
            // temporary names, so the first write after the rename fires them.
            triggersAdded = true;
            await triggers.AddToCopiesAsync(connection, specs, cancellationToken);
            // The copies equal the originals and nobody can change either: foreign keys of other
            // tables are pointed at the copies, and the RENAME carries them to the originals' names.
            // Both go to the server as one batch from the renamer's session, so once it is sent the
            // server runs them to the end even if Swap dies: no key is left on a copy by a crash.
            var repoint = children.Count == 0 ? "" : RepointBatch(children, specs, toCopy: true) + ";\n";
            Swap.Running.FaultPoints.Hit("cutover-rename");
            try
            {
                await RenameAsync(connection, renamer, probe, renamerId, repoint + Rename(specs), string.Join(";\n", specs.SelectMany(CaptureTriggerDrops)), originals, lockers, seconds, cancellationToken);
            }
            catch when (children.Count > 0)
            {
                // The RENAME did not happen (or the re-pointing failed half-way): the keys go back to
                // the originals, which the application writes again (released first: pointing a key
                // at a table needs its metadata lock).
                foreach (var locker in lockers)
                    await IgnoreAsync(() => locker.ExecuteAsync("UNLOCK TABLES", CancellationToken.None));
                await RepointStrayKeysAsync(connection, specs, CancellationToken.None);
                throw;
            }
        }
        catch (Exception) when (triggersAdded)
        {
            // No rename: the applier writes the copies again before the next attempt, and must not
            // fire the triggers there (a lost connection leaves them to the resumed run's cleanup).
            await IgnoreAsync(() => triggers.RemoveFromCopiesAsync(connection, specs, CancellationToken.None));
            throw;
        }
        finally
        {
            foreach (var locker in lockers)
                await locker.DisposeAsync();
        }
        // RENAME commits on its own: the journal says "swapped" right after, and a resumed run
        // that finds the copy gone and the old table present knows the rename happened.
        await recordSwapped(null);
    }

    /// <summary>
    /// Issues the RENAME from the renamer's session and hands each original over to it: a locker
    /// unlocks only once the RENAME is queued for that original's exclusive lock, and so goes
    /// before every write waiting for it. The RENAME takes its locks one at a time in name order,
    /// and the copies' names (<c>_t_swap_new</c>) usually sort before the originals': it may be
    /// waiting for a copy that another session holds (InnoDB's purge and statistics threads take
    /// shared metadata locks on a table that was just written), not yet queued for the original.
    /// Releasing the original then would let the application's writes in after the catch-up, into
    /// the table about to become <c>_t_swap_old</c>: lost. When the RENAME cannot be handed every
    /// original in time, it is stopped before any lock goes, and nothing was renamed.
    /// </summary>
    private async Task RenameAsync(DbConnection connection, DbConnection renamer, DbConnection probe, long renamerId, string batch, string afterRename, IReadOnlyList<string> originals, List<DbConnection> lockers, int seconds, CancellationToken cancellationToken)
    {
        var rename = RenameThenAsync(renamer, batch, afterRename, cancellationToken);
        var locked = Enumerable.Range(0, lockers.Count).ToList();
        Exception? failure = null;
        try
        {
            var limit = TimeSpan.FromSeconds(seconds * 3);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            // Order-free: whichever original the RENAME is queued for is released, then the next.
            while (locked.Count > 0 && !rename.IsCompleted)
            {
                var queued = await FirstQueuedAsync(probe, locked.Select(i => originals[i]).ToList(), cancellationToken);
                // With other tables' foreign keys to re-point, the batch's ALTERs come first and may queue for an original too.
                if (queued >= 0 && await RenameRunningAsync(connection, renamerId, cancellationToken))
                {
                    await lockers[locked[queued]].ExecuteAsync("UNLOCK TABLES", cancellationToken);
                    locked.RemoveAt(queued);
                    continue;
                }
                if (System.Diagnostics.Stopwatch.GetElapsedTime(started) > limit)
                    throw new TimeoutException($"The cut-over's RENAME TABLE was not queued for the lock on {string.Join(", ", locked.Select(i => originals[i]))} within {limit.TotalSeconds:0} s (another session holds one of the tables it renames).");
                await Task.Delay(PollMilliseconds, cancellationToken);
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
        if (locked.Count > 0 && !rename.IsCompleted)
        {
            // The RENAME holds or waits for some of the tables but not the rest: stop it while every
            // original it was not handed is still locked. It has renamed nothing (it renames only
            // once it holds every table), and whatever it held goes back to the application.
            await StopRenameAsync([probe, connection], renamerId, rename);
        }
        foreach (var locker in lockers)
            await IgnoreAsync(() => locker.ExecuteAsync("UNLOCK TABLES", CancellationToken.None));
        try
        {
            await rename;
        }
        catch (Exception e) when (failure is null && (database.IsConnectionLost(e) || MySqlDatabase.Code(e) == MySqlErrorCode.QueryInterrupted))
        {
            // The renamer's session was killed or lost: nothing was renamed (a RENAME is
            // atomic); like a lock timeout, the attempt is retried. Any other error (a privilege
            // revoked, a table renamed away) is the RENAME's own and stops the cut-over with its
            // words: retried, it would fail the same way and end as a lock timeout that never was.
            throw new CutOverInterruptedException("The cut-over's RENAME TABLE session ended before the rename: " + e.Message, e);
        }
        catch (Exception e) when (failure is not null && (database.IsDatabaseError(e) || e is OperationCanceledException))
        {
            // Stopped above: the failure that stopped it is the one to report.
        }
        if (failure is TimeoutException timeout)
            throw new CutOverInterruptedException(timeout.Message, timeout);
        if (failure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
    }

    /// <summary>
    /// The index of the first of <paramref name="tables"/> the RENAME is queued for, or -1. A probe
    /// that may not wait reads each: the lockers' READ locks let it in, but a queued exclusive
    /// request (the RENAME's, which nothing else asks for under the cut-over) goes before it.
    /// </summary>
    private async Task<int> FirstQueuedAsync(DbConnection probe, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        for (var i = 0; i < tables.Count; i++)
        {
            try
            {
                await probe.ExecuteAsync($"SELECT 1 FROM {D.Quote(tables[i])} LIMIT 0", cancellationToken);
            }
            catch (Exception e) when (database.IsDatabaseError(e) && IsLockTimeout(e))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>True while the renamer's session runs the RENAME (not the ALTERs of its batch).</summary>
    private static async Task<bool> RenameRunningAsync(DbConnection connection, long renamerId, CancellationToken cancellationToken) =>
        System.Convert.ToInt64(
            await connection.ScalarAsync(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = @id AND INFO LIKE 'RENAME%'",
                new { id = renamerId },
                null,
                cancellationToken),
            CultureInfo.InvariantCulture) > 0;

    /// <summary>
    /// Kills the RENAME's statement (it is still acquiring its locks) from the first of
    /// <paramref name="sessions"/> that can, and waits until it has ended.
    /// </summary>
    private async Task StopRenameAsync(IReadOnlyList<DbConnection> sessions, long renamerId, Task rename)
    {
        foreach (var session in sessions)
        {
            await IgnoreAsync(() => session.ExecuteAsync($"KILL QUERY {renamerId.ToString(CultureInfo.InvariantCulture)}", CancellationToken.None));
            try
            {
                await rename.WaitAsync(TimeSpan.FromSeconds(10));
                return;
            }
            catch (Exception e) when (database.IsDatabaseError(e) || e is OperationCanceledException)
            {
                // Interrupted, as asked (or ended on its own with an error): nothing was renamed.
                return;
            }
            catch (TimeoutException)
            {
                // This session could not kill it (gone with the failure): try the next.
            }
        }
    }

    /// <summary>
    /// The copy's AUTO_INCREMENT counter only knows the ids inserted into it; a row the application
    /// inserted and deleted before the applier saw it never got there, so the copy would hand out
    /// that id again. The original's counter is carried over (InnoDB never lowers a counter below
    /// the table's largest id + 1) when it is ahead of the copy's: usually it is not (the applier
    /// inserted the same last id), and the ALTER, a DDL statement that syncs the server's logs, cost
    /// 30-50 ms of the cut-over's lock on the benchmark machine for nothing. MariaDB reads both
    /// counters live in information_schema; MySQL 8 caches them, so Swap's sessions there set
    /// information_schema_stats_expiry to 0 (see <see cref="MySqlDatabase"/>'s session set-up).
    /// </summary>
    private async Task CarryAutoIncrementAsync(DbConnection connection, IReadOnlyList<SwapSpec> specs, CancellationToken cancellationToken)
    {
        // A script that set the counter (AUTO_INCREMENT = n) gave it to the copy, as the server's own ALTER would.
        foreach (var spec in specs.Where(s => !s.AutoIncrementSet))
        {
            var counters = (await connection.QueryAsync(
                    "SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (@table, @copy)",
                    new { table = spec.Original.Name, copy = spec.Names.Copy },
                    null,
                    cancellationToken))
                .Where(r => r["AUTO_INCREMENT"] is not (null or DBNull))
                .ToDictionary(r => r.String("TABLE_NAME")!, r => System.Convert.ToUInt64(r["AUTO_INCREMENT"], CultureInfo.InvariantCulture), StringComparer.OrdinalIgnoreCase);
            if (AutoIncrementToCarry(counters.TryGetValue(spec.Original.Name, out var o) ? o : null, counters.TryGetValue(spec.Names.Copy, out var c) ? c : null) is { } value)
                await connection.ExecuteAsync($"ALTER TABLE {D.Quote(spec.Names.Copy)} AUTO_INCREMENT = {value.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
        }
    }

    /// <summary>The counter to give the copy: the original's when it is ahead of the copy's (or the copy's is unknown), else null.</summary>
    internal static ulong? AutoIncrementToCarry(ulong? original, ulong? copy) =>
        original is { } o && (copy is not { } c || o > c) ? o : null;

    private static int LockSeconds(OnlineSwapOptions options) => (int)Math.Max(1, Math.Ceiling(options.CutOverLockTimeout.TotalSeconds));

    /// <summary>
    /// Runs the RENAME batch, then at once drops the capture triggers from the renamed originals
    /// (<paramref name="afterRename"/>; the journaled capture removal after the cut-over finds
    /// them gone). Nothing writes the old tables any more, but MariaDB (MDEV-26048) fails a stored
    /// procedure's statements on the new table with error 1146, naming a table the new table's
    /// triggers write (the reverse capture's log, or one the table's own triggers write), for as
    /// long as the old table keeps triggers that write another table: measured with a procedure
    /// called 1,000 times a second, 70-86 of its calls failed in the 35 ms the journal write took
    /// before the capture removal. A failure of the drop is left to that removal.
    /// </summary>
    private async Task RenameThenAsync(DbConnection renamer, string batch, string afterRename, CancellationToken cancellationToken)
    {
        await renamer.ExecuteAsync(batch, cancellationToken);
        await IgnoreAsync(() => renamer.ExecuteAsync(afterRename, CancellationToken.None));
    }

    private string Rename(IReadOnlyList<SwapSpec> specs) =>
        "RENAME TABLE " + string.Join(", ", specs.SelectMany(s => new[]
        {
            $"{D.Quote(s.Original.Name)} TO {D.Quote(s.Names.Old)}",
            $"{D.Quote(s.Names.Copy)} TO {D.Quote(s.Original.Name)}",
        }));

    private static async Task IgnoreAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is DbException or IOException or InvalidOperationException or OperationCanceledException)
        {
            // Unlocking a lock already gone; the attempt's own outcome is what the caller sees.
        }
    }

    /// <summary>InnoDB's statistics of the filled copy (sampled pages: milliseconds, whatever its size).</summary>
    private string Analyze(SwapSpec spec) => $"ANALYZE TABLE {D.Quote(spec.Names.Copy)}";

    public override IReadOnlyList<string> CutOverPlan(IReadOnlyList<SwapSpec> specs, OnlineSwapOptions options)
    {
        var seconds = LockSeconds(options).ToString(CultureInfo.InvariantCulture);
        var sql = specs.Select(Analyze).ToList();
        sql.Add($"-- locker session per table: SET SESSION lock_wait_timeout = {seconds}");
        sql.AddRange(specs.Select(s => $"-- locker: LOCK TABLES {D.Quote(s.Original.Name)} READ"));
        sql.Add("-- apply the rest of the change log (batches of: read log, delete keys from the copy, insert current rows, delete the log rows)");
        sql.AddRange(specs.SelectMany(s => MySqlTriggerMover.Own(s.Original).Select(t => MySqlTriggerMover.Create(t, s.Names.UserTrigger(t.Name), s.Names.Copy))));
        var children = specs.SelectMany(s => s.Original.ReferencedBy).ToList();
        if (children.Count > 0)
        {
            sql.Add("-- renamer session, one batch: foreign keys of other tables re-pointed at the copies (in place, metadata only), then the RENAME, queued behind the lockers:");
            sql.Add(RepointBatch(children, specs, toCopy: true));
        }
        else
        {
            sql.Add("-- renamer session, queued behind the lockers:");
        }
        sql.Add(Rename(specs));
        sql.Add("-- lockers: UNLOCK TABLES, in name order (the RENAME goes first)");
        return sql;
    }
}
