using System.Text.Json;
using Microsoft.Extensions.Logging;
using Swap.Control;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;
using Swap.Running;

namespace Swap.Instant;

/// <summary>
/// Makes a script's table changes without a copy where the engine can (instant catalog updates,
/// in-place index builds), under the cut-over discipline: each statement waits for its lock at
/// most <c>--cut-over-lock-wait</c>, is retried with backoff up to <c>--cut-over-retries</c>, and
/// the change is one journaled operation, so a crash resumes it. Tables that need a copy (or a
/// script that asks for one) go through the online copy-and-swap instead.
/// </summary>
internal static class InstantChanger
{
    private const string Done = "done";
    private const string FellBack = "copy";

    /// <summary>
    /// What the journal keeps of a finished instant change: the tables the server refused (to be
    /// copied instead; empty when every plan ran) and the schemas before the change, which a
    /// resumed run of the script needs to build the same model again after the table changed.
    /// (Records written before 2026-12-02 hold only "done" or "copy".)
    /// </summary>
    private sealed record Outcome(IReadOnlyList<string> Copy, Dictionary<string, string> Schemas);

    /// <summary>The plan for each table, or null when the tables must be copied (and why, for the log).</summary>
    public static IReadOnlyList<(TableUse Use, ChangePlan Plan)>? Plans(ScriptSession session, IReadOnlyList<TableUse> uses, out string? whyCopy)
    {
        var plans = PlansOfOptions(session, uses, out whyCopy);
        // A change an earlier run started goes on the way it started: the journal holds its step,
        // and this run's --always-copy, --keep-old or --revert-window (given or left out) must not
        // turn a half-done copy into an in-place change, or the reverse.
        switch (session.NextRecordedOp)
        {
            case "swap" when plans is not null:
                whyCopy = "an earlier run of the script started a copy-and-swap of these tables, and it resumes the same way";
                return null;
            case "instant" when plans is null:
                return PlansOfEngine(session, uses, out whyCopy);
            default:
                return plans;
        }
    }

    private static IReadOnlyList<(TableUse Use, ChangePlan Plan)>? PlansOfOptions(ScriptSession session, IReadOnlyList<TableUse> uses, out string? whyCopy)
    {
        whyCopy = null;
        if (session.Run.Options.AlwaysCopy)
        {
            whyCopy = "--always-copy";
            return null;
        }
        if (session.Run.Options.Swap.KeepOldTables)
        {
            whyCopy = "--keep-old keeps the old table, which only a copy has";
            return null;
        }
        if (session.KeptRevertWindow is not null)
        {
            whyCopy = "a revert window keeps the old table in sync, which only a copy has";
            return null;
        }
        return PlansOfEngine(session, uses, out whyCopy);
    }

    /// <summary>The plans the engine can make for the tables, whatever the run's options ask for.</summary>
    private static IReadOnlyList<(TableUse Use, ChangePlan Plan)>? PlansOfEngine(ScriptSession session, IReadOnlyList<TableUse> uses, out string? whyCopy)
    {
        whyCopy = null;
        var plans = new List<(TableUse, ChangePlan)>();
        foreach (var use in uses)
        {
            if (use.Model is not { } model)
            {
                whyCopy = $"{use.Original.Name}: the script changes the copy with its own SQL (UseTableAsync)";
                return null;
            }
            if (model.CopyForced)
            {
                whyCopy = $"{use.Original.Name}: the script asks for a copy (ForceCopy)";
                return null;
            }
            if (session.Database.TableEngine.Refusals(use.Original, model).Any())
            {
                // The copy path's preflight says what is wrong and what to do.
                whyCopy = $"{use.Original.Name}: the change needs the preflight of a copy";
                return null;
            }
            ChangePlan plan;
            try
            {
                plan = session.Database.Dialect.PlanChange(TableDiff.Of(model, session.Database.Dialect));
            }
            catch (SwapException)
            {
                // A type the engine lacks, for example: the copy path's preflight refuses it with its own words.
                whyCopy = $"{use.Original.Name}: the change needs the preflight of a copy";
                return null;
            }
            if (plan.Method == ChangeMethod.Copy)
            {
                whyCopy = $"{use.Original.Name}: {plan.Reason}";
                return null;
            }
            plans.Add((use, plan));
        }
        return plans;
    }

    /// <summary>
    /// Runs the plans as one journaled operation. Returns the tables that must be copied after all
    /// because the server refused the algorithm (empty when every plan ran): the refused table and
    /// the ones after it, while the tables changed before the refusal stay changed (on MySQL/MariaDB
    /// each ALTER commits on its own, so they cannot be copied again).
    /// </summary>
    public static async Task<IReadOnlyList<string>> RunAsync(ScriptSession session, IReadOnlyList<(TableUse Use, ChangePlan Plan)> plans)
    {
        var names = string.Join(", ", plans.Select(p => p.Use.Original.Name));
        var identity = string.Join("\n", plans.Select(p => p.Use.Identity));
        var outcome = await session.OperationAsync(
            "instant",
            $"{string.Join("; ", plans.Select(p => $"{p.Use.Original.Name} {ChangePlan.Name(p.Plan.Method)}"))}",
            identity,
            atomic: false,
            run: state => RunPlansAsync(session, plans, state, names),
            encode: s => s,
            decode: s => s ?? Done);
        return outcome switch
        {
            Done => [],
            FellBack => plans.Select(p => p.Use.Original.Name).ToList(),
            _ => JsonSerializer.Deserialize<Outcome>(outcome)?.Copy ?? throw new InvalidOperationException($"Unknown outcome '{outcome}' of an instant change in the journal."),
        };
    }

    private static async Task<string> RunPlansAsync(ScriptSession session, IReadOnlyList<(TableUse Use, ChangePlan Plan)> plans, OperationState state, string names)
    {
        var database = session.Database;
        var options = session.Run.Options.Swap;
        var logger = session.Logger;
        // The schemas before the change, for a resumed run: its script must see the table as it was.
        var schemas = state.Data is { } recorded
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(recorded)!
            : plans.ToDictionary(p => p.Use.Original.Name, p => SchemaJson.Write(p.Use.Original));
        // Inside one transaction (SQLite) the statements share its lock, whose wait is already bounded.
        var bounded = state.Transaction is null;
        // Only a run that finds the change recorded as started may take an error for a statement already done.
        var resumed = state.Data is not null;
        if (!resumed)
        {
            if (bounded)
                await HoldForOperatorAsync(session, plans);
            await state.SaveAsync("changing", JsonSerializer.Serialize(schemas));
        }
        string Finished(IEnumerable<string> copy) => JsonSerializer.Serialize(new Outcome(copy.ToList(), schemas));
        // The cut-over's discipline: each attempt waits at most CutOverLockTimeout, retried with backoff.
        var pipeline = CutOverRetry.Build(options, database.TableEngine, session.Run.Time, (attempt, delay) => Log.InstantRetrying(logger, names, attempt, delay));
        var connection = session.Connection;
        if (bounded)
            await database.ApplyLockTimeoutAsync(connection, options.CutOverLockTimeout, session.CancellationToken);
        try
        {
            for (var p = 0; p < plans.Count; p++)
            {
                var (use, plan) = plans[p];
                Log.InstantChanging(logger, session.Script.Id, use.Original.Name, plan.ToString());
                for (var s = 0; s < plan.Statements.Count; s++)
                {
                    var sql = plan.Statements[s];
                    var attempts = 0;
                    try
                    {
                        await pipeline.ExecuteAsync(
                            async ct =>
                            {
                                if (attempts++ > 0 && plan.BeforeRetry.TryGetValue(s, out var cleanup))
                                    await connection.ExecuteAsync(cleanup, null, state.Transaction, ct);
                                await connection.ExecuteAsync(sql, null, state.Transaction, ct);
                            },
                            session.CancellationToken);
                    }
                    catch (Exception e) when (database.IsLockTimeout(e))
                    {
                        await UndoAsync(session, plan);
                        var holders = state.Transaction is null ? await CutOverRetry.HoldersAsync(database.TableEngine, connection, [use.Original.Name]) : "";
                        throw new SwapException(
                            SwapErrorKind.CutOverTimedOut,
                            $"{session.Script.Id}: the {ChangePlan.Name(plan.Method)} change of {use.Original.Name} could not get its lock within {Durations.Format(options.CutOverLockTimeout)} in {options.CutOverRetries + 1} attempt(s): " +
                            $"a long transaction or query holds the table, and nothing was changed by the statement that waited.{holders} Run 'swap up' again when the table is quieter.",
                            e)
                        { ScriptId = session.Script.Id };
                    }
                    catch (Exception e) when (database.Dialect.IsUnsupportedInstant(e))
                    {
                        if (s > 0 && bounded)
                            throw HalfChanged(session, use, plan, s, e);
                        Log.InstantUnsupported(logger, use.Original.Name, e.Message);
                        // Inside one transaction nothing has committed yet: everything is copied.
                        return Finished((bounded ? plans.Skip(p) : plans).Select(x => x.Use.Original.Name));
                    }
                    catch (Exception e) when (resumed && database.IsAlreadyDone(e))
                    {
                        // A resumed run: this statement was done before the interruption.
                        Log.InstantAlreadyDone(logger, session.Script.Id, e.Message);
                    }
                    catch (Exception e) when (database.IsDatabaseError(e) && plan.Validations.TryGetValue(s, out var validation) && database.ValueNotFitting(e) is not null)
                    {
                        await UndoAsync(session, plan);
                        // Nothing before it took effect but the checks the undo dropped again: the change is forgotten, as a copy's
                        // refusal forgets its swap, so the history stays as it was and 'swap up' starts afresh.
                        if (p == 0 && Enumerable.Range(0, s).All(i => plan.Validations.ContainsKey(i) || plan.Validations.ContainsKey(i + 1)))
                            await state.ForgetAsync();
                        throw await ValidationFailedAsync(session, use, validation, e);
                    }
                    catch (Exception e) when (database.IsDatabaseError(e))
                    {
                        await UndoAsync(session, plan);
                        throw database.Translate(e, $"{session.Script.Id}: {MigrationContext.Shorten(sql)}" + (plan.Undo.Count > 0 ? " (what it had added is dropped again)" : ""));
                    }
                    // Between statements of one change: a crash here leaves the first ones done (they commit on their own on MySQL).
                    FaultPoints.Hit("instant-statement");
                }
            }
        }
        finally
        {
            if (bounded)
                await database.ApplyLockTimeoutAsync(connection, session.Run.Options.StatementLockTimeout, CancellationToken.None);
        }
        FaultPoints.Hit("instant");
        return Finished([]);
    }

    /// <summary>
    /// Before the change starts, the operator's commands are taken once, as at a copy's first chunk
    /// boundary: a pause (or a throttle check: replica lag, load, your query) holds it, an abort
    /// stops it with nothing changed (<see cref="SwapAbortedException"/>). Once its statement runs,
    /// it runs to its end: a catalog change takes milliseconds, and an in-place index build is one
    /// statement the server does not stop half-way.
    /// </summary>
    private static async Task HoldForOperatorAsync(ScriptSession session, IReadOnlyList<(TableUse Use, ChangePlan Plan)> plans)
    {
        var tables = plans.Select(p => p.Use.Original.Name).ToList();
        var method = plans.Any(p => p.Plan.Method == ChangeMethod.InPlace) ? ChangeMethod.InPlace : ChangeMethod.Instant;
        await using var controller = SwapController.ForChange(session.Run, session.Script.Id, tables, ChangePlan.Name(method));
        await controller.StartAsync(session.CancellationToken);
        controller.Observe(new SwapProgress(session.Script.Id, tables, tables[0], SwapPhase.Preflight, 0, 0, 0, null, 0));
        await controller.BoundaryAsync(session.CancellationToken);
    }

    /// <summary>
    /// The server refused a later statement of one table's change after its first ones had
    /// committed: a copy would start from a half-changed table, so the run stops and says how to
    /// finish by hand. The operation stays in its "changing" phase, where a resumed run counts the
    /// statements already in effect as done.
    /// </summary>
    private static SwapException HalfChanged(ScriptSession session, TableUse use, ChangePlan plan, int refused, Exception error) => new(
        SwapErrorKind.Refused,
        $"{session.Script.Id}: the server refused '{MigrationContext.Shorten(plan.Statements[refused])}' ({error.Message}) after the earlier part of the change of {use.Original.Name} had taken effect " +
        $"('{string.Join("; ", plan.Statements.Take(refused).Select(MigrationContext.Shorten))}'), so the table cannot be copied from its original form any more. " +
        "Nothing was lost. Run the refused statement by hand without its ALGORITHM and LOCK clauses (the server may then block writes to the table while it runs), then run 'swap up' again: it counts the statements already in effect as done.",
        error)
    { ScriptId = session.Script.Id };

    /// <summary>
    /// A new CHECK or foreign key that existing rows fail: names the first such row by its key (a
    /// lookup over the table with the constraint's failing-rows predicate; without a key, or when the
    /// lookup fails, the message says "a row") and returns the refusal (exit 7). The constraint added
    /// NOT VALID was dropped again.
    /// </summary>
    private static async Task<SwapException> ValidationFailedAsync(ScriptSession session, TableUse use, Validation check, Exception error)
    {
        var table = use.Original.Name;
        var where = "a row";
        if (use.Original.ChunkKey() is { Count: > 0 } key)
        {
            var dialect = session.Database.Dialect;
            var columns = string.Join(", ", key.Select(dialect.Quote));
            try
            {
                var rows = await session.Connection.QueryAsync(
                    $"SELECT {columns} FROM {dialect.Quote(table)} t WHERE {check.Failing} ORDER BY {columns} LIMIT 1", null, null, session.CancellationToken);
                if (rows.Count > 0)
                    where = $"the row with key {KeyValues.Show(key.Select(k => rows[0][k]).ToArray())}";
            }
            catch (Exception e) when (session.Database.IsDatabaseError(e))
            {
                Log.InstantUndoFailed(session.Logger, session.Script.Id, $"finding the row that fails the {check.Kind}", e.Message);
            }
        }
        return new SwapException(
            SwapErrorKind.Refused,
            $"{session.Script.Id}: the rows of '{table}' do not all pass the new {check.Kind} '{check.Name}' ({check.Shown}): {where} fails it ({(session.Database.ValueNotFitting(error)?.Reason ?? error.Message).TrimEnd('.')}). " +
            $"The {check.Kind} was not added (its NOT VALID constraint was dropped again); '{table}' keeps its rows as they are. {check.Fix}; then run 'swap up' again.",
            error)
        { ScriptId = session.Script.Id };
    }

    /// <summary>Takes back what a failed plan must not leave behind (<see cref="ChangePlan.Undo"/>); a failure here is logged, the first error is the one reported.</summary>
    private static async Task UndoAsync(ScriptSession session, ChangePlan plan)
    {
        foreach (var sql in plan.Undo)
        {
            try
            {
                await session.Connection.ExecuteAsync(sql, null, null, CancellationToken.None);
            }
            catch (Exception e) when (session.Database.IsDatabaseError(e))
            {
                Log.InstantUndoFailed(session.Logger, session.Script.Id, sql, e.Message);
            }
        }
    }

    /// <summary>
    /// The schema an instant change recorded before it ran (while it runs: the schemas alone; once
    /// finished: in its <see cref="Outcome"/>), or null (none, or a record from before 2026-12-02
    /// that kept only "done" or "copy").
    /// </summary>
    public static TableSchema? RecordedSchema(string? data, string table)
    {
        if (data is null || !data.StartsWith('{'))
            return null;
        using var document = JsonDocument.Parse(data);
        var schemas = document.RootElement.TryGetProperty(nameof(Outcome.Schemas), out var inOutcome) && inOutcome.ValueKind == JsonValueKind.Object ? inOutcome : document.RootElement;
        return schemas.TryGetProperty(table, out var json) && json.ValueKind == JsonValueKind.String ? SchemaJson.Read(json.GetString()!) : null;
    }
}
