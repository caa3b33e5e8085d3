using Swap.Data;
using Swap.History;

namespace Swap;

public sealed partial class Migrator
{
    /// <summary>
    /// Removes history rows whose scripts are gone. Runs no script. With <paramref name="dryRun"/>, only lists them.
    /// When every recorded script is gone (more likely the wrong migrations folder than deleted
    /// scripts), it refuses (<see cref="SwapErrorKind.Refused"/>) unless <paramref name="all"/> is set.
    /// </summary>
    public async Task<SyncResult> SyncAsync(bool dryRun = false, bool all = false, CancellationToken cancellationToken = default)
    {
        await using var runLock = await LockAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        var newToSwap = await NewToSwapAsync(connection, cancellationToken);
        try
        {
            var recorded = await history.ReadAsync(connection, cancellationToken);
            var gone = recorded.Where(h => Catalog.Find(h.ScriptId) is null).Select(h => h.ScriptId).ToList();
            if (!dryRun && !all && gone.Count > 0 && gone.Count == recorded.Count)
            {
                throw new SwapException(
                    SwapErrorKind.Refused,
                    $"Every recorded script ({gone.Count}) is missing from the migrations, which usually means the wrong migrations folder, not deleted scripts; nothing was removed. Check --migrations (or run swap from the folder that holds them), or pass --all to remove all {gone.Count} history row(s).");
            }
            if (!dryRun && gone.Count > 0)
            {
                await using var tx = await database.BeginTransactionAsync(connection, cancellationToken);
                foreach (var id in gone)
                {
                    await history.DeleteAsync(connection, tx, id, cancellationToken);
                    await connection.ExecuteAsync($"DELETE FROM {database.Dialect.Quote(options.Tables.Journal)} WHERE script_id = @id OR script_id = @down OR script_id = @methods", new { id, down = id + "@down", methods = Instant.ChangeMethodRecords.Key(id) }, tx, cancellationToken);
                    Log.HistorySynced(logger, id);
                }
                await tx.CommitAsync(cancellationToken);
            }
            return new SyncResult(gone, dryRun);
        }
        finally
        {
            if (newToSwap)
                await DropUnusedTablesAsync(runLock, quiet: true);
        }
    }

    /// <summary>
    /// Checks the migrations against the history without changing anything: applied scripts that
    /// changed, recorded scripts whose files are gone, and pending scripts that sort before the
    /// newest applied one (they would run out of order).
    /// </summary>
    public async Task<ValidationReport> ValidateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var recorded = await history.ReadAsync(connection, cancellationToken);
        var states = Compare(Catalog.Scripts, recorded, [], lockHeld: false);
        var problems = new List<ValidationProblem>();
        foreach (var s in states)
        {
            if (s.Status == ScriptStatus.Changed)
                problems.Add(new ValidationProblem(s.Id, "changed", $"{s.Id} ({s.Script!.Source}) {s.Note}"));
            else if (s.Status == ScriptStatus.Missing)
                problems.Add(new ValidationProblem(s.Id, "missing", $"{s.Id} is in the history but no migrations folder or assembly has it"));
        }
        var lastApplied = states.FindLastIndex(s => s.Script is not null && s.Status is ScriptStatus.Applied or ScriptStatus.Changed);
        for (var i = 0; i < lastApplied; i++)
        {
            if (states[i].Status != ScriptStatus.Pending)
                continue;
            // The first applied script it sorts before says where it belongs; the count says how far back that is.
            var later = states.Skip(i + 1).Where(s => s.Script is not null && s.Status is ScriptStatus.Applied or ScriptStatus.Changed).ToList();
            var more = later.Count > 1 ? $" (and {later.Count - 1} more applied after it)" : "";
            problems.Add(new ValidationProblem(states[i].Id, "out-of-order", $"{states[i].Id} is pending but sorts before {later[0].Id}, which is applied{more}; it would run out of order"));
        }
        var warnings = new List<string>();
        foreach (var s in states.Where(s => s.Script is not null && s.Status == ScriptStatus.Pending))
            warnings.AddRange(await OnlineSql.DdlLinter.WarningsAsync(database, connection, s.Script!, options.LargeTableRows, cancellationToken));
        return new ValidationReport(problems) { Warnings = warnings };
    }
}
