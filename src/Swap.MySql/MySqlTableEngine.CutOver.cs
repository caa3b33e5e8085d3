using System.Data.Common;
using System.Globalization;
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
/// TO original</c>, which queues for the lockers' locks; the locker sees it waiting.</item>
/// <item>The lockers unlock, in the order the rename takes its locks (by name): the rename holds
/// each original before the next one is released, so no queued write slips into an original
/// after the catch-up.</item>
/// </list>
/// gh-ost's sentry table (a table under the <c>_old</c> name that fails the rename if the locker
/// dies) is not needed here, because the rename is issued only after the catch-up: if the process
/// dies after that, the lockers' sessions end, and the rename that runs is correct. It would also
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
        // Read before the locks, which the application's writes wait behind: the catalog query is not free.
        var children = await ChildForeignKeysAsync(connection, specs, originals, cancellationToken);
        var triggersAdded = false;
        await using var renamer = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            var renamerId = System.Convert.ToInt64(await renamer.ScalarAsync("SELECT CONNECTION_ID()", cancellationToken), CultureInfo.InvariantCulture);
            // The rename is issued after the catch-up and the lockers let it go at once, so it waits
            // long only behind someone else (a long transaction that read the table): as long as
            // any cut-over lock wait, during which the application's statements queue behind it.
            await renamer.ExecuteAsync($"SET SESSION lock_wait_timeout = {seconds.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
            foreach (var table in originals)
            {
                var locker = await database.OpenConnectionAsync(cancellationToken);
                lockers.Add(locker);
                await locker.ExecuteAsync($"SET SESSION lock_wait_timeout = {seconds.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
                await locker.ExecuteAsync($"LOCK TABLES {D.Quote(table)} READ", cancellationToken);
            }

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
                await RenameAsync(connection, renamer, renamerId, repoint + Rename(specs), originals, lockers, seconds, cancellationToken);
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

    /// <summary>Issues the RENAME from the renamer's session, sees it queued, and releases the lockers in name order.</summary>
    private async Task RenameAsync(DbConnection connection, DbConnection renamer, long renamerId, string batch, IReadOnlyList<string> originals, List<DbConnection> lockers, int seconds, CancellationToken cancellationToken)
    {
        var rename = renamer.ExecuteAsync(batch, cancellationToken);
        try
        {
            await WaitForRenameAsync(connection, renamerId, rename, TimeSpan.FromSeconds(seconds * 3), cancellationToken);
            for (var i = 0; i < lockers.Count; i++)
            {
                if (i > 0)
                    await WaitUntilRenameHoldsAsync(originals[i - 1], rename, cancellationToken);
                await lockers[i].ExecuteAsync("UNLOCK TABLES", cancellationToken);
            }
        }
        finally
        {
            // Whatever happened, the rename was issued after the catch-up: once the locks go it
            // either runs, and is right, or times out and nothing changed.
            foreach (var locker in lockers)
                await IgnoreAsync(() => locker.ExecuteAsync("UNLOCK TABLES", CancellationToken.None));
            try
            {
                await rename;
            }
            catch (Exception e) when (database.IsDatabaseError(e) && !IsLockTimeout(e))
            {
                // The renamer's session was killed or lost: nothing was renamed (a RENAME is
                // atomic); like a lock timeout, the attempt is retried.
                throw new CutOverInterruptedException("The cut-over's RENAME TABLE session ended before the rename: " + e.Message, e);
            }
        }
    }

    /// <summary>
    /// The copy's AUTO_INCREMENT counter only knows the ids inserted into it; a row the application
    /// inserted and deleted before the applier saw it never got there, so the copy would hand out
    /// that id again. The original's counter is carried over (InnoDB never lowers a counter below
    /// the table's largest id + 1). MariaDB reads the counter live in information_schema; MySQL 8
    /// caches it (information_schema_stats_expiry).
    /// </summary>
    private async Task CarryAutoIncrementAsync(DbConnection connection, IReadOnlyList<SwapSpec> specs, CancellationToken cancellationToken)
    {
        foreach (var spec in specs)
        {
            var next = await connection.ScalarAsync(
                "SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @table",
                new { table = spec.Original.Name },
                null,
                cancellationToken);
            if (next is null or DBNull)
                continue;
            var value = System.Convert.ToUInt64(next, CultureInfo.InvariantCulture);
            await connection.ExecuteAsync($"ALTER TABLE {D.Quote(spec.Names.Copy)} AUTO_INCREMENT = {value.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
        }
    }

    private static int LockSeconds(OnlineSwapOptions options) => (int)Math.Max(1, Math.Ceiling(options.CutOverLockTimeout.TotalSeconds));

    private string Rename(IReadOnlyList<SwapSpec> specs) =>
        "RENAME TABLE " + string.Join(", ", specs.SelectMany(s => new[]
        {
            $"{D.Quote(s.Original.Name)} TO {D.Quote(s.Names.Old)}",
            $"{D.Quote(s.Names.Copy)} TO {D.Quote(s.Original.Name)}",
        }));

    /// <summary>Waits until the renamer's RENAME waits for the lockers' locks (so it is next in line), or fails.</summary>
    private static async Task WaitForRenameAsync(DbConnection connection, long renamerId, Task rename, TimeSpan limit, CancellationToken cancellationToken)
    {
        var polls = (int)Math.Max(1, limit.TotalMilliseconds / PollMilliseconds);
        for (var poll = 0; ; poll++)
        {
            if (rename.IsCompleted)
                return;
            var waiting = await connection.ScalarAsync(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = @id AND STATE LIKE 'Waiting for table%' AND INFO LIKE 'RENAME%'",
                new { id = renamerId },
                null,
                cancellationToken);
            if (System.Convert.ToInt64(waiting, CultureInfo.InvariantCulture) > 0)
                return;
            if (poll >= polls)
                throw new TimeoutException("The cut-over's RENAME TABLE was not seen waiting for the locks in time.");
            await Task.Delay(PollMilliseconds, cancellationToken);
        }
    }

    /// <summary>
    /// Several tables: before the next original is unlocked, the rename must hold the previous one
    /// (and so be queued for the next). A probe that may not wait tells: it cannot read a table the
    /// rename holds exclusively.
    /// </summary>
    private async Task WaitUntilRenameHoldsAsync(string table, Task rename, CancellationToken cancellationToken)
    {
        await using var probe = await database.OpenConnectionAsync(cancellationToken);
        await probe.ExecuteAsync("SET SESSION lock_wait_timeout = 0", cancellationToken);
        while (!rename.IsCompleted)
        {
            try
            {
                await probe.ExecuteAsync($"SELECT 1 FROM {D.Quote(table)} LIMIT 0", cancellationToken);
            }
            catch (Exception e) when (database.IsDatabaseError(e) && IsLockTimeout(e))
            {
                return;
            }
            await Task.Delay(PollMilliseconds, cancellationToken);
        }
    }

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

    public override IReadOnlyList<string> CutOverPlan(IReadOnlyList<SwapSpec> specs, OnlineSwapOptions options)
    {
        var seconds = LockSeconds(options).ToString(CultureInfo.InvariantCulture);
        var sql = new List<string> { $"-- locker session per table: SET SESSION lock_wait_timeout = {seconds}" };
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
