using System.Data.Common;
using Swap.Callbacks;
using Swap.Running;

namespace Swap;

public sealed partial class Migrator
{
    /// <summary>
    /// Runs the once-per-run callbacks of <paramref name="e"/> (beforeMigrate, afterMigrate) in one
    /// transaction of their own. A failure rolls them back and stops the run (exit 1).
    /// </summary>
    private async Task RunCallbacksAsync(RunContext run, DbConnection connection, CallbackEvent e)
    {
        if (!Catalog.Callbacks.Has(e))
            return;
        var script = CallbackSet.RunScript(e);
        Log.CallbackRunning(logger, script.Id, string.Join(", ", Catalog.Callbacks.Sql.Where(c => c.Key == e).Select(c => Path.GetFileName(c.Value.Path)).Concat(Catalog.Callbacks.Types.Select(t => t.Name))));
        var session = new ScriptSession(run, script, "swap:" + script.Id, connection, ExecutionMode.Transactional);
        await session.BeginAsync();
        try
        {
            await CallbackRunner.RunAsync(new MigrationContext(session), session, e);
            await session.CommitAsync();
        }
        catch (Exception ex) when (ex is SwapException or DbException)
        {
            await session.RollbackAsync();
            var what = e == CallbackEvent.BeforeMigrate ? "before any script ran" : "after the scripts above were applied (they stay applied)";
            throw new SwapException(SwapErrorKind.Failure, $"The {script.Id} callback failed, so the run stopped {what}: {(ex is SwapException ? ex.Message : database.Translate(ex, script.Id).Message)}", ex);
        }
        catch
        {
            await session.RollbackAsync();
            throw;
        }
    }

    /// <summary>What the once-per-run callbacks would do, for <c>plan</c>.</summary>
    private async Task<ScriptPlan?> PlanCallbacksAsync(RunContext run, DbConnection connection, CallbackEvent e)
    {
        if (!Catalog.Callbacks.Has(e))
            return null;
        var script = CallbackSet.RunScript(e);
        var session = new ScriptSession(run, script, "swap:" + script.Id, connection, ExecutionMode.DryRun);
        await session.BeginAsync();
        try
        {
            await CallbackRunner.RunAsync(new MigrationContext(session), session, e);
            // A C# callback class that implements only the each-script methods sends nothing here: no empty entry.
            return session.Plan.Count == 0 ? null : new ScriptPlan(script.Id, "callback", "one transaction", session.Plan, null);
        }
        catch (Exception ex) when (ex is SwapException or DbException)
        {
            return new ScriptPlan(script.Id, "callback", "one transaction", [], ex.Message);
        }
        finally
        {
            await session.RollbackAsync();
        }
    }
}
