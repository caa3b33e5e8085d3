using System.Data.Common;
using System.Globalization;
using Swap.Control;
using Swap.Data;

namespace Swap.Engine;

internal sealed partial class SwapOperation
{
    private const int MaxRecentKeys = 10_000;

    private SwapController? controller;

    private readonly Dictionary<string, List<object?[]>> recentKeys = new(StringComparer.Ordinal);

    /// <summary>The target chunk time in force: the options', or an operator's <c>swap set chunk-time</c>.</summary>
    /// <summary>The chunk target time: an operator's live setting, else the run's option, else the engine's default (50 ms on SQLite, 500 ms elsewhere).</summary>
    private TimeSpan ChunkTargetTime => controller?.Settings.ChunkTargetTime ?? options.ChunkTargetTime ?? engine.DefaultChunkTime;

    /// <summary>A chunk or applier-batch boundary: operator commands, pause and throttles (see <see cref="SwapController"/>).</summary>
    private Task ControlPointAsync() => controller?.BoundaryAsync(Token) ?? Task.CompletedTask;

    private async Task<SwapController> StartControllerAsync()
    {
        if (options.PostponeCutOver)
            data.PostponeCutOver = true;
        var c = SwapController.Create(session.Run, session.Script.Id, TableNames, engine.Online && !state.InTransaction);
        c.Postponed = data.PostponeCutOver && !data.CutOverApproved;
        c.Backlog = CountBacklogAsync;
        try
        {
            await c.StartAsync(Token);
        }
        catch
        {
            await c.DisposeAsync();
            throw;
        }
        controller = c;
        return c;
    }

    private async Task<long> CountBacklogAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // The change logs exist from capture's installation until its removal.
        if (Stage < SwapStage.CaptureInstalled || Stage >= SwapStage.CaptureRemoved)
            return 0;
        var total = 0L;
        foreach (var spec in specs)
            total += Convert.ToInt64(await connection.ScalarAsync($"SELECT COUNT(*) FROM {engine.Dialect.Quote(spec.Names.Log)}", cancellationToken), CultureInfo.InvariantCulture);
        return total;
    }

    /// <summary>
    /// <c>up --postpone-cut-over</c>: with everything before the cut-over done, keep the copy
    /// current (capture records, the applier applies) and re-verify the keys it changed every
    /// <see cref="OnlineSwapOptions.PostponedVerifyInterval"/>, until <c>swap cut-over</c>. The
    /// approval is journaled, so a run killed after it cuts over when resumed, and one killed before
    /// it waits again.
    /// </summary>
    private async Task WaitForCutOverAsync()
    {
        if (controller is not { Enabled: true } c || !data.PostponeCutOver || data.CutOverApproved)
            return;
        // Journal the postponement (a run started with the flag at a later stage has not saved it yet).
        await SaveDataAsync();
        ControlLog.CutOverPostponed(logger, session.Script.Id, string.Join(", ", TableNames));
        applier.KeysApplied = RememberKeys;
        var time = session.Run.Time;
        var nextVerify = time.GetTimestamp();
        try
        {
            while (!c.CutOverApproved)
            {
                foreach (var spec in specs)
                    Report(spec, SwapPhase.WaitingForCutOver, data.Table(spec.Original.Name).Copied, 0);
                await ControlPointAsync();
                await c.PollNowAsync(Token);
                if (c.CutOverApproved)
                    break;
                await CatchUpAsync();
                if (time.GetTimestamp() >= nextVerify)
                {
                    await ReverifyRecentKeysAsync();
                    nextVerify = time.GetTimestamp() + (long)(options.PostponedVerifyInterval.TotalSeconds * time.TimestampFrequency);
                }
                await Task.Delay(options.Throttle.CheckInterval, time, Token);
            }
        }
        finally
        {
            applier.KeysApplied = null;
        }
        data.CutOverApproved = true;
        await SaveDataAsync();
    }

    /// <summary>Writes the journal data under the current stage (no new stage, no fault point).</summary>
    private async Task SaveDataAsync()
    {
        await EnsureRunLockAsync();
        await state.SaveAsync(Stage.Name(), data.Write(), null);
    }

    private void RememberKeys(SwapSpec spec, IReadOnlyList<object?[]> keys)
    {
        if (!recentKeys.TryGetValue(spec.Original.Name, out var list))
            recentKeys[spec.Original.Name] = list = [];
        foreach (var key in keys)
        {
            if (list.Count >= MaxRecentKeys)
                list.RemoveAt(0);
            list.Add(key);
        }
    }

    /// <summary>Compares the copy with the original for the keys applied since the last check; a difference stops before the swap, like verification.</summary>
    private async Task ReverifyRecentKeysAsync()
    {
        foreach (var spec in specs)
        {
            if (!recentKeys.Remove(spec.Original.Name, out var keys) || keys.Count == 0)
                continue;
            foreach (var batch in keys.Chunk(500))
            {
                var parameters = KeyRange.InParameters("a", batch).ToList();
                var missing = await FirstAsync(RecentKeyQueries.MissingOrDifferent(engine, spec, batch.Length), parameters);
                var extra = missing is null ? await FirstAsync(RecentKeyQueries.Extra(engine, spec, batch.Length), parameters) : null;
                if (missing is not null || extra is not null)
                    await FailVerificationAsync(spec, missing, extra);
            }
            ControlLog.Reverified(logger, session.Script.Id, spec.Original.Name, keys.Count);
        }
    }
}
