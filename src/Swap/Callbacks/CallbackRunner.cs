using System.Data.Common;
using Swap.Discovery;
using Swap.Running;

namespace Swap.Callbacks;

/// <summary>Runs the callbacks of one event through a script's context, so their statements are steps of that script (or of the run's callback transaction).</summary>
internal static class CallbackRunner
{
    /// <summary>The parameter SQL callbacks may use for the id of the script they run around.</summary>
    public const string ScriptIdParameter = "script_id";

    public static async Task RunAsync(MigrationContext db, ScriptSession session, CallbackEvent e)
    {
        var set = session.Run.Callbacks;
        if (set.Sql.TryGetValue(e, out var sql))
        {
            var file = Path.GetFileName(sql.Path);
            var flyway = Placeholders.UsesFlyway(sql.Text)
                ? await Placeholders.FlywayValuesAsync(session.Database, session.Connection, session.Transaction, sql.Path, session.Run.Time, session.Run.CancellationToken)
                : null;
            foreach (var statement in SqlSplitter.Split(sql.Text, session.Database.Dialect.Syntax, sql.Path))
            {
                var text = Placeholders.Apply(statement.Text, session.Run.Placeholders, flyway);
                // The script's id is a value: bound as a parameter where the callback asks for it, never spliced in.
                var parameters = text.Contains("@" + ScriptIdParameter, StringComparison.OrdinalIgnoreCase)
                    ? new Dictionary<string, object?> { [ScriptIdParameter] = db.ScriptId }
                    : null;
                await db.ExecuteStatementAsync(text, parameters, $"{file}({statement.Line}): {MigrationContext.Shorten(text)}");
            }
        }
        foreach (var type in set.Types)
        {
            var callback = (IMigrationCallback)Activator.CreateInstance(type)!;
            try
            {
                await (e switch
                {
                    CallbackEvent.BeforeMigrate => callback.BeforeMigrateAsync(db),
                    CallbackEvent.BeforeEach => callback.BeforeEachAsync(db),
                    CallbackEvent.AfterEach => callback.AfterEachAsync(db),
                    _ => callback.AfterMigrateAsync(db),
                });
            }
            catch (Exception ex) when (ex is not SwapException and not OperationCanceledException and not DbException)
            {
                throw new SwapException(SwapErrorKind.Failure, $"{db.ScriptId}: the {e} callback {type.Name} threw {ex.GetType().Name}: {ex.Message}", ex) { ScriptId = db.ScriptId };
            }
        }
    }
}
