using System.Data.Common;
using Swap.Running;

namespace Swap.Journal;

/// <summary>
/// The journal of one script execution: what an earlier run recorded (read at the start), the
/// steps of a script still inside its transaction (recorded when it leaves it), and the
/// <c>started</c>/<c>done</c> rows of each step run step by step. A step already done is
/// skipped and its recorded result returned; a recorded step that differs stops the run.
/// </summary>
internal sealed class JournalStepper
{
    private readonly RunContext run;
    private readonly string scriptId;
    private readonly string key;
    private readonly DbConnection connection;
    private readonly JournalStore store;
    private readonly List<JournalEntry> inTransaction = [];
    private Dictionary<int, JournalEntry> recorded = [];

    /// <param name="run">The run: database, clock, logger and token.</param>
    /// <param name="scriptId">The script, for messages.</param>
    /// <param name="key">The journal key of this execution (the script's id, or <c>id@down</c>).</param>
    /// <param name="connection">The script's connection.</param>
    public JournalStepper(RunContext run, string scriptId, string key, DbConnection connection)
    {
        this.run = run;
        this.scriptId = scriptId;
        this.key = key;
        this.connection = connection;
        store = new JournalStore(run.Database, run.Tables);
    }

    /// <summary>The number of the last step begun (0 before the first).</summary>
    public int Seq { get; private set; }

    private CancellationToken CancellationToken => run.CancellationToken;

    private DateTime Now => run.Time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Reads what an earlier, interrupted run of this script recorded: null when there was
    /// nothing (or no journal table yet), otherwise how far it got.
    /// </summary>
    public async Task<Resumption?> ReadAsync()
    {
        if (await run.Database.TableExistsAsync(connection, run.Tables.Journal, CancellationToken))
            recorded = await store.ReadAsync(connection, null, key, CancellationToken);
        if (recorded.Count == 0)
            return null;
        return new Resumption(recorded.Values.Count(e => e.IsDone), recorded.Values.Where(e => !e.IsDone).OrderBy(e => e.Seq).Select(e => e.Op).FirstOrDefault());
    }

    /// <summary>The entries an earlier run recorded for <paramref name="op"/>, done or not, in step order.</summary>
    public IEnumerable<JournalEntry> RecordedOf(string op) => recorded.Values.Where(e => e.Op == op).OrderBy(e => e.Seq);

    /// <summary>The operation an earlier run recorded for the step that comes next (done or interrupted), or null.</summary>
    public string? NextRecordedOp => recorded.TryGetValue(Seq + 1, out var entry) ? entry.Op : null;

    /// <summary>Begins the next step: numbers it and fingerprints its identity.</summary>
    public JournalStep Next(string op, string description, string identity)
    {
        var fingerprint = JournalStep.FingerprintOf(op, identity);
        return new JournalStep(++Seq, op, fingerprint, description);
    }

    /// <summary>
    /// Runs one step. In a transactional script it runs in the script's transaction and its
    /// journal row waits for <see cref="CommitWithStepsAsync"/>; run step by step, a step already
    /// done is skipped, an atomic one commits with its <c>done</c> row, and any other is
    /// recorded <c>started</c> before and <c>done</c> after.
    /// </summary>
    /// <param name="step">The step, from <see cref="Next"/>.</param>
    /// <param name="mode">How the script runs now.</param>
    /// <param name="scriptTransaction">The script's transaction in transactional mode.</param>
    /// <param name="execute">Does the work; gets the transaction to use (null outside one).</param>
    /// <param name="atomic">True when the work can share a transaction with its journal row.</param>
    /// <param name="encode">Turns the result into the journal's data column.</param>
    /// <param name="decode">Reads a recorded result back.</param>
    /// <param name="alreadyDone">For a non-atomic step interrupted before its journal row said done: true when the error of re-running it shows the work had been done.</param>
    public async Task<T> StepAsync<T>(
        JournalStep step,
        ExecutionMode mode,
        DbTransaction? scriptTransaction,
        Func<DbTransaction?, Task<T>> execute,
        bool atomic,
        Func<T, string?> encode,
        Func<string?, T> decode,
        Func<Exception, bool>? alreadyDone)
    {
        switch (mode)
        {
            case ExecutionMode.DryRun:
                throw new InvalidOperationException("Dry runs record steps through the plan, not StepAsync.");
            case ExecutionMode.Transactional:
            {
                var result = await execute(scriptTransaction);
                inTransaction.Add(Entry(step, JournalEntry.Done, encode(result)));
                return result;
            }
        }

        var earlier = Recorded(step);
        if (earlier is { IsDone: true })
            return decode(StepData.Result(earlier.Data));
        var resumedFromStart = earlier?.State == JournalEntry.Started;

        if (atomic)
        {
            await using var tx = await run.Database.BeginTransactionAsync(connection, CancellationToken);
            var result = await execute(tx);
            await store.WriteAsync(connection, tx, Entry(step, JournalEntry.Done, encode(result)), CancellationToken);
            await tx.CommitAsync(CancellationToken);
            FaultPoints.Hit("step");
            return result;
        }

        await store.WriteAsync(connection, null, Entry(step, JournalEntry.Started, null), CancellationToken);
        T value;
        try
        {
            value = await execute(null);
        }
        catch (Exception e) when (resumedFromStart && alreadyDone is not null && alreadyDone(e))
        {
            Log.DdlAlreadyApplied(run.Logger, scriptId, step.Seq, e.Message);
            value = default!;
        }
        catch (Exception e) when (!resumedFromStart && IsRefusedByServer(e))
        {
            // The server answered its first run with an error: the statement did not run, so the step
            // is not left 'started' and the script may fix it (a syntax error in a MySQL DDL statement)
            // before 'swap up' resumes at it. A step whose outcome is unknown (interrupted, or re-run
            // after an interruption) stays started.
            await store.DeleteStepAsync(connection, key, step.Seq, CancellationToken);
            throw;
        }
        await store.WriteAsync(connection, null, Entry(step, JournalEntry.Done, encode(value)), CancellationToken);
        FaultPoints.Hit("step");
        return value;
    }

    /// <summary>
    /// Runs a multi-phase operation (a table swap) as one step. Run step by step, its progress is
    /// recorded phase by phase and a resumed run continues from the last phase; in a transactional
    /// script (or when <paramref name="atomic"/>) it runs inside one transaction.
    /// </summary>
    public async Task<T> OperationAsync<T>(
        JournalStep step,
        ExecutionMode mode,
        DbTransaction? scriptTransaction,
        bool atomic,
        Func<OperationState, Task<T>> operation,
        Func<T, string?> encode,
        Func<string?, T> decode)
    {
        if (mode == ExecutionMode.Transactional)
        {
            var state = new OperationState(JournalEntry.Started, null, scriptTransaction, (_, _, _) => Task.CompletedTask);
            var result = await operation(state);
            inTransaction.Add(Entry(step, JournalEntry.Done, encode(result)));
            return result;
        }
        if (mode == ExecutionMode.DryRun)
            throw new InvalidOperationException("Dry runs record operations through the plan.");

        var earlier = Recorded(step);
        if (earlier is { IsDone: true })
            return decode(StepData.Result(earlier.Data));
        var phase = earlier?.State ?? JournalEntry.Started;
        var data = earlier is null ? null : StepData.Result(earlier.Data);

        Task Save(string newPhase, string? newData, DbTransaction? tx) =>
            store.WriteAsync(connection, tx, Entry(step, newPhase, newData), CancellationToken);

        if (atomic)
        {
            await using var tx = await run.Database.BeginTransactionAsync(connection, CancellationToken);
            var result = await operation(new OperationState(phase, data, tx, Save));
            await Save(JournalEntry.Done, encode(result), tx);
            await tx.CommitAsync(CancellationToken);
            return result;
        }
        // No journal row until the operation records its first phase: an operation that fails
        // before doing anything (a refused preflight) leaves nothing to resume.
        var value = await operation(new OperationState(phase, data, null, Save, () => store.DeleteStepAsync(connection, key, step.Seq, CancellationToken)));
        await Save(JournalEntry.Done, encode(value), null);
        FaultPoints.Hit("step");
        return value;
    }

    /// <summary>
    /// Leaves the script's transaction: writes the journal rows of the steps run in it and commits
    /// them with the work, so that from here on the script runs (and resumes) step by step.
    /// </summary>
    public async Task CommitWithStepsAsync(DbTransaction scriptTransaction)
    {
        foreach (var entry in inTransaction)
            await store.WriteAsync(connection, scriptTransaction, entry, CancellationToken);
        await scriptTransaction.CommitAsync(CancellationToken);
        inTransaction.Clear();
    }

    /// <summary>Called after the script body returned: more journal rows than replayed steps means the script changed.</summary>
    public void CheckReplayComplete()
    {
        var extra = recorded.Keys.Where(k => k > Seq).Order().FirstOrDefault();
        if (extra > 0)
            throw ReplayMismatch.Create(scriptId, extra, StepData.Description(recorded[extra].Data) ?? recorded[extra].Op, "(no step: the script ended)");
    }

    /// <summary>The per-step journal of a completed script is no longer needed.</summary>
    public Task DeleteAsync(DbTransaction? transaction) => store.DeleteAsync(connection, transaction, key, CancellationToken);

    /// <summary>The journal entry of this step from an earlier run, checked to be the same step; logs a skip when it is done.</summary>
    private JournalEntry? Recorded(JournalStep step)
    {
        if (!recorded.TryGetValue(step.Seq, out var entry))
            return null;
        if (entry.Op != step.Op || entry.Fingerprint != step.Fingerprint)
            throw ReplayMismatch.Create(scriptId, step.Seq, StepData.Description(entry.Data) ?? entry.Op, step.Description);
        if (entry.IsDone)
            Log.StepSkipped(run.Logger, scriptId, step.Seq, step.Op);
        return entry;
    }

    /// <summary>
    /// True when the server refused a statement with an error of its own: not a lost connection or
    /// a cancellation, after which nobody knows whether the statement took effect.
    /// </summary>
    private bool IsRefusedByServer(Exception error)
    {
        if (error is OperationCanceledException || connection.State != System.Data.ConnectionState.Open)
            return false;
        var server = error is SwapException { InnerException: { } inner } ? inner : error;
        return server is DbException && !run.Database.IsConnectionLost(server);
    }

    private JournalEntry Entry(JournalStep step, string state, string? result) =>
        new(key, step.Seq, step.Op, step.Fingerprint, state, StepData.Encode(step.Description, result), Now);
}
