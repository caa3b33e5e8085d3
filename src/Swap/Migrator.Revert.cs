using System.Data.Common;
using System.Globalization;
using Swap.Data;
using Swap.Discovery;
using Swap.Engine;
using Swap.Engine.Revert;
using Swap.Engine.Schema;
using Swap.History;
using Swap.Running;

namespace Swap;

public sealed partial class Migrator
{
    private RevertWindowStore Windows => new(database, options.Tables);

    /// <summary>
    /// Takes back the swaps of <paramref name="scriptId"/> whose revert window is open: applies the
    /// reverse change log, swaps the old tables back under the bounded cut-over (all tables of a
    /// swap together), drops the swapped-in tables and the reverse capture, and records the script
    /// as not applied (pending again). A revert killed anywhere resumes with the same call.
    /// Refuses (<see cref="SwapErrorKind.Usage"/>) when the script has no open window.
    /// </summary>
    public async Task<RevertResult> RevertAsync(string scriptId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scriptId);
        var started = options.TimeProvider.GetTimestamp();
        // No script runs: the migrations are not loaded (nor compiled).
        var run = new RunContext(database, options.Tables, options, options.TimeProvider, logger, cancellationToken) { OnProgress = ReportProgress };
        await using var runLock = await LockAsync(cancellationToken);
        run = run with { RunLockHeld = runLock.StillHeldAsync };
        await using var connection = await OpenAsync(cancellationToken);
        var newToSwap = await NewToSwapAsync(connection, cancellationToken);
        try
        {
            await RefuseUnknownScriptAsync(connection, scriptId, cancellationToken);
            await CloseExpiredWindowsAsync(run, connection);
            var windows = await Windows.ReadAsync(connection, null, scriptId, cancellationToken);
            if (windows.Count == 0)
                throw NoWindow(scriptId, await ReadWindowsAsync(connection, cancellationToken));
            await RevertWindowsAsync(run, connection, scriptId, windows);
            return new RevertResult(scriptId, windows.SelectMany(w => w.TableNames).ToList(), options.TimeProvider.GetElapsedTime(started));
        }
        finally
        {
            if (newToSwap)
                await DropUnusedTablesAsync(runLock, quiet: true);
        }
    }

    /// <summary>
    /// Ends the revert windows of <paramref name="scriptId"/>, keeping the change: drops the old
    /// tables and the reverse capture. Refuses a script whose revert was interrupted (finish that
    /// with <see cref="RevertAsync"/>).
    /// </summary>
    public async Task<FinishResult> FinishAsync(string scriptId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scriptId);
        var run = new RunContext(database, options.Tables, options, options.TimeProvider, logger, cancellationToken);
        await using var runLock = await LockAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        var newToSwap = await NewToSwapAsync(connection, cancellationToken);
        try
        {
            await RefuseUnknownScriptAsync(connection, scriptId, cancellationToken);
            var closed = await CloseExpiredWindowsAsync(run, connection);
            var windows = await Windows.ReadAsync(connection, null, scriptId, cancellationToken);
            if (windows.Count == 0)
            {
                if (closed.Any(c => c.ScriptId == scriptId))
                    return new FinishResult(closed);
                throw NoWindow(scriptId, await ReadWindowsAsync(connection, cancellationToken));
            }
            await FinishWindowsAsync(connection, scriptId, windows, "finished", cancellationToken);
            return new FinishResult([.. closed, (scriptId, windows.SelectMany(w => w.TableNames).ToList(), "finished")]);
        }
        finally
        {
            if (newToSwap)
                await DropUnusedTablesAsync(runLock, quiet: true);
        }
    }

    /// <summary>Reverts every window of a script, newest swap first, then records the script pending again.</summary>
    private async Task RevertWindowsAsync(RunContext run, DbConnection connection, string scriptId, IReadOnlyList<RevertWindow> windows)
    {
        var store = Windows;
        foreach (var window in windows.OrderByDescending(w => w.Seq))
            await new RevertOperation(run, connection, store, window).RunAsync();
        await using var tx = await database.BeginTransactionAsync(connection, run.CancellationToken);
        await history.DeleteAsync(connection, tx, scriptId, run.CancellationToken);
        await store.DeleteAsync(connection, tx, scriptId, run.CancellationToken);
        await new Journal.JournalStore(database, options.Tables).DeleteAsync(connection, tx, Instant.ChangeMethodRecords.Key(scriptId), run.CancellationToken);
        await tx.CommitAsync(run.CancellationToken);
        FaultPoints.Hit("revert:recorded");
    }

    /// <summary>Drops the old tables and reverse capture of a script's windows, then forgets them. Safe to run again.</summary>
    private async Task FinishWindowsAsync(DbConnection connection, string scriptId, IReadOnlyList<RevertWindow> windows, string why, CancellationToken cancellationToken)
    {
        if (windows.FirstOrDefault(w => w.Stage != RevertStage.Open) is { } reverting)
        {
            throw new SwapException(
                SwapErrorKind.Refused,
                $"The revert of {scriptId} ({string.Join(", ", reverting.TableNames)}) was interrupted after stage '{RevertWindow.Name(reverting.Stage)}'; the window cannot be finished now. Run 'swap revert {scriptId}' to complete the revert.")
            { ScriptId = scriptId };
        }
        var engine = database.TableEngine;
        foreach (var window in windows)
        {
            foreach (var table in window.Tables)
            {
                var original = SchemaJson.Read(table.Original);
                var spec = new SwapSpec
                {
                    Original = original,
                    Copy = original,
                    Names = SwapNames.Reverse(table.Table, database.Dialect.MaxIdentifierLength),
                    Key = [],
                    CopyKey = [],
                    Mapping = [],
                    Revert = true,
                };
                var forward = spec with { Names = SwapNames.For(table.Table, database.Dialect.MaxIdentifierLength), Revert = false };
                try
                {
                    foreach (var sql in engine.RemoveCapture(spec).Concat(engine.DropOld(forward)))
                        await connection.ExecuteAsync(sql, cancellationToken);
                }
                catch (Exception e) when (database.IsDatabaseError(e))
                {
                    throw database.Translate(e, $"{scriptId}: close the revert window of {table.Table}");
                }
            }
        }
        await Windows.DeleteAsync(connection, null, scriptId, cancellationToken);
        RevertLog.WindowClosed(logger, scriptId, string.Join(", ", windows.SelectMany(w => w.TableNames)), why);
    }

    /// <summary>
    /// Closes every open window whose time is up (any command that takes the run lock asks first):
    /// the change is kept, the old tables and the reverse capture are dropped. A dry run only lists them.
    /// </summary>
    private async Task<List<(string ScriptId, IReadOnlyList<string> Tables, string Why)>> CloseExpiredWindowsAsync(RunContext run, DbConnection connection, bool dryRun = false)
    {
        var closed = new List<(string, IReadOnlyList<string>, string)>();
        var now = options.TimeProvider.GetUtcNow().UtcDateTime;
        var expired = (await Windows.ReadAllAsync(connection, run.CancellationToken))
            .Where(w => w.Stage == RevertStage.Open && w.ExpiresUtc <= now)
            .GroupBy(w => w.ScriptId, StringComparer.Ordinal);
        foreach (var script in expired)
        {
            var all = await Windows.ReadAsync(connection, null, script.Key, run.CancellationToken);
            if (all.Any(w => w.Stage != RevertStage.Open))
                continue;
            var why = $"its window ended at {all.Max(w => w.ExpiresUtc).ToString("u", CultureInfo.InvariantCulture)}";
            if (!dryRun)
                await FinishWindowsAsync(connection, script.Key, all, why, run.CancellationToken);
            closed.Add((script.Key, all.SelectMany(w => w.TableNames).ToList(), why));
        }
        return closed;
    }

    /// <summary>The open windows with their age and backlog, for <c>status</c>.</summary>
    private async Task<IReadOnlyList<RevertWindowReport>> ReadWindowsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var reports = new List<RevertWindowReport>();
        var now = options.TimeProvider.GetUtcNow().UtcDateTime;
        foreach (var group in (await Windows.ReadAllAsync(connection, cancellationToken)).GroupBy(w => w.ScriptId, StringComparer.Ordinal))
        {
            var windows = group.ToList();
            var opened = windows.Min(w => w.OpenedUtc);
            var expires = windows.Max(w => w.ExpiresUtc);
            var reverting = windows.FirstOrDefault(w => w.Stage != RevertStage.Open);
            long? backlog = 0;
            foreach (var table in windows.SelectMany(w => w.TableNames))
            {
                var log = SwapNames.Reverse(table, database.Dialect.MaxIdentifierLength).Log;
                if (backlog is null || !await database.TableExistsAsync(connection, log, cancellationToken))
                {
                    backlog = reverting is null ? null : backlog;
                    continue;
                }
                backlog += await ChangeLogSize.RowsAsync(connection, database.Dialect.Quote, log, cancellationToken);
            }
            var expired = reverting is null && expires <= now;
            var command = reverting is not null
                ? $"swap revert {group.Key} (an interrupted revert, stopped after stage '{RevertWindow.Name(reverting.Stage)}')"
                : expired
                    ? $"expired: the next 'swap up', 'down', 'revert', 'finish' or 'cleanup' closes it (or 'swap finish {group.Key}' now)"
                    : $"swap finish {group.Key} (keep the change) or swap revert {group.Key} (take it back)";
            reports.Add(new RevertWindowReport(group.Key, windows.SelectMany(w => w.TableNames).ToList(), opened, expires, now - opened, backlog, RevertWindow.Name(reverting?.Stage ?? RevertStage.Open), expired, command));
        }
        return reports;
    }

    /// <summary>
    /// Refuses an id that is no script at all (a typo), before anything is done (not even closing
    /// expired windows): neither the history nor the migrations know it. A known script without a
    /// window gets <see cref="NoWindow"/> instead.
    /// </summary>
    private async Task RefuseUnknownScriptAsync(DbConnection connection, string scriptId, CancellationToken cancellationToken)
    {
        if ((await Windows.ReadAsync(connection, null, scriptId, cancellationToken)).Count > 0)
            return;
        var known = (await history.ReadAsync(connection, cancellationToken)).Select(e => e.ScriptId).ToList();
        MigrationCatalog? scripts;
        try
        {
            scripts = Catalog;
        }
        // Reverting needs no migrations: a folder that cannot be loaded leaves the history to say which ids exist.
        catch (SwapException)
        {
            scripts = null;
        }
        if (known.Contains(scriptId, StringComparer.Ordinal) || scripts?.Find(scriptId) is not null)
            return;
        known.AddRange(scripts?.Scripts.Select(s => s.Id) ?? []);
        var meant = known.FirstOrDefault(id => string.Equals(id, scriptId, StringComparison.OrdinalIgnoreCase));
        var open = await ReadWindowsAsync(connection, cancellationToken);
        throw new SwapException(
            SwapErrorKind.Usage,
            $"'{scriptId}' is not a known script id: neither the migrations nor the history have it" +
            (meant is null ? "" : $" (did you mean '{meant}'? ids are compared with their letter case)") + ". " +
            (open.Count == 0 ? "No script has an open revert window" : $"Scripts with an open revert window: {string.Join(", ", open.Select(w => w.ScriptId))}") +
            "; 'swap status' lists the scripts and their windows. Nothing was changed.");
    }

    private static SwapException NoWindow(string scriptId, IReadOnlyList<RevertWindowReport> open) => new(
        SwapErrorKind.Usage,
        $"{scriptId} has no open revert window" +
        (open.Count == 0 ? " (no script has one)" : $" (open windows: {string.Join(", ", open.Select(w => w.ScriptId))})") +
        ". A window is kept only for swaps run with 'up --revert-window <duration>' (or a script's revert window), until 'swap finish' or its end; 'swap down' reverts a script through its down.")
    { ScriptId = scriptId };
}
