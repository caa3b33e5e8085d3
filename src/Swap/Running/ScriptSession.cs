using System.Data.Common;
using Microsoft.Extensions.Logging;
using Swap.Dialects;
using Swap.Discovery;
using Swap.Journal;

namespace Swap.Running;

/// <summary>
/// The state of one script execution: its connection, its mode and transaction, and the tables
/// it asked for. Every operation of the script API goes through <see cref="StepAsync{T}"/>; the
/// journal (replay position, skipped and recorded steps) is the <see cref="JournalStepper"/>'s.
/// </summary>
internal sealed class ScriptSession
{
    private readonly JournalStepper journal;

    public ScriptSession(RunContext run, MigrationScript script, string journalKey, DbConnection connection, ExecutionMode mode, Direction direction = Direction.Up)
    {
        Run = run;
        Script = script;
        JournalKey = journalKey;
        Connection = connection;
        Mode = mode;
        Direction = direction;
        journal = new JournalStepper(run, script.Id, journalKey, connection);
        RevertWindow = script.Sql?.RevertWindow;
    }

    /// <summary>Whether this runs the script's up or its down.</summary>
    public Direction Direction { get; }

    /// <summary>
    /// How long the tables this script swaps keep a revert window (<c>-- swap:revert-window</c>,
    /// <see cref="MigrationContext.KeepRevertWindow"/>); null leaves it to the run's option.
    /// </summary>
    public TimeSpan? RevertWindow { get; set; }

    /// <summary>
    /// The revert window the swaps of this run keep: the script's, else the run's; none in a down.
    /// A window takes back an up: one opened by the down would carry the script's name, block the
    /// script's next up on its table and make <c>swap revert</c> take back the down.
    /// </summary>
    public TimeSpan? KeptRevertWindow => Direction == Direction.Down ? null : RevertWindow ?? Run.Options.Swap.RevertWindow;

    public RunContext Run { get; }
    public SwapDatabase Database => Run.Database;
    public MigrationScript Script { get; }
    public string JournalKey { get; }
    public DbConnection Connection { get; }
    public DbTransaction? Transaction { get; private set; }
    public ExecutionMode Mode { get; private set; }
    public CancellationToken CancellationToken => Run.CancellationToken;
    public ILogger Logger => Run.Logger;
    public List<PlannedStep> Plan { get; } = [];

    /// <summary>In a dry run, each table the script changes through the table API as the plan predicts it afterwards.</summary>
    public List<Engine.Schema.TableSchema> Promised { get; } = [];

    /// <summary>Tables the script asked for, by name.</summary>
    public Dictionary<string, Engine.TableUse> Tables { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The schema of <paramref name="table"/> as a journaled swap of this script recorded it, so a
    /// replay builds the same model it built the first time (even after the swap replaced the table).
    /// </summary>
    public Engine.Schema.TableSchema? RecordedSchema(string table)
    {
        foreach (var entry in journal.RecordedOf("instant"))
        {
            if (Instant.InstantChanger.RecordedSchema(StepData.Result(entry.Data), table) is { } schema)
                return schema;
        }
        foreach (var entry in journal.RecordedOf("swap"))
        {
            if (Engine.SwapJournalData.Read(StepData.Result(entry.Data)).Schemas.TryGetValue(table, out var json))
                return Engine.Schema.SchemaJson.Read(json);
        }
        return null;
    }

    /// <summary>A script must finish every table it asked for; otherwise its copies would be left behind.</summary>
    public void CheckTablesFinished()
    {
        var open = Tables.Values.Where(t => !t.Finished).Select(t => t.Original.Name).ToList();
        if (open.Count > 0)
        {
            throw new SwapException(
                SwapErrorKind.InvalidMigration,
                $"{Script.Id} asked for {string.Join(", ", open)} but never called DoneUsingTablesAsync for {(open.Count == 1 ? "it" : "them")}. " +
                $"Add 'await db.DoneUsingTablesAsync({string.Join(", ", open.Select(n => "\"" + n + "\""))});' at the end of UpAsync.")
            { ScriptId = Script.Id };
        }
    }

    /// <summary>
    /// The operation (<c>swap</c>, <c>instant</c>, ...) an earlier run of this script recorded for
    /// the step that comes next, or null: a resumed table change goes the way it started, whatever
    /// the options of this run would choose.
    /// </summary>
    public string? NextRecordedOp => Mode == ExecutionMode.DryRun ? null : journal.NextRecordedOp;

    /// <summary>What an earlier, interrupted run of this script left in the journal, or null when there was nothing.</summary>
    public Resumption? Resumed { get; private set; }

    public async Task BeginAsync()
    {
        if (Mode == ExecutionMode.DryRun)
        {
            Transaction = await Run.Database.BeginReadOnlyAsync(Connection, CancellationToken);
            return;
        }
        Resumed = await journal.ReadAsync();
        // A journal means an earlier run committed part of this script step by step (it swapped
        // tables or opted out of the transaction): resume the same way. A fresh transaction would
        // redo its done steps, and ask a swap that was already cut over of the new table.
        if (Resumed is not null)
            Mode = ExecutionMode.Journaled;
        if (Mode == ExecutionMode.Transactional)
            Transaction = await Database.BeginTransactionAsync(Connection, CancellationToken);
    }

    /// <summary>
    /// Runs one operation of the script. In journaled mode a step already done is skipped and its
    /// recorded result returned; a recorded step with a different fingerprint stops the run.
    /// </summary>
    /// <param name="op">Short operation name, stored in the journal.</param>
    /// <param name="description">What the step does, for messages and plans.</param>
    /// <param name="identity">What makes this step this step (its SQL and parameters); hashed into the fingerprint.</param>
    /// <param name="execute">Does the work; gets the transaction to use (null outside one).</param>
    /// <param name="atomic">True when the work can share a transaction with its journal row.</param>
    /// <param name="encode">Turns the result into the journal's data column.</param>
    /// <param name="decode">Reads a recorded result back.</param>
    /// <param name="alreadyDone">For a non-atomic step interrupted before its journal row said done: true when the error of re-running it shows the work had been done.</param>
    public Task<T> StepAsync<T>(
        string op,
        string description,
        string identity,
        Func<DbTransaction?, Task<T>> execute,
        bool atomic,
        Func<T, string?> encode,
        Func<string?, T> decode,
        Func<Exception, bool>? alreadyDone = null) =>
        HeardAsync(op, description, () => StepCoreAsync(op, description, identity, execute, atomic, encode, decode, alreadyDone));

    /// <summary>Tells the run's listener (if any) how long a step took and how it ended.</summary>
    private async Task<T> HeardAsync<T>(string op, string description, Func<Task<T>> work)
    {
        if (Run.Listener is not { } listener)
            return await work();
        var started = Run.Time.GetTimestamp();
        var mode = Mode;
        try
        {
            var result = await work();
            listener.StepFinished(Script.Id, journal.Seq, op, description, mode, Run.Time.GetElapsedTime(started), null);
            return result;
        }
        catch (Exception e)
        {
            listener.StepFinished(Script.Id, journal.Seq, op, description, mode, Run.Time.GetElapsedTime(started), e);
            throw;
        }
    }

    private async Task<T> StepCoreAsync<T>(
        string op,
        string description,
        string identity,
        Func<DbTransaction?, Task<T>> execute,
        bool atomic,
        Func<T, string?> encode,
        Func<string?, T> decode,
        Func<Exception, bool>? alreadyDone)
    {
        CancellationToken.ThrowIfCancellationRequested();
        return await journal.StepAsync(journal.Next(op, description, identity), Mode, Transaction, execute, atomic, encode, decode, alreadyDone);
    }

    /// <summary>
    /// Runs a multi-phase operation (a table swap) as one journaled step. In journaled mode its
    /// progress is recorded phase by phase and a resumed run continues from the last phase; in
    /// transactional mode (or when <paramref name="atomic"/>) it runs inside one transaction.
    /// </summary>
    public Task<T> OperationAsync<T>(string op, string description, string identity, bool atomic, Func<OperationState, Task<T>> run, Func<T, string?> encode, Func<string?, T> decode) =>
        HeardAsync(op, description, () => OperationCoreAsync(op, description, identity, atomic, run, encode, decode));

    private async Task<T> OperationCoreAsync<T>(string op, string description, string identity, bool atomic, Func<OperationState, Task<T>> run, Func<T, string?> encode, Func<string?, T> decode)
    {
        CancellationToken.ThrowIfCancellationRequested();
        return await journal.OperationAsync(journal.Next(op, description, identity), Mode, Transaction, atomic, run, encode, decode);
    }

    /// <summary>
    /// Leaves the script's transaction: commits the work so far together with journal rows for its
    /// steps, so that from here on the script runs (and resumes) step by step.
    /// </summary>
    public async Task SwitchToJournalAsync()
    {
        if (Mode != ExecutionMode.Transactional)
            return;
        await journal.CommitWithStepsAsync(Transaction!);
        await Transaction!.DisposeAsync();
        Transaction = null;
        Mode = ExecutionMode.Journaled;
        Log.SwitchedToJournal(Logger, Script.Id);
    }

    /// <summary>Called after the script body returned: more journal rows than replayed steps means the script changed.</summary>
    public void CheckReplayComplete() => journal.CheckReplayComplete();

    /// <summary>The per-step journal of a completed script is no longer needed.</summary>
    public Task DeleteJournalAsync(DbTransaction? transaction) => journal.DeleteAsync(transaction);

    public async Task RollbackAsync()
    {
        if (Transaction is null)
            return;
        try
        {
            await Transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidOperationException || Database.IsDatabaseError(e))
        {
            // The connection may already be gone; the server rolls back on its own.
        }
        await Transaction.DisposeAsync();
        Transaction = null;
    }

    public async Task CommitAsync()
    {
        if (Transaction is null)
            return;
        await Transaction.CommitAsync(CancellationToken);
        await Transaction.DisposeAsync();
        Transaction = null;
    }

}
