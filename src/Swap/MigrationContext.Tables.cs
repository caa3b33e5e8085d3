using Swap.Data;
using Swap.Dialects;
using Swap.Engine;
using Swap.Engine.Schema;
using Swap.Running;

namespace Swap;

public sealed partial class MigrationContext
{
    /// <summary>
    /// Creates an empty copy of a table (same structure) and returns the copy's name, for scripts
    /// that change the copy with their own SQL. <see cref="DoneUsingTablesAsync"/> fills it (each
    /// column from the same-named original column, or its default) and swaps it in.
    /// </summary>
    public async Task<string> UseTableAsync(string name) => (await UseAsync(name, eager: true)).Names.Copy;

    /// <summary><see cref="UseTableAsync"/> for several tables; returns the copies' names in the same order.</summary>
    public async Task<IReadOnlyList<string>> UseTablesAsync(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var copies = new List<string>(names.Length);
        foreach (var name in names)
            copies.Add(await UseTableAsync(name));
        return copies;
    }

    /// <summary>
    /// Returns the table engineer for a copy of the table: add, drop, rename and retype columns,
    /// change indexes and keys. Changes are checked as they are made and applied to the empty copy
    /// by <see cref="DoneUsingTablesAsync"/>, before anything is written.
    /// </summary>
    public async Task<DbTable> UseTableForAlterAsync(string name)
    {
        var use = await UseAsync(name, eager: false);
        return use.Model!;
    }

    /// <summary>Describes a live table (columns, keys, indexes). The result cannot be changed.</summary>
    public async Task<DbTable> LoadTableAsync(string name)
    {
        var dialect = session.Database.Dialect;
        Identifiers.Validate(name, "table", dialect);
        var schema = await session.Database.TableEngine.LoadTableAsync(session.Connection, session.Transaction, name, CancellationToken)
            ?? throw MissingTable(name);
        return new DbTable(schema, SwapNames.For(schema.Name, dialect.MaxIdentifierLength).Copy, dialect, readOnly: true);
    }

    /// <summary>How many table changes (<see cref="DoneUsingTablesAsync"/>) the script has made so far: each one's method is recorded under its number.</summary>
    private int changesMade;

    /// <summary>
    /// Finishes the given tables and swaps them in together: applies the changes to the empty
    /// copies, captures the application's writes on the originals, copies the rows in chunks,
    /// verifies the copies, renames all originals away and all copies in at once under a short,
    /// bounded lock, stops capture and drops the old tables. Every phase is journaled, so an
    /// interrupted run resumes where it stopped.
    /// </summary>
    public async Task DoneUsingTablesAsync(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Length == 0)
            throw new SwapException(SwapErrorKind.Usage, $"{ScriptId}: DoneUsingTablesAsync needs the names of the tables to swap in.");
        var uses = new List<TableUse>();
        foreach (var name in names)
        {
            if (!session.Tables.TryGetValue(name, out var use))
                throw new SwapException(SwapErrorKind.InvalidMigration, $"{ScriptId}: DoneUsingTablesAsync(\"{name}\") names a table the script did not ask for; call UseTableAsync or UseTableForAlterAsync first.") { ScriptId = ScriptId };
            if (use.Finished)
                throw SwappedTwice(name);
            if (!uses.Contains(use))
                uses.Add(use);
        }
        // The cheapest safe path first: instant or in place where the engine can, else the copy.
        var instant = Instant.InstantChanger.Plans(session, uses, out var whyCopy);
        if (session.Mode == ExecutionMode.DryRun && instant is not null)
        {
            foreach (var (use, plan) in instant)
                session.Plan.Add(new PlannedStep($"{use.Original.Name}: {plan}", plan.Statements));
            Promise(uses);
            return;
        }
        var ordinal = ++changesMade;
        var method = "";
        if (instant is not null)
        {
            var refused = await Instant.InstantChanger.RunAsync(session, instant);
            var changed = instant.Where(p => !refused.Contains(p.Use.Original.Name)).ToList();
            method = string.Join("; ", changed.Select(p => $"{p.Use.Original.Name}: {p.Plan}"));
            foreach (var (use, _) in changed)
                use.Finished = true;
            if (refused.Count == 0)
            {
                await Instant.ChangeMethodRecords.RecordAsync(session, ordinal, method);
                return;
            }
            // The tables changed before the server refused one stay changed; the rest are copied.
            uses = uses.Where(u => !u.Finished).ToList();
            whyCopy = $"the server refused the instant change of {refused[0]}";
            method = method.Length == 0 ? "" : method + "; ";
        }
        if (whyCopy is not null)
            Log.CopyChosen(session.Logger, ScriptId, whyCopy);
        if (session.Mode == ExecutionMode.DryRun)
        {
            session.Plan.Add(new PlannedStep($"copy-and-swap: {whyCopy ?? "the engine cannot make these changes in place"}", []));
            SwapPlanner.Plan(session, uses);
            Promise(uses);
            return;
        }
        var identity = string.Join("\n", uses.Select(u => u.Identity));
        // Tables swapped together go the same way: online when one of them must.
        var online = uses.Any(u => u.Online);
        await session.OperationAsync(
            "swap",
            "swap in " + string.Join(", ", uses.Select(u => u.Original.Name)),
            identity,
            atomic: !online,
            run: state => new SwapOperation(session, uses, online).RunAsync(state),
            encode: journalData => journalData,
            decode: journalData => journalData ?? "");
        await Instant.ChangeMethodRecords.RecordAsync(session, ordinal, $"{method}copy-and-swap of {string.Join(", ", uses.Select(u => u.Original.Name))}: {whyCopy ?? "the engine cannot make these changes in place"}");
        foreach (var use in uses)
            use.Finished = true;
    }

    private async Task<TableUse> UseAsync(string name, bool eager)
    {
        var database = session.Database;
        var dialect = database.Dialect;
        var engine = database.TableEngine;
        Identifiers.Validate(name, "table", dialect);
        if (SwapNames.IsSwapName(name))
            throw new SwapException(SwapErrorKind.Refused, $"'{name}' is one of Swap's own work tables; use the original table's name.");
        if (session.Tables.TryGetValue(name, out var existing))
        {
            if (existing.Finished)
                throw SwappedTwice(name);
            if (existing.CopyExists != eager)
                throw new SwapException(SwapErrorKind.InvalidMigration, $"{ScriptId}: '{name}' is already in use through {(existing.CopyExists ? "UseTableAsync" : "UseTableForAlterAsync")}; use one or the other for a table.") { ScriptId = ScriptId };
            return existing;
        }
        var options = session.Run.Options.Swap;
        if (engine.SwapsOnline(null, options))
            await session.SwitchToJournalAsync();

        var names = SwapNames.For(name, dialect.MaxIdentifierLength);
        TableSchema original;
        string? definition = null;
        if (!eager)
        {
            // Nothing is written until DoneUsingTablesAsync; a replay takes the schema the swap recorded.
            var recorded = session.RecordedSchema(name);
            // The definition's fingerprint before the schema is read: a change in between shows at the cut-over.
            if (recorded is null)
                definition = await TableDefinition.TryFingerprintAsync(engine, session.Connection, session.Transaction, name, CancellationToken);
            original = recorded
                ?? await engine.LoadTableAsync(session.Connection, session.Transaction, name, CancellationToken)
                ?? throw MissingTable(name);
            if (original.ChunkKey() is null)
                throw SwapSpecBuilder.NoKey(original, engine.Dialect.Engine);
        }
        else if (session.Mode == ExecutionMode.DryRun)
        {
            original = await engine.LoadTableAsync(session.Connection, session.Transaction, name, CancellationToken) ?? throw MissingTable(name);
            names = SwapNames.For(original.Name, dialect.MaxIdentifierLength);
            session.Plan.Add(new PlannedStep($"create the copy {names.Copy} of {name}", engine.CreateCopy(original, null, names)));
        }
        else
        {
            var schemaJson = await session.StepAsync(
                "use-table",
                $"use table {name}",
                name + "|sql",
                async tx =>
                {
                    definition = await TableDefinition.TryFingerprintAsync(engine, session.Connection, tx, name, CancellationToken);
                    var schema = await engine.LoadTableAsync(session.Connection, tx, name, CancellationToken) ?? throw MissingTable(name);
                    if (schema.ChunkKey() is null)
                        throw SwapSpecBuilder.NoKey(schema, engine.Dialect.Engine);
                    // Named after the table as the engine has it (SQLite finds 'customers' as 'Customers').
                    var own = SwapNames.For(schema.Name, dialect.MaxIdentifierLength);
                    await session.Connection.ExecuteTranslatedAsync($"DROP TABLE IF EXISTS {dialect.Quote(own.Copy)}", tx, CancellationToken, database, ScriptId);
                    foreach (var sql in engine.CreateCopy(schema, null, own))
                        await session.Connection.ExecuteTranslatedAsync(sql, tx, CancellationToken, database, ScriptId);
                    return SchemaJson.Write(schema);
                },
                atomic: !engine.SwapsOnline(null, options) || dialect.CanShareTransaction("CREATE TABLE t (a INT)"),
                encode: s => s,
                decode: s => s ?? throw new SwapException(SwapErrorKind.Failure, $"{ScriptId}: the journal lost the schema of '{name}'; run 'swap cleanup --script {ScriptId}'."));
            original = SchemaJson.Read(schemaJson);
        }
        // The work tables are named after the table as the engine has it: SQLite finds 'customers' as 'Customers'.
        names = SwapNames.For(original.Name, dialect.MaxIdentifierLength);
        // An online swap commits step by step; the size that decides it is the one recorded in the
        // journal on a resumed run, so a resumed swap keeps the way it started.
        var online = engine.SwapsOnline(original, options);
        if (online)
            await session.SwitchToJournalAsync();
        var use = new TableUse(original, names, eager ? null : new DbTable(original, names.Copy, dialect, readOnly: false), eager) { Online = online, Definition = definition };
        session.Tables[name] = use;
        return use;
    }

    /// <summary>
    /// A dry run's promise: each table as the plan predicts it after the swap (a rehearsal compares
    /// staging with it). A table the script changes with its own SQL on the copy has no prediction.
    /// </summary>
    private void Promise(IReadOnlyList<TableUse> uses)
    {
        foreach (var use in uses)
        {
            if (use.Model is not null)
                session.Promised.Add(SwapPlanner.Predict(session.Database.TableEngine, use) with { Name = use.Original.Name });
            use.Finished = true;
        }
    }

    /// <summary>
    /// A script swaps a table once (a resumed run finds each table's recorded schema by its name).
    /// Moving the later change into a new script is right whether or not the earlier swap stayed:
    /// a journaled run goes on after it, a transactional one runs it again.
    /// </summary>
    private SwapException SwappedTwice(string name) => new(
        SwapErrorKind.InvalidMigration,
        $"{ScriptId}: '{name}' was already swapped in by this script, and a script swaps a table once. Move this later change of '{name}' into a new migration script; 'swap up' then goes on after the steps this script has finished.")
    { ScriptId = ScriptId };

    private SwapException MissingTable(string name) => new(
        SwapErrorKind.Refused,
        $"{ScriptId}: table '{name}' does not exist in {session.Database.DisplayName}. Check the name (and the schema or database in the URL).")
    { ScriptId = ScriptId };
}
