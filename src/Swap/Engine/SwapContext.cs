using System.Data.Common;
using Microsoft.Extensions.Logging;
using Swap.Control;
using Swap.Data;
using Swap.Running;

namespace Swap.Engine;

/// <summary>
/// What the components of one swap share: the script's session and connection, the engine, the
/// options, the journal (stage and per-table progress) and the tables' specs, with the few
/// actions every component needs (record a stage, run a statement with a translated error,
/// report progress, stop at a control point, check the run lock). It holds no logic of any
/// stage: that is in <see cref="Capture"/>, <see cref="Chunker"/>, <see cref="CatchUp"/>,
/// <see cref="IndexBuilder"/>, <see cref="Verifier"/> and <see cref="CutOver"/>, sequenced by
/// <see cref="SwapOperation"/>.
/// </summary>
internal sealed class SwapContext
{
    public SwapContext(ScriptSession session, IReadOnlyList<TableUse> uses, bool online)
    {
        Session = session;
        Uses = uses;
        Online = online;
        Engine = session.Database.TableEngine;
        Options = session.Run.Options.Swap;
        Logger = (session.Run.Options.LoggerFactory ?? session.Database.LoggerFactory).CreateLogger("Swap.Engine");
        Applier = new ChangeLogApplier(Engine, Options.ApplyBatchSize);
        TableNames = uses.Select(u => u.Original.Name).ToList();
    }

    public ScriptSession Session { get; }

    public RunContext Run => Session.Run;

    public TableEngine Engine { get; }

    public IReadOnlyList<TableUse> Uses { get; }

    public OnlineSwapOptions Options { get; }

    public ILogger Logger { get; }

    /// <summary>True for the online path (capture, chunks in their own transactions, applier, short cut-over); false for one rebuild transaction.</summary>
    public bool Online { get; }

    public ChangeLogApplier Applier { get; }

    public IReadOnlyList<string> TableNames { get; }

    /// <summary>The tables of the swap, for messages.</summary>
    public string Tables => string.Join(", ", TableNames);

    public string ScriptId => Session.Script.Id;

    /// <summary>The script's journal row for this swap.</summary>
    public OperationState State { get; set; } = null!;

    /// <summary>The journal data: per-table progress, schemas, revert window, postponement.</summary>
    public SwapJournalData Data { get; set; } = new();

    /// <summary>The tables' specs, built once the copies exist.</summary>
    public List<SwapSpec> Specs { get; set; } = [];

    /// <summary>
    /// The value misfit <paramref name="error"/> carries (<see cref="SwapDatabase.ValueNotFitting"/>,
    /// or one a component found itself), or null. A foreign key without a parent row counts only in
    /// a swap that adds a foreign key: the copy checks foreign keys only then.
    /// </summary>
    public Dialects.ValueMisfit? Misfit(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is ValueMisfitException { Misfit: { } found })
                return found;
        }
        return Session.Database.ValueNotFitting(error) is { } misfit && (!misfit.ForeignKey || Specs.Any(s => s.NewForeignKeys.Count > 0)) ? misfit : null;
    }

    /// <summary>The operator's side (pause, throttles, commands, live status); null until started.</summary>
    public SwapController? Controller { get; set; }

    public CancellationToken Token => Session.CancellationToken;

    public DbConnection Connection => Session.Connection;

    public DbTransaction? Transaction => State.Transaction;

    /// <summary>True inside the one-transaction rebuild (SQLite's small tables, or a script in a transaction).</summary>
    public bool InTransaction => State.InTransaction;

    /// <summary>The last completed stage, as the journal records it.</summary>
    public SwapStage Stage => SwapStages.Parse(State.Phase);

    /// <summary>The chunk target time: an operator's live setting, else the run's option, else the engine's default (50 ms on SQLite, 500 ms elsewhere).</summary>
    public TimeSpan ChunkTargetTime => Controller?.Settings.ChunkTargetTime ?? Options.ChunkTargetTime ?? Engine.DefaultChunkTime;

    /// <summary>A chunk or applier-batch boundary: operator commands, pause and throttles (see <see cref="SwapController"/>).</summary>
    public Task ControlPointAsync() => Controller?.BoundaryAsync(Token) ?? Task.CompletedTask;

    /// <summary>
    /// Stops the run when its run lock is gone: another runner may hold it now, and two runners
    /// must never copy, verify or cut over the same table at once. Asked before every chunk
    /// (each attempt), every verification chunk, every recorded stage and the cut-over; the
    /// question also keeps the lock's session from going idle.
    /// </summary>
    public async Task EnsureRunLockAsync()
    {
        if (InTransaction || Run.RunLockHeld is not { } held)
            return;
        if (!await held(Token))
        {
            throw new SwapException(
                SwapErrorKind.LockHeld,
                $"The run lock on {Session.Database.DisplayName} was lost (its connection ended) while {ScriptId} was swapping {Tables}, and another runner may have taken it. Stopped before the next step; run 'swap up' again to resume.")
            { ScriptId = ScriptId };
        }
    }

    /// <summary>Records <paramref name="stage"/> as complete (with the per-table progress), in <paramref name="transaction"/> when given.</summary>
    public async Task SaveAsync(SwapStage stage, DbTransaction? transaction = null)
    {
        if (transaction is null)
            await EnsureRunLockAsync();
        await State.SaveAsync(stage.Name(), Data.Write(), transaction);
        if (transaction is null && stage != SwapStage.Swapped)
            FaultPoints.Hit("phase:" + stage.Name());
    }

    /// <summary>Writes the journal data under the current stage (no new stage, no fault point).</summary>
    public async Task SaveDataAsync()
    {
        await EnsureRunLockAsync();
        await State.SaveAsync(Stage.Name(), Data.Write(), null);
    }

    public async Task ExecAllAsync(IEnumerable<string> statements, string what)
    {
        foreach (var sql in statements)
            await ExecAsync(sql, what);
    }

    public async Task<int> ExecAsync(string sql, string what, object? parameters = null, DbTransaction? transaction = null)
    {
        try
        {
            return await Connection.ExecuteAsync(sql, parameters, transaction ?? Transaction, Token);
        }
        catch (Exception e) when (Session.Database.IsDatabaseError(e))
        {
            throw Session.Database.Translate(e, $"{ScriptId}: {what}");
        }
    }

    /// <summary>Runs a query on the swap's connection; a database error is translated with <paramref name="what"/>.</summary>
    public async Task<List<Row>> QueryAsync(string sql, List<KeyValuePair<string, object?>> parameters, string what)
    {
        try
        {
            return await Connection.QueryAsync(sql, parameters, Transaction, Token);
        }
        catch (Exception e) when (Session.Database.IsDatabaseError(e))
        {
            throw Session.Database.Translate(e, $"{ScriptId}: {what}");
        }
    }

    /// <summary>Sets the session's lock wait back to <paramref name="wait"/>; a connection already gone starts with the statement lock wait anyway.</summary>
    public async Task RestoreLockWaitAsync(TimeSpan wait)
    {
        try
        {
            await Session.Database.ApplyLockTimeoutAsync(Connection, wait, CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidOperationException || Session.Database.IsDatabaseError(e))
        {
            // The connection is gone; the next one starts with the statement lock wait.
        }
    }

    /// <summary>
    /// After a write transaction of the online path that held the lock for <paramref name="held"/>:
    /// pauses as long as the engine asks, so the application's writers waiting for the same lock
    /// (SQLite has one writer at a time) get in before the next chunk or batch.
    /// </summary>
    public async Task LetWritersInAsync(TimeSpan held)
    {
        if (InTransaction)
            return;
        var pause = Engine.WritersTurn(held);
        if (pause > TimeSpan.Zero)
            await Task.Delay(pause, Run.Time, Token);
    }

    public void Report(string table, SwapPhase phase)
    {
        var progress = new SwapProgress(ScriptId, TableNames, table, phase, 0, 0, 0, null, 0);
        Controller?.Observe(progress);
        Run.OnProgress?.Invoke(progress);
    }

    public void Report(SwapSpec spec, SwapPhase phase, long rows, double rate, int chunkSize = 0)
    {
        var estimated = Math.Max(spec.Original.EstimatedRows, rows);
        TimeSpan? eta = rate > 0 && estimated > rows ? TimeSpan.FromSeconds((estimated - rows) / rate) : null;
        var progress = new SwapProgress(ScriptId, TableNames, spec.Original.Name, phase, rows, estimated, rate, eta, chunkSize);
        Controller?.Observe(progress);
        Run.OnProgress?.Invoke(progress);
    }

    /// <summary>The rows copied of <paramref name="spec"/>'s table so far.</summary>
    public long Copied(SwapSpec spec) => Data.Table(spec.Original.Name).Copied;
}
