using Swap.Callbacks;
using Swap.History;
using Swap.Running;

namespace Swap;

public sealed partial class Migrator
{
    /// <summary>
    /// What <c>up</c> would do, script by script, with the SQL it would send where that is known in
    /// advance. Runs C# scripts against a read-only transaction that records their writes; changes
    /// nothing and creates no table.
    /// </summary>
    public async Task<PlanReport> PlanAsync(UpOptions? up = null, CancellationToken cancellationToken = default)
    {
        up ??= new UpOptions();
        if (up.To is not null)
            Catalog.Require(up.To, "--to");
        Placeholders.Check(Catalog, new Dictionary<string, string>(options.Placeholders, StringComparer.Ordinal));
        var run = Context(cancellationToken);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var recorded = (await history.ReadAsync(connection, cancellationToken)).ToDictionary(h => h.ScriptId, StringComparer.Ordinal);
        await RefuseUnadoptedFlywayAsync(connection, recorded.Count, cancellationToken);
        var pending = SelectTagged(Catalog.Scripts.Where(s => !recorded.TryGetValue(s.Id, out var h) || h.Status != HistoryStatus.Applied).ToList(), up.Tags, recorded);
        pending = UpTo(pending, up.To, up.Tags);
        if (up.Steps is { } maxSteps)
            pending = pending.Take(maxSteps).ToList();

        var plans = new List<ScriptPlan>();
        if (pending.Count > 0 && await PlanCallbacksAsync(run, connection, CallbackEvent.BeforeMigrate) is { } before)
            plans.Add(before);
        foreach (var script in pending)
        {
            var mode = ScriptRunner.ModeFor(run, script) == ExecutionMode.Transactional ? "one transaction" : "journaled steps";
            try
            {
                var (steps, online, _) = await ScriptRunner.PlanAsync(run, script, connection);
                var warnings = await OnlineSql.DdlLinter.WarningsAsync(database, connection, script, options.LargeTableRows, cancellationToken);
                plans.Add(new ScriptPlan(script.Id, script.Module, online ? "journaled steps (online swap)" : mode, steps, null) { Warnings = warnings });
            }
            catch (Exception e) when (e is SwapException || database.IsDatabaseError(e))
            {
                // A SQL stub with no statements fails whatever the scripts before it do: up refuses it (exit 6), so plan fails on it too.
                var after = plans.Exists(p => p.Module != "callback") && script.Sql is not { HasUpStatements: false };
                var why = after
                    ? $"it may need changes of the pending scripts before it, which plan does not apply ({e.Message})"
                    : e.Message;
                // How it would run is known only once it is planned: a script that swaps tables runs in journaled steps, not in one transaction.
                plans.Add(new ScriptPlan(script.Id, script.Module, "not planned", [], why) { AfterPendingScripts = after });
            }
        }
        if (pending.Count > 0 && await PlanCallbacksAsync(run, connection, CallbackEvent.AfterMigrate) is { } afterMigrate)
            plans.Add(afterMigrate with { AfterPendingScripts = true });
        return new PlanReport(database.DisplayName, plans);
    }
}
