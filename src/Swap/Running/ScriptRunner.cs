using System.Data.Common;
using Swap.Callbacks;
using Swap.Discovery;
using Swap.History;

namespace Swap.Running;

/// <summary>Runs one script, up or down, in the mode its engine and options call for.</summary>
internal static class ScriptRunner
{
    public static string JournalKey(MigrationScript script, Direction direction) => JournalKey(script.Id, direction);

    /// <summary>The journal key of a run of the script: its id going up, <c>Id@down</c> going down.</summary>
    public static string JournalKey(string scriptId, Direction direction) =>
        direction == Direction.Up ? scriptId : scriptId + Journal.JournalCleanup.DownSuffix;

    public static ExecutionMode ModeFor(RunContext run, MigrationScript script) =>
        run.Database.TransactionalDdl && script.Transactional ? ExecutionMode.Transactional : ExecutionMode.Journaled;

    /// <summary>
    /// Runs the script body, then records the outcome in the same transaction as the last of its
    /// work where the engine allows: <paramref name="onSuccess"/> gets that transaction.
    /// </summary>
    public static async Task<Resumption?> RunAsync(RunContext run, MigrationScript script, Direction direction, DbConnection connection, Func<ScriptSession, DbTransaction?, Task> onSuccess)
    {
        var session = new ScriptSession(run, script, JournalKey(script, direction), connection, ModeFor(run, script), direction);
        await session.BeginAsync();
        // Said after BeginAsync: only the journal tells whether this run resumes step by step.
        if (direction == Direction.Up)
        {
            Log.ScriptStarting(run.Logger, script.Id, script.Kind == ScriptKind.Sql ? "sql" : "c#", session.Mode == ExecutionMode.Transactional ? "one transaction" : "journaled steps");
            run.Listener?.ScriptStarted(script.Id, script.Kind, session.Mode);
        }
        if (session.Resumed is { } resumed)
            Log.ScriptResuming(run.Logger, script.Id, resumed.DoneSteps, resumed.InterruptedOp ?? "none");
        try
        {
            await RunBodyAsync(session, direction);
            session.CheckTablesFinished();
            session.CheckReplayComplete();
            if (session.Transaction is not null)
            {
                await onSuccess(session, session.Transaction);
                await session.CommitAsync();
            }
            else
            {
                await using var tx = await run.Database.BeginTransactionAsync(connection, run.CancellationToken);
                await onSuccess(session, tx);
                await tx.CommitAsync(run.CancellationToken);
            }
            return session.Resumed;
        }
        catch
        {
            await session.RollbackAsync();
            throw;
        }
    }

    /// <summary>Records what the script would do, without writing anything.</summary>
    public static async Task<ScriptDryRun> PlanAsync(RunContext run, MigrationScript script, DbConnection connection)
    {
        var session = new ScriptSession(run, script, JournalKey(script, Direction.Up), connection, ExecutionMode.DryRun);
        await session.BeginAsync();
        try
        {
            await RunBodyAsync(session, Direction.Up);
            session.CheckTablesFinished();
            return new ScriptDryRun(session.Plan, session.Tables.Values.Any(t => t.Online), session.Promised);
        }
        finally
        {
            await session.RollbackAsync();
        }
    }

    private static async Task RunBodyAsync(ScriptSession session, Direction direction)
    {
        if (direction == Direction.Up && session.Script.Sql is { HasUpStatements: false } empty)
            throw empty.EmptyUpError(session.Script.Id);
        var context = new MigrationContext(session);
        // Each-script callbacks are part of the script: in its transaction or journal, failing it when they fail.
        if (direction == Direction.Up)
            await CallbackRunner.RunAsync(context, session, CallbackEvent.BeforeEach);
        await RunScriptAsync(session, context, direction);
        if (direction == Direction.Up)
            await CallbackRunner.RunAsync(context, session, CallbackEvent.AfterEach);
    }

    private static async Task RunScriptAsync(ScriptSession session, MigrationContext context, Direction direction)
    {
        var script = session.Script;
        if (script.Kind == ScriptKind.Sql)
        {
            var syntax = session.Database.Dialect.Syntax;
            var raw = direction == Direction.Up ? script.Sql!.UpStatements(syntax) : script.Sql!.DownStatements(syntax);
            var file = direction == Direction.Up ? script.Sql.Path : script.Sql.DownPath ?? script.Sql.Path;
            var flyway = raw.Any(s => Placeholders.UsesFlyway(s.Text))
                ? await Placeholders.FlywayValuesAsync(session.Database, session.Connection, session.Transaction, file, session.Run.Time, session.Run.CancellationToken)
                : null;
            var statements = raw.Select(s => s with { Text = Placeholders.Apply(s.Text, session.Run.Placeholders, flyway) }).ToList();
            if (script.Sql.Online)
            {
                await context.RunOnlineSqlAsync(statements, file);
                return;
            }
            foreach (var statement in statements)
                await context.ExecuteStatementAsync(statement.Text, null, $"{Path.GetFileName(file)}({statement.Line}): {MigrationContext.Shorten(statement.Text)}");
            return;
        }
        var migration = script.Factory!();
        try
        {
            await (direction == Direction.Up ? migration.UpAsync(context) : migration.DownAsync(context));
        }
        // An error of the table API (GetColumn("nope"), a change Swap refuses) names the script it
        // came from, as the engine's own errors do: the message may be all a deploy log keeps.
        catch (SwapException e) when (e.ScriptId is null && e.GetType() == typeof(SwapException))
        {
            var message = e.Message.StartsWith(script.Id + ":", StringComparison.Ordinal) ? e.Message : $"{script.Id}: {e.Message}";
            throw new SwapException(e.Kind, message, e)
            {
                ScriptId = script.Id,
                ServerCode = e.ServerCode,
                SqlState = e.SqlState,
                IsTransient = e.IsTransient,
            };
        }
        // Swap's own control flow passes through the script untouched: a spent time budget stops the
        // run cleanly, as it does for a SQL script, and an interrupted cut-over is handled by the runner.
        catch (Exception e) when (e is not SwapException and not OperationCanceledException and not BudgetSpentException and not Engine.CutOverInterruptedException && !session.Database.IsDatabaseError(e))
        {
            throw new SwapException(SwapErrorKind.Failure, $"{script.Id} threw {e.GetType().Name}: {e.Message}", e) { ScriptId = script.Id };
        }
    }

    /// <summary>Marks the script applied and drops its journal, in the given transaction.</summary>
    public static Func<ScriptSession, DbTransaction?, Task> MarkApplied(HistoryStore history, RunContext run, long startedTimestamp) =>
        async (session, tx) =>
        {
            var elapsed = run.Time.GetElapsedTime(startedTimestamp);
            await history.MarkAppliedAsync(session.Connection, tx, session.Script.Id, run.Time.GetUtcNow().UtcDateTime, (long)elapsed.TotalMilliseconds, run.CancellationToken);
            await session.DeleteJournalAsync(tx);
        };

    /// <summary>Deletes the script's history row and journal, in the given transaction.</summary>
    public static Func<ScriptSession, DbTransaction?, Task> MarkReverted(HistoryStore history, RunContext run) =>
        async (session, tx) =>
        {
            await history.DeleteAsync(session.Connection, tx, session.Script.Id, run.CancellationToken);
            await session.DeleteJournalAsync(tx);
            await new Journal.JournalStore(run.Database, run.Tables).DeleteAsync(session.Connection, tx, Instant.ChangeMethodRecords.Key(session.Script.Id), run.CancellationToken);
        };
}
