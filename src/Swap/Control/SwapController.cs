using System.Data.Common;
using Microsoft.Extensions.Logging;
using Swap.Dialects;
using Swap.Engine;
using Swap.History;
using Swap.Locking;
using Swap.Throttling;

namespace Swap.Control;

/// <summary>
/// The runner's side of operator control, consulted by a swap at every chunk and applier-batch
/// boundary: takes pending commands from the control table (pause, resume, set, cut-over, abort),
/// holds the swap while it is paused or a throttle check says wait, and publishes the live status
/// about once a second. It uses a connection of its own, never the copier's, and its own I/O
/// failing never fails the swap (a throttle check that cannot read its signal throttles).
/// </summary>
internal sealed class SwapController : IAsyncDisposable
{
    private static readonly TimeSpan PublishInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(30);

    private readonly SwapDatabase database;
    private readonly OnlineSwapOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly string scriptId;
    private readonly IReadOnlyList<string> tableNames;
    private readonly ControlStore store;
    private readonly Throttler? throttler;
    private readonly DateTime startedAt;
    private readonly Queue<(long At, long Rows)> window = new();
    private DbConnection? connection;
    private bool started;
    private long nextPoll;
    private long nextCheck;
    private long nextPublish;
    private long nextConnect;
    private bool dirty = true;
    private ThrottleVerdict? lastVerdict;
    private SwapProgress? latest;
    private string? windowKey;
    private bool paused;
    private string? pausedBy;
    private DateTime? pausedSince;
    private ThrottleVerdict? throttled;
    private DateTime? throttledSince;
    private long throttledAt;
    private string? abortBy;
    private readonly Action budgetCheck;

    /// <summary>A controller of one run's swap, revert or change: its database, options and clock, and its time budget (a paused or throttled swap still stops once 'up --time-budget' is spent).</summary>
    private SwapController(Running.RunContext run, string scriptId, IReadOnlyList<string> tableNames, bool enabled)
    {
        database = run.Database;
        options = run.Options.Swap;
        time = run.Time;
        logger = run.Database.LoggerFactory.CreateLogger("Swap.Control");
        budgetCheck = run.ThrowIfBudgetSpent;
        this.scriptId = scriptId;
        this.tableNames = tableNames;
        Enabled = enabled;
        store = new ControlStore(database, run.Tables);
        Settings = LiveSettings.From(options);
        startedAt = time.GetUtcNow().UtcDateTime;
        if (enabled)
            throttler = new Throttler(database, run.Tables, options.Throttle, time, logger);
    }

    /// <summary>
    /// A controller for one swap. <paramref name="enabled"/> is false where nothing else can write
    /// while the swap runs (SQLite's one-transaction rebuild): then every boundary passes at once.
    /// </summary>
    public static SwapController Create(Running.RunContext run, string scriptId, IReadOnlyList<string> tableNames, bool enabled) =>
        new(run, scriptId, tableNames, enabled);

    /// <summary>
    /// A controller for an instant or in-place change (<paramref name="method"/>), consulted once
    /// before its statement runs: the same commands and checks, and an abort that leaves nothing to remove.
    /// </summary>
    public static SwapController ForChange(Running.RunContext run, string scriptId, IReadOnlyList<string> tableNames, string method) =>
        new(run, scriptId, tableNames, enabled: true)
        {
            Operation = method + " change",
            AbortAftermath = "It had not started: the table is untouched and the script is pending again ('swap up' starts it over).",
        };

    /// <summary>
    /// A controller for <c>swap revert</c> taking a swap back: the same commands, checks and live
    /// status, taken between batches of the reverse change log and before the swap back.
    /// </summary>
    public static SwapController ForRevert(Running.RunContext run, string scriptId, IReadOnlyList<string> tableNames) =>
        new(run, scriptId, tableNames, enabled: true)
        {
            Operation = "revert",
            AbortAftermath = $"Nothing was swapped back: the swapped-in table stays in place and its revert window stays open, the old table kept in sync. 'swap revert {scriptId}' starts the revert again; 'swap finish {scriptId}' keeps the change.",
        };

    public bool Enabled { get; }

    /// <summary>What this controller steers, as the live status and the commands' outcomes name it: <c>swap</c> or <c>revert</c>.</summary>
    public string Operation { get; init; } = "swap";

    /// <summary>What an abort leaves, the sentence after "was aborted by X." in its error.</summary>
    public string AbortAftermath { get; init; } = "The original is untouched; the copy, capture and change log are removed and the script is pending again ('swap up' starts it over).";

    /// <summary>The live settings in force (options, then each <c>swap set</c>).</summary>
    public LiveSettings Settings { get; }

    /// <summary>The swap waits for <c>swap cut-over</c> before its cut-over.</summary>
    public bool Postponed { get; set; }

    /// <summary>A <c>swap cut-over</c> arrived while <see cref="Postponed"/>.</summary>
    public bool CutOverApproved { get; private set; }

    /// <summary>Counts the change-log rows not applied yet, on the controller's connection.</summary>
    public Func<DbConnection, CancellationToken, Task<long>>? Backlog { get; set; }

    /// <summary>Starts the heartbeat (when replicas are watched). Call once before the first boundary.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
            return;
        try
        {
            await throttler!.StartAsync(cancellationToken);
        }
        catch (Exception e) when (database.IsDatabaseError(e))
        {
            throw database.Translate(e, $"{scriptId}: start the replica heartbeat");
        }
    }

    /// <summary>The latest progress snapshot of the swap, for the live status and its recent rate.</summary>
    public void Observe(SwapProgress progress)
    {
        if (!Enabled)
            return;
        var key = progress.Phase + "/" + progress.Table;
        if (key != windowKey)
        {
            window.Clear();
            windowKey = key;
            dirty = true;
        }
        Sample(progress.RowsCopied);
        latest = progress;
    }

    private void Sample(long rows)
    {
        var now = time.GetTimestamp();
        window.Enqueue((now, rows));
        while (window.Count > 2 && time.GetElapsedTime(window.Peek().At, now) > RateWindow)
            window.Dequeue();
    }

    /// <summary>
    /// A wait at a boundary (paused, throttled) copies nothing: the rate window hears so, or the
    /// live rate stays the one from before the wait, and so does an ETA, however long the wait lasts.
    /// </summary>
    private void ObserveWait()
    {
        if (latest is not null)
            Sample(latest.RowsCopied);
    }

    /// <summary>
    /// A chunk boundary: takes pending commands, waits while paused or throttled (taking commands
    /// meanwhile), publishes the live status when due. Throws <see cref="SwapAbortedException"/>
    /// for <c>swap abort</c>.
    /// </summary>
    public async Task BoundaryAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
            return;
        await PollAsync(force: false, cancellationToken);
        long? waitedFrom = null;
        var reason = "throttled";
        while (true)
        {
            if (paused)
            {
                waitedFrom ??= time.GetTimestamp();
                reason = "paused";
                budgetCheck();
                ObserveWait();
                await PublishAsync(cancellationToken);
                await Task.Delay(options.Throttle.CheckInterval, time, cancellationToken);
                await PollAsync(force: true, cancellationToken);
                continue;
            }
            var verdict = await CheckAsync(force: waitedFrom is not null, cancellationToken);
            if (verdict is { Critical: true })
            {
                await PauseForCriticalLoadAsync(verdict, cancellationToken);
                continue;
            }
            if (verdict is null)
                break;
            if (throttled is null)
            {
                throttledSince = time.GetUtcNow().UtcDateTime;
                throttledAt = time.GetTimestamp();
                ControlLog.Throttled(logger, scriptId, verdict.Reason);
            }
            if (throttled?.Reason != verdict.Reason)
                dirty = true;
            throttled = verdict;
            waitedFrom ??= time.GetTimestamp();
            budgetCheck();
            ObserveWait();
            await PublishAsync(cancellationToken);
            await Task.Delay(options.Throttle.CheckInterval, time, cancellationToken);
            await PollAsync(force: true, cancellationToken);
        }
        if (throttled is not null)
        {
            ControlLog.ThrottleLifted(logger, scriptId, Durations.Format(time.GetElapsedTime(throttledAt)));
            throttled = null;
            throttledSince = null;
            dirty = true;
        }
        if (waitedFrom is { } from)
            SwapMetrics.ThrottledTime.Add(time.GetElapsedTime(from).TotalSeconds, new KeyValuePair<string, object?>("reason", reason));
        await PublishAsync(cancellationToken);
    }

    /// <summary>Takes pending commands now (the postponed wait calls this between its rounds).</summary>
    public Task PollNowAsync(CancellationToken cancellationToken) => Enabled ? PollAsync(force: true, cancellationToken) : Task.CompletedTask;

    private async Task<ThrottleVerdict?> CheckAsync(bool force, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (!force && lastVerdict is null && now < nextCheck)
            return null;
        nextCheck = now + (long)(options.Throttle.CheckInterval.TotalSeconds * time.TimestampFrequency);
        if (!throttler!.Active(Settings))
            return lastVerdict = null;
        var c = await ConnectionAsync(cancellationToken);
        lastVerdict = await throttler.CheckAsync(c, Settings, cancellationToken);
        // A check that failed on a broken connection: open a fresh one next time.
        if (c is not null && c.State != System.Data.ConnectionState.Open)
        {
            await c.DisposeAsync();
            connection = null;
        }
        return lastVerdict;
    }

    private async Task PauseForCriticalLoadAsync(ThrottleVerdict verdict, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var by = $"swap ({verdict.Reason})";
        paused = true;
        pausedBy = by;
        pausedSince = now;
        dirty = true;
        ControlLog.Paused(logger, scriptId, by);
        // Recorded like an operator's pause, so it outlives this process and 'swap resume' undoes it.
        var c = await ConnectionAsync(cancellationToken);
        if (c is null)
            return;
        try
        {
            await store.SendAsync(c, new ControlRecord(Guid.NewGuid().ToString("D"), ControlCommand.Pause, null, by, now, now, "paused: a person must decide ('swap resume')"), cancellationToken);
        }
        catch (Exception e) when (database.IsDatabaseError(e))
        {
            await DropConnectionAsync(e);
        }
    }

    private async Task PollAsync(bool force, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (!force && now < nextPoll)
            return;
        nextPoll = now + (long)(options.Throttle.CheckInterval.TotalSeconds * time.TimestampFrequency);
        var c = await ConnectionAsync(cancellationToken);
        if (c is null)
            return;
        try
        {
            if (!started)
            {
                await store.EnsureTablesAsync(c, cancellationToken);
                // A pause an earlier swap took still holds; one not taken yet is taken below, as "paused".
                if (await store.LatestPauseOrResumeAsync(c, cancellationToken) is { Command: ControlCommand.Pause, Handled: true } pause)
                {
                    paused = true;
                    pausedBy = pause.SentBy;
                    pausedSince = pause.SentAtUtc;
                    ControlLog.Paused(logger, scriptId, pause.SentBy);
                }
                started = true;
            }
            foreach (var command in await store.PendingAsync(c, cancellationToken))
            {
                var outcome = Take(command);
                dirty = true;
                ControlLog.CommandTaken(logger, scriptId, command.Command.Name() + (command.Argument is null ? "" : " " + command.Argument), command.SentBy, outcome);
                await store.MarkHandledAsync(c, command.Id, time.GetUtcNow().UtcDateTime, $"{outcome} (by {RunIdentity.Describe()}, {Operation} of {string.Join(", ", tableNames)})", cancellationToken);
            }
        }
        catch (Exception e) when (database.IsDatabaseError(e))
        {
            await DropConnectionAsync(e);
        }
        if (abortBy is not null)
        {
            // What an abort leaves depends on what was aborted (an in-place change made no copy; a revert keeps its window).
            ControlLog.Aborting(logger, scriptId, Operation, abortBy, AbortAftermath);
            throw new SwapAbortedException($"{scriptId}: the {Operation} of {string.Join(", ", tableNames)} was aborted by {abortBy}. {AbortAftermath}")
            {
                ScriptId = scriptId,
                Tables = tableNames,
                AbortedBy = abortBy,
            };
        }
    }

    private string Take(ControlRecord command)
    {
        switch (command.Command)
        {
            case ControlCommand.Pause:
                var was = paused;
                paused = true;
                pausedBy = command.SentBy;
                pausedSince = command.SentAtUtc;
                ControlLog.Paused(logger, scriptId, command.SentBy);
                return was ? "was already paused" : "paused";
            case ControlCommand.Resume:
                if (!paused)
                    return "was not paused";
                paused = false;
                pausedBy = null;
                pausedSince = null;
                ControlLog.Resumed(logger, scriptId);
                return "resumed";
            case ControlCommand.Set:
                try
                {
                    return Settings.Apply(command.Argument ?? "");
                }
                catch (SwapException e)
                {
                    return "refused: " + e.Message;
                }
            case ControlCommand.CutOver:
                if (!Postponed)
                    return "nothing to do: this swap does not postpone its cut-over";
                CutOverApproved = true;
                return paused ? "cut-over approved; the swap is paused and cuts over after 'swap resume'" : "cut-over approved";
            default:
                abortBy = command.SentBy;
                return "aborting";
        }
    }

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if ((!dirty && now < nextPublish) || latest is null)
            return;
        nextPublish = now + (long)(PublishInterval.TotalSeconds * time.TimestampFrequency);
        dirty = false;
        var c = await ConnectionAsync(cancellationToken);
        if (c is null)
            return;
        try
        {
            long? backlog = Backlog is null ? null : await Backlog(c, cancellationToken);
            SwapMetrics.SetBacklog(scriptId, backlog);
            await store.WriteLiveAsync(c, Snapshot(latest, backlog), cancellationToken);
        }
        catch (Exception e) when (database.IsDatabaseError(e))
        {
            await DropConnectionAsync(e);
        }
    }

    /// <summary>The live status: the rate over the last half minute, a percentage never above 100, an ETA never negative.</summary>
    internal LiveSwapStatus Snapshot(SwapProgress p, long? backlog)
    {
        var rate = p.RowsPerSecond;
        if (window.Count >= 2)
        {
            var (firstAt, firstRows) = window.Peek();
            var (lastAt, lastRows) = window.Last();
            var span = time.GetElapsedTime(firstAt, lastAt).TotalSeconds;
            if (span >= 1)
                rate = Math.Max(0, (lastRows - firstRows) / span);
        }
        // A paused swap waits for a person: no time left can be told.
        var (estimate, exceeded, percent, eta) = Estimate(p, paused ? 0 : rate);
        var now = time.GetUtcNow().UtcDateTime;
        return new LiveSwapStatus
        {
            ScriptId = scriptId,
            Operation = Operation,
            Tables = tableNames,
            Table = p.Table,
            Phase = p.Phase.ToString(),
            Rows = p.RowsCopied,
            RowsEstimated = estimate,
            EstimateExceeded = exceeded,
            Percent = Math.Round(percent, 1),
            RowsPerSecond = Math.Round(rate, 1),
            EtaSeconds = eta is { } e ? Math.Round(e, 1) : null,
            Backlog = backlog,
            Throttled = throttled is not null,
            ThrottleReason = throttled?.Reason,
            ThrottledSinceUtc = throttledSince,
            Paused = paused,
            PausedBy = pausedBy,
            PausedSinceUtc = pausedSince,
            Postponed = Postponed && !CutOverApproved,
            CutOverApproved = Postponed && CutOverApproved,
            Settings = Settings.Describe(),
            Host = Environment.MachineName,
            Pid = Environment.ProcessId,
            Runner = RunIdentity.Describe(),
            StartedAtUtc = startedAt,
            UpdatedAtUtc = now,
        };
    }

    /// <summary>
    /// The estimate shown (raised to the rows done when it was low), whether the rows passed it,
    /// the percentage (0 to 100) and the ETA in seconds (never negative; null when it cannot be
    /// told: no rate, past the estimate, or a phase that does not count rows).
    /// </summary>
    internal static (long Estimate, bool Exceeded, double Percent, double? EtaSeconds) Estimate(SwapProgress p, double rate)
    {
        var rowBound = p.Phase is SwapPhase.Copying or SwapPhase.Verifying;
        var estimate = Math.Max(Math.Max(0, p.RowsEstimated), p.RowsCopied);
        var exceeded = rowBound && p.RowsCopied > 0 && p.RowsCopied >= p.RowsEstimated;
        var percent = p.Phase == SwapPhase.Done ? 100 : estimate <= 0 ? 0 : Math.Clamp(100.0 * p.RowsCopied / estimate, 0, 100);
        double? eta = rowBound && !exceeded && rate > 0 && estimate > p.RowsCopied ? Math.Max(0, (estimate - p.RowsCopied) / rate) : null;
        return (estimate, exceeded, percent, eta);
    }

    private async Task<DbConnection?> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (connection is not null)
            return connection;
        var now = time.GetTimestamp();
        if (now < nextConnect)
            return null;
        try
        {
            connection = await database.OpenConnectionAsync(cancellationToken);
            return connection;
        }
        catch (Exception e) when (database.IsDatabaseError(e) || e is SwapException { Kind: SwapErrorKind.Connection })
        {
            nextConnect = now + (long)(options.Throttle.CheckInterval.TotalSeconds * time.TimestampFrequency);
            ControlLog.ControlUnavailable(logger, e.Message);
            return null;
        }
    }

    private async Task DropConnectionAsync(Exception e)
    {
        ControlLog.ControlUnavailable(logger, e.Message);
        if (connection is not null)
            await connection.DisposeAsync();
        connection = null;
    }

    /// <summary>
    /// The swap ended (done, failed or aborted): its live row goes, and commands that only a
    /// running swap could take (set, abort, cut-over) are marked as not taken, so a later swap
    /// never acts on them.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!Enabled)
            return;
        SwapMetrics.SetBacklog(scriptId, null);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            connection ??= await database.OpenConnectionAsync(cts.Token);
            if (started)
            {
                await store.DeleteLiveAsync(connection, scriptId, cts.Token);
                foreach (var command in await store.PendingAsync(connection, cts.Token))
                {
                    if (command.Command is ControlCommand.Set or ControlCommand.Abort or ControlCommand.CutOver)
                        await store.MarkHandledAsync(connection, command.Id, time.GetUtcNow().UtcDateTime, $"not taken: the {Operation} of {string.Join(", ", tableNames)} ended first", cts.Token);
                }
            }
        }
        catch (Exception e) when (database.IsDatabaseError(e) || e is OperationCanceledException or SwapException)
        {
            // The live row is advisory; the next swap of this script overwrites it.
        }
        finally
        {
            if (connection is not null)
                await connection.DisposeAsync();
            connection = null;
            if (throttler is not null)
                await throttler.DisposeAsync();
        }
    }
}
