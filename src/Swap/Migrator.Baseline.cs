using System.Data.Common;
using Swap.History;
using Swap.Locking;

namespace Swap;

public sealed partial class Migrator
{
    /// <summary>
    /// Adopts Swap on a database that already has the schema: records every script up to and
    /// including <paramref name="to"/> (in run order) as applied, without running any of them, as
    /// one new batch. Refused before anything is written when the target is unknown (usage), when
    /// the history already has a script after the target, when a script up to it failed or was
    /// interrupted (it must be finished or cleaned up first), or when one it would record is an
    /// unwritten SQL stub (<see cref="SwapErrorKind.InvalidMigration"/>). With <paramref name="dryRun"/>,
    /// only lists them. On a database new to Swap, a refusal or a dry run leaves no Swap table.
    /// </summary>
    public async Task<BaselineResult> BaselineAsync(string to, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(to))
            throw new SwapException(SwapErrorKind.Usage, "baseline needs --to <script id>: the last script the database already has.");
        var scripts = Catalog.Scripts;
        var last = scripts.ToList().IndexOf(Catalog.Require(to, "--to"));

        return await RecordBaselineAsync((connection, ct) => CheckBaselineAsync(connection, scripts, last, to, ct), dryRun, cancellationToken);
    }

    /// <summary>
    /// The steps every baseline shares: under the run lock, <paramref name="check"/> says which
    /// scripts to record (and refuses); a dry run only lists them; on a database new to Swap, a
    /// refusal or a dry run leaves no Swap table, not even the lock's.
    /// </summary>
    private async Task<BaselineResult> RecordBaselineAsync(
        Func<DbConnection, CancellationToken, Task<(Dictionary<string, HistoryEntry> Recorded, List<MigrationScript> ToRecord, int Batch)>> check,
        bool dryRun,
        CancellationToken cancellationToken)
    {
        if (database.ReadsEmptyStandIn)
        {
            throw new SwapException(
                SwapErrorKind.Connection,
                $"{database.DisplayName} does not exist, so there is nothing to baseline: baseline records scripts as applied to a database that already has their schema. Check the path in --db or SWAP_DB; nothing was written.");
        }
        await using var runLock = await LockAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        var newToSwap = !await database.TableExistsAsync(connection, options.Tables.History, cancellationToken);
        List<MigrationScript> toRecord;
        int batch;
        Dictionary<string, HistoryEntry> recorded;
        try
        {
            (recorded, toRecord, batch) = await check(connection, cancellationToken);
        }
        catch (SwapException e) when (newToSwap && IsRefusal(e))
        {
            await DropUnusedTablesAsync(runLock);
            throw;
        }
        if (dryRun || toRecord.Count == 0)
        {
            if (newToSwap)
                await DropUnusedTablesAsync(runLock, quiet: true);
            return new BaselineResult(toRecord.Select(s => s.Id).ToList(), toRecord.Count == 0 ? null : batch, dryRun);
        }

        await RecordBaselineAsync(runLock, connection, recorded, toRecord, batch, cancellationToken);
        return new BaselineResult(toRecord.Select(s => s.Id).ToList(), batch, false);
    }

    /// <summary>Writes the baseline's rows in one transaction, under the run lock.</summary>
    private async Task RecordBaselineAsync(RunLock runLock, DbConnection connection, Dictionary<string, HistoryEntry> recorded, List<MigrationScript> toRecord, int batch, CancellationToken cancellationToken)
    {
        try
        {
            if (await history.EnsureTablesAsync(connection, cancellationToken))
                Log.HistoryCreated(logger, options.Tables.History);
            var order = recorded.Count == 0 ? 0 : recorded.Values.Max(h => h.ApplyOrder);
            var now = UtcNow(options.TimeProvider);
            var by = RunIdentity.User();
            await using var tx = await database.BeginTransactionAsync(connection, cancellationToken);
            foreach (var script in toRecord)
                await history.RecordBaselineAsync(connection, tx, script, batch, ++order, now, by, cancellationToken);
            await EnsureStillLockedAsync(runLock, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        catch (DbException e)
        {
            throw database.Translate(e, "Recording the baseline");
        }
        foreach (var script in toRecord)
            Log.Baselined(logger, script.Id);
    }

    /// <summary>The baseline's refusals (see <see cref="BaselineAsync"/>), read under the run lock; returns what it would record.</summary>
    private async Task<(Dictionary<string, HistoryEntry> Recorded, List<MigrationScript> ToRecord, int Batch)> CheckBaselineAsync(
        DbConnection connection, IReadOnlyList<MigrationScript> scripts, int last, string to, CancellationToken cancellationToken)
    {
        var recorded = (await history.ReadAsync(connection, cancellationToken)).ToDictionary(h => h.ScriptId, StringComparer.Ordinal);
        var later = scripts.Skip(last + 1).Where(s => recorded.ContainsKey(s.Id)).ToList();
        if (later.Count > 0)
        {
            throw new SwapException(
                SwapErrorKind.Refused,
                $"Cannot baseline to {to}: the history already has {later.Count} script(s) after it: {string.Join(", ", later.Select(s => $"{s.Id} ({recorded[s.Id].Status.ToString().ToLowerInvariant()})"))}. " +
                "Baseline is for a database whose history ends before the target; nothing was recorded. Pick the last script this database really has as --to.")
            { ScriptId = later[0].Id };
        }
        var unfinished = scripts.Take(last + 1).Where(s => recorded.TryGetValue(s.Id, out var h) && h.Status != HistoryStatus.Applied).ToList();
        if (unfinished.Count > 0)
        {
            throw new SwapException(
                SwapErrorKind.Refused,
                $"Cannot baseline to {to}: {string.Join(", ", unfinished.Select(s => $"{s.Id} ({recorded[s.Id].Status.ToString().ToLowerInvariant()})"))} started here and did not finish; nothing was recorded. " +
                $"Finish it with 'swap up --to {unfinished[0].Id}', or abandon it with 'swap cleanup --script {unfinished[0].Id}' and 'swap sync', then baseline again.")
            { ScriptId = unfinished[0].Id };
        }

        var toRecord = scripts.Take(last + 1).Where(s => !recorded.ContainsKey(s.Id)).ToList();
        // An unwritten stub has no change the database could already have: recording it applied
        // would hide it from 'up' for good once it is written.
        if (toRecord.FirstOrDefault(s => s.Sql is { HasUpStatements: false }) is { } stub)
        {
            throw new SwapException(
                SwapErrorKind.InvalidMigration,
                $"{stub.Sql!.Path}(1): the SQL migration {stub.Id} has no statements in its up section yet (a stub from 'swap create' holds only comments), so it cannot be recorded as applied: baseline records scripts whose changes this database already has. Write its statements (or delete the file if it is not needed), or baseline --to a script before it; nothing was recorded.")
            { ScriptId = stub.Id };
        }
        var batch = recorded.Count == 0 ? 1 : recorded.Values.Max(h => h.Batch) + 1;
        return (recorded, toRecord, batch);
    }
}
