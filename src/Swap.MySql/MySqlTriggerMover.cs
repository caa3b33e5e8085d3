using System.Data.Common;
using System.Globalization;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.MySql;

/// <summary>
/// Moves a MySQL/MariaDB table's own triggers to the table that replaces it. A trigger belongs to
/// its table and goes with it through <c>RENAME TABLE</c>, and trigger names are unique per
/// schema, so a trigger cannot simply be created on the copy under its own name. The mover:
/// <list type="number">
/// <item>right after the copy is made, creates each trigger on the empty copy under a temporary
/// name and drops it again, so a trigger the new table cannot take (a column the change drops, a
/// definer this account may not name) fails the swap before any row is copied;</item>
/// <item>at the cut-over, under the lockers' locks and after the catch-up (nothing writes the copy
/// any more), creates each trigger on the copy under its temporary name, so the renamed copy fires
/// them for the first application write it takes; an attempt that does not rename drops them again,
/// so the applier never fires them;</item>
/// <item>after the rename, under <c>LOCK TABLES new WRITE, old WRITE</c>, drops each trigger from the
/// old table, creates it on the new table under its own name and drops the temporary one, so no
/// application write sees the table without the trigger or with it twice.</item>
/// </list>
/// Each trigger is recreated from its body, under the sql_mode and definer it was created with,
/// in its original order among the triggers of the same timing and event. The definitions come
/// from the original's schema as the journal recorded it, so a resumed run can finish a move the
/// killed one started. If the process dies inside the last step between creating a trigger and
/// dropping its temporary twin, both fire for writes until the next <c>swap up</c> finishes the move.
/// </summary>
internal sealed class MySqlTriggerMover(MySqlDatabase database)
{
    private static MySqlDialect D => MySqlDialect.Instance;

    /// <summary>The triggers on <paramref name="table"/>, in the order they fire.</summary>
    public static async Task<List<TriggerSchema>> LoadAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync(
            """
            SELECT TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT, SQL_MODE, DEFINER, ACTION_ORDER
            FROM information_schema.TRIGGERS
            WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = @name
            ORDER BY EVENT_MANIPULATION, ACTION_TIMING, ACTION_ORDER
            """,
            new { name = table },
            transaction,
            cancellationToken);
        return rows.Select(r =>
        {
            var trigger = new TriggerSchema(r.String("TRIGGER_NAME")!, "", r.String("ACTION_TIMING"), r.String("EVENT_MANIPULATION"))
            {
                Body = r.String("ACTION_STATEMENT"),
                SqlMode = r.String("SQL_MODE"),
                Definer = r.String("DEFINER"),
                Order = (int)(r.Int64("ACTION_ORDER") ?? 0),
            };
            return trigger with { Definition = Create(trigger, trigger.Name, table) };
        }).ToList();
    }

    /// <summary>The table's own triggers (not Swap's capture), in the order they fire.</summary>
    public static IReadOnlyList<TriggerSchema> Own(TableSchema table) =>
        table.Triggers.Where(t => !SwapNames.IsSwapName(t.Name) && t.Body is not null)
            .OrderBy(t => t.Event, StringComparer.Ordinal).ThenBy(t => t.Timing, StringComparer.Ordinal).ThenBy(t => t.Order)
            .ToList();

    /// <summary><c>CREATE TRIGGER</c> for <paramref name="trigger"/> under <paramref name="name"/> on <paramref name="table"/>.</summary>
    public static string Create(TriggerSchema trigger, string name, string table) =>
        $"CREATE {Definer(trigger.Definer)}TRIGGER {D.Quote(name)} {trigger.Timing} {trigger.Event} ON {D.Quote(table)} FOR EACH ROW {trigger.Body}";

    private static string Definer(string? definer)
    {
        if (string.IsNullOrEmpty(definer))
            return "";
        var at = definer.LastIndexOf('@');
        return at < 0
            ? $"DEFINER = {Literal(definer)} "
            : $"DEFINER = {Literal(definer[..at])}@{Literal(definer[(at + 1)..])} ";
    }

    private static string Literal(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Creates and drops each trigger on the empty copy: what the new table cannot take fails now, before any row is copied.</summary>
    public async Task CheckOnCopyAsync(DbConnection connection, TableSchema original, SwapNames names, CancellationToken cancellationToken)
    {
        foreach (var trigger in Own(original))
        {
            var name = names.UserTrigger(trigger.Name);
            try
            {
                await connection.ExecuteAsync($"DROP TRIGGER IF EXISTS {D.Quote(name)}", cancellationToken);
                await CreateAsync(connection, trigger, name, names.Copy, cancellationToken);
                await connection.ExecuteAsync($"DROP TRIGGER {D.Quote(name)}", cancellationToken);
            }
            catch (Exception e) when (database.IsDatabaseError(e))
            {
                await connection.ExecuteAsync($"DROP TABLE IF EXISTS {D.Quote(names.Copy)}", cancellationToken);
                // 1227: the trigger's definer is another user, and only SUPER or SET USER (MySQL: SET_USER_ID, from 8.2 SET_ANY_DEFINER) may create a trigger for another definer.
                var advice = e is MySqlConnector.MySqlException { ErrorCode: MySqlConnector.MySqlErrorCode.SpecifiedAccessDeniedError }
                    ? $"The trigger's definer is {trigger.Definer}, and creating a trigger for another user needs a privilege the connected user lacks: " +
                      "GRANT SET USER ON *.* TO the user Swap connects as (MariaDB; on MySQL 8.2 and later, 8.4 included, GRANT SET_ANY_DEFINER ON *.*; on MySQL 8.0 and 8.1, GRANT SET_USER_ID ON *.*), or recreate the trigger with that user as its definer; nothing was changed."
                    : "Swap moves a table's triggers to the new table at the cut-over. Change or drop the trigger first (for example with plain SQL in an earlier migration), or keep the columns it uses; nothing was changed.";
                throw new SwapException(
                    SwapErrorKind.Refused,
                    $"Swap cannot change '{original.Name}' on MySQL/MariaDB: its trigger '{trigger.Name}' cannot be recreated on the new table ({e.Message}). " + advice,
                    e);
            }
        }
    }

    /// <summary>At the cut-over, after the catch-up: each copy gets the original's triggers under their temporary names.</summary>
    public async Task AddToCopiesAsync(DbConnection connection, IReadOnlyList<SwapSpec> specs, CancellationToken cancellationToken)
    {
        foreach (var spec in specs)
        {
            foreach (var trigger in Own(spec.Original))
                await CreateAsync(connection, trigger, spec.Names.UserTrigger(trigger.Name), spec.Names.Copy, cancellationToken);
        }
    }

    /// <summary>
    /// Drops the temporary triggers from the copies: after a cut-over attempt that did not rename,
    /// and on resume (a killed attempt may have left them), so the applier's writes never fire them.
    /// </summary>
    /// <remarks>
    /// Only triggers the catalog shows on the copy itself are dropped: trigger names are unique per
    /// schema, and if the rename did happen the same name now belongs to the swapped table.
    /// </remarks>
    public async Task RemoveFromCopiesAsync(DbConnection connection, IReadOnlyList<SwapSpec> specs, CancellationToken cancellationToken)
    {
        foreach (var spec in specs)
        {
            foreach (var trigger in await LoadAsync(connection, null, spec.Names.Copy, cancellationToken))
            {
                if (trigger.Name.StartsWith(spec.Names.UserTriggerPrefix, StringComparison.Ordinal) && SwapNames.IsSwapName(trigger.Name))
                    await connection.ExecuteAsync($"DROP TRIGGER IF EXISTS {D.Quote(trigger.Name)}", cancellationToken);
            }
        }
    }

    /// <summary>
    /// After the rename: each trigger leaves the old table and takes its own name on the swapped
    /// table, replacing its temporary twin, all under one short write lock on both tables (bounded
    /// by the cut-over's lock wait and retried like it).
    /// </summary>
    public async Task RestoreNamesAsync(DbConnection connection, SwapSpec spec, OnlineSwapOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var own = Own(spec.Original);
        if (own.Count == 0)
            return;
        var saved = await connection.ScalarAsync("SELECT @@SESSION.lock_wait_timeout", cancellationToken);
        var seconds = (int)Math.Max(1, Math.Ceiling(options.CutOverLockTimeout.TotalSeconds));
        await connection.ExecuteAsync($"SET SESSION lock_wait_timeout = {seconds.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await connection.ExecuteAsync($"LOCK TABLES {D.Quote(spec.Original.Name)} WRITE, {D.Quote(spec.Names.Old)} WRITE", cancellationToken);
                    foreach (var trigger in own)
                    {
                        await connection.ExecuteAsync($"DROP TRIGGER IF EXISTS {D.Quote(trigger.Name)}", cancellationToken);
                        await CreateAsync(connection, trigger, trigger.Name, spec.Original.Name, cancellationToken);
                        await connection.ExecuteAsync($"DROP TRIGGER IF EXISTS {D.Quote(spec.Names.UserTrigger(trigger.Name))}", cancellationToken);
                    }
                    return;
                }
                catch (Exception e) when (database.IsLockTimeout(e) && attempt < options.CutOverRetries)
                {
                    await Task.Delay(options.CutOverRetryDelay, time, cancellationToken);
                }
                finally
                {
                    await connection.ExecuteAsync("UNLOCK TABLES", CancellationToken.None);
                }
            }
        }
        finally
        {
            await connection.ExecuteAsync($"SET SESSION lock_wait_timeout = {System.Convert.ToString(saved, CultureInfo.InvariantCulture)}", CancellationToken.None);
        }
    }

    /// <summary>Creates one trigger under the sql_mode it was made with, then gives the session its own back.</summary>
    private static async Task CreateAsync(DbConnection connection, TriggerSchema trigger, string name, string table, CancellationToken cancellationToken)
    {
        var saved = await connection.ScalarAsync("SELECT @@SESSION.sql_mode", cancellationToken);
        await connection.ExecuteAsync("SET SESSION sql_mode = @mode", new { mode = trigger.SqlMode ?? saved }, null, cancellationToken);
        try
        {
            await connection.ExecuteAsync(Create(trigger, name, table), cancellationToken);
        }
        finally
        {
            await connection.ExecuteAsync("SET SESSION sql_mode = @mode", new { mode = saved }, null, CancellationToken.None);
        }
    }
}
