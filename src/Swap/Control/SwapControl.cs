using System.Data.Common;
using Swap.Control;
using Swap.Dialects;
using Swap.Engine;
using Swap.History;
using Swap.Journal;
using Swap.Locking;

namespace Swap;

/// <summary>
/// Operators' hand on a running swap, from any host that can reach the database: commands go in
/// Swap's control table, where the running swap takes them at its next chunk boundary and records
/// what it did; its live status comes back the same way. <c>swap pause|resume|set|cut-over|abort</c>
/// and <c>swap status --live</c> are this class on the command line.
/// </summary>
public sealed class SwapControl
{
    private readonly SwapDatabase database;
    private readonly ControlStore store;
    private readonly RunnerTables tables;
    private readonly TimeProvider time;

    /// <summary>
    /// Control of the swaps on <paramref name="database"/>, through the control and live-status tables of
    /// <paramref name="tables"/> (default <see cref="RunnerTables.Default"/>: use the runner's own names);
    /// <paramref name="time"/> stamps the commands (default the system clock).
    /// </summary>
    public SwapControl(SwapDatabase database, RunnerTables? tables = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
        this.tables = tables ?? RunnerTables.Default;
        this.time = time ?? TimeProvider.System;
        store = new ControlStore(database, this.tables);
    }

    /// <summary>Who the commands say sent them (default user@host pid N).</summary>
    public string SentBy { get; init; } = RunIdentity.Describe();

    /// <summary>Pauses copying and applying at the next chunk boundary; lasts until <see cref="ResumeAsync"/>, also for swaps that start later.</summary>
    public Task<ControlRecord> PauseAsync(CancellationToken cancellationToken = default) => SendAsync(ControlCommand.Pause, null, cancellationToken);

    /// <summary>Ends a pause, also one that critical load made; the swap continues at its next check.</summary>
    public Task<ControlRecord> ResumeAsync(CancellationToken cancellationToken = default) => SendAsync(ControlCommand.Resume, null, cancellationToken);

    /// <summary>Changes a live setting of the running swap (<see cref="LiveSettings.Names"/>), e.g. <c>("chunk-time", "200ms")</c>.</summary>
    public Task<ControlRecord> SetAsync(string setting, string value, CancellationToken cancellationToken = default) =>
        SendAsync(ControlCommand.Set, LiveSettings.Normalize(setting, value), cancellationToken);

    /// <summary>Lets a postponed cut-over happen now (or as soon as the swap is ready, when it is still copying).</summary>
    public Task<ControlRecord> CutOverAsync(CancellationToken cancellationToken = default) => SendAsync(ControlCommand.CutOver, null, cancellationToken);

    /// <summary>Aborts the running swap: capture, copy and change log removed, the original untouched, the script left pending.</summary>
    public Task<ControlRecord> AbortAsync(CancellationToken cancellationToken = default) => SendAsync(ControlCommand.Abort, null, cancellationToken);

    /// <summary>
    /// Records a command. <see cref="ControlCommand.Set"/> and <see cref="ControlCommand.Abort"/>
    /// need a running swap, <see cref="ControlCommand.CutOver"/> a swap that postpones its
    /// cut-over (running or interrupted); otherwise a <see cref="SwapErrorKind.NoSwapRunning"/>
    /// error says so and nothing is recorded.
    /// </summary>
    public async Task<ControlRecord> SendAsync(ControlCommand command, string? argument, CancellationToken cancellationToken = default)
    {
        if (command == ControlCommand.Set && string.IsNullOrWhiteSpace(argument))
            throw new SwapException(SwapErrorKind.Usage, $"set needs a setting and a value, like 'chunk-time 200ms'. Live settings: {string.Join(", ", LiveSettings.Names)}.");
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (command is ControlCommand.Set or ControlCommand.Abort && !await RunningAsync(connection, cancellationToken))
            {
                throw new SwapException(
                    SwapErrorKind.NoSwapRunning,
                    $"No swap is running on {database.DisplayName}, so there is nothing to {command.Name()}. 'swap status' shows what is pending or interrupted; " +
                    "'swap cleanup --script <id>' abandons an interrupted swap.");
            }
            if (command == ControlCommand.CutOver && (await PostponedAsync(connection, cancellationToken)).Count == 0)
            {
                throw new SwapException(
                    SwapErrorKind.NoSwapRunning,
                    $"No swap on {database.DisplayName} is waiting for a cut-over (started with 'swap up --postpone-cut-over'); nothing was recorded.");
            }
            await store.EnsureTablesAsync(connection, cancellationToken);
            var record = new ControlRecord(Guid.NewGuid().ToString("D"), command, argument, SentBy, time.GetUtcNow().UtcDateTime, null, null);
            await store.SendAsync(connection, record, cancellationToken);
            return record;
        }
        catch (Exception e) when (database.IsDatabaseError(e))
        {
            throw database.Translate(e, $"Send '{command.Name()}' through {tables.Control}");
        }
    }

    /// <summary>Waits until a running swap took <paramref name="sent"/> (or <paramref name="wait"/> passes) and returns the command as recorded then.</summary>
    public async Task<ControlRecord> WaitHandledAsync(ControlRecord sent, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sent);
        var started = time.GetTimestamp();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        while (true)
        {
            var now = await store.FindAsync(connection, sent.Id, cancellationToken) ?? sent;
            if (now.Handled || time.GetElapsedTime(started) >= wait)
                return now;
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
        }
    }

    /// <summary>Withdraws a command no swap took (recorded as withdrawn, with <paramref name="reason"/>); false when a swap took it meanwhile.</summary>
    public async Task<bool> WithdrawAsync(ControlRecord sent, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sent);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await store.MarkHandledAsync(connection, sent.Id, time.GetUtcNow().UtcDateTime, "withdrawn: " + reason, cancellationToken);
    }

    /// <summary>The swaps running now, as their runners last published them (a killed runner's row stays until the next swap; <see cref="LiveSwapStatus.UpdatedAtUtc"/> tells).</summary>
    public async Task<IReadOnlyList<LiveSwapStatus>> LiveAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await store.ReadLiveAsync(connection, cancellationToken);
    }

    /// <summary>What runs now: the live swaps, whether a run holds the lock (a live row without one is a stopped run's last word), and the newest commands.</summary>
    public async Task<LiveReport> ReportAsync(int commands = 10, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            var holder = await database.PeekLockHolderAsync(connection, tables.LockInfo, cancellationToken);
            var swaps = await store.ReadLiveAsync(connection, cancellationToken);
            var controlled = await store.ControlTableExistsAsync(connection, cancellationToken);
            var recent = controlled
                ? await store.RecentAsync(connection, Math.Max(1, commands), cancellationToken)
                : [];
            var pause = controlled && await store.LatestPauseOrResumeAsync(connection, cancellationToken) is { Command: ControlCommand.Pause } p ? p : null;
            return new LiveReport(database.DisplayName, swaps, holder?.ToString(), recent) { PauseInForce = pause };
        }
        catch (Exception e) when (database.IsDatabaseError(e))
        {
            throw database.Translate(e, "Read the live status");
        }
    }

    /// <summary>The newest commands, newest first: who sent what, when, and what became of it.</summary>
    public async Task<IReadOnlyList<ControlRecord>> RecentCommandsAsync(int count = 20, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        if (!await store.ControlTableExistsAsync(connection, cancellationToken))
            return [];
        return await store.RecentAsync(connection, Math.Max(1, count), cancellationToken);
    }

    /// <summary>True when a run holds the run lock and has published a live swap (one that takes commands at its next chunk).</summary>
    public async Task<bool> IsSwapRunningAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await RunningAsync(connection, cancellationToken);
        }
        catch (Exception e) when (database.IsDatabaseError(e))
        {
            throw database.Translate(e, $"Read the running swap from {tables.LiveStatus}");
        }
    }

    /// <summary>True when a run holds the run lock and has published a live swap.</summary>
    private async Task<bool> RunningAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await database.PeekLockHolderAsync(connection, tables.LockInfo, cancellationToken) is not null
        && (await store.ReadLiveAsync(connection, cancellationToken)).Count > 0;

    /// <summary>Scripts whose unfinished swap waits for a cut-over, from the journal.</summary>
    private async Task<IReadOnlyList<string>> PostponedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var journal = await new JournalStore(database, tables).ReadAllAsync(connection, cancellationToken);
        return journal
            .Where(j => j.Op == "swap" && !j.IsDone && SwapStages.Parse(j.State) < SwapStage.Swapped)
            .Where(j => SwapJournalData.Read(StepData.Result(j.Data)).PostponeCutOver)
            .Select(j => j.ScriptId)
            .ToList();
    }
}
