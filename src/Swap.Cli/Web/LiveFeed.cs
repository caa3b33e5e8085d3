using Microsoft.Extensions.Logging;

namespace Swap.Cli.Web;

/// <summary>
/// The live status as every open page sees it: read from Swap's live-status table (what any runner,
/// CLI or console, publishes about once a second), at most once a second however many pages watch,
/// with the recent samples of each swap kept for the progress chart (also after the swap ended, until
/// another starts). <see cref="RecordAsync"/> keeps reading while no page is open, so a page opened
/// in the middle of a swap charts it from where the console first saw it, not from when the page opened.
/// </summary>
internal sealed class LiveFeed(ConsoleTarget target)
{
    private const int MaxSamples = 1200;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, List<LiveSample>> samples = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTime> starts = new(StringComparer.Ordinal);
    private LiveReport? last;
    private long lastRead;

    /// <summary>The live report (cached for just under a second) and the samples so far.</summary>
    public async Task<(LiveReport Report, IReadOnlyDictionary<string, LiveSample[]> Samples)> ReadAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var time = target.Time;
            if (last is null || time.GetElapsedTime(lastRead) >= TimeSpan.FromMilliseconds(900))
            {
                last = await target.Reader().ReportAsync(10, cancellationToken);
                lastRead = time.GetTimestamp();
                Record(last);
            }
            return (last, samples.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal));
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>How often <see cref="RecordAsync"/> reads while a swap runs, and while none does.</summary>
    internal static readonly TimeSpan RecordEvery = TimeSpan.FromSeconds(1), IdleEvery = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Reads the live status in the background until <paramref name="cancellationToken"/> ends the
    /// console: every second while a swap runs, every two seconds otherwise. A read that fails (the
    /// database restarting, a dropped connection) is logged once and tried again at the next tick.
    /// </summary>
    public async Task RecordAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var failing = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var every = IdleEvery;
            try
            {
                every = await RecordOnceAsync(cancellationToken) ? RecordEvery : IdleEvery;
                failing = false;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Whatever the read met, the console goes on serving; pages reading /api/live see the error themselves.
                if (!failing)
                    WebLog.LiveReadFailed(logger, e.Message);
                failing = true;
            }
            try
            {
                await Task.Delay(every, target.Time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One background read, for the chart only: the report pages are served stays the one a page
    /// read (so a page, or a client calling /api/live right after an action, never gets a report up
    /// to a second older than its request because the recorder read just before); skipped while
    /// pages read often enough themselves. True when a swap is running.
    /// </summary>
    private async Task<bool> RecordOnceAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (last is not null && target.Time.GetElapsedTime(lastRead) < RecordEvery)
                return last.Running.Count > 0;
            var report = await target.Reader().ReportAsync(10, cancellationToken);
            Record(report);
            return report.Running.Count > 0;
        }
        finally
        {
            gate.Release();
        }
    }

    private void Record(LiveReport report)
    {
        foreach (var swap in report.Running)
        {
            // A new swap, also the same script's run again (after an abort, or resumed): the chart shows it alone.
            if (!samples.TryGetValue(swap.ScriptId, out var list) || !starts.TryGetValue(swap.ScriptId, out var start) || start != swap.StartedAtUtc)
            {
                samples.Clear();
                starts.Clear();
                samples[swap.ScriptId] = list = [];
                starts[swap.ScriptId] = swap.StartedAtUtc;
            }
            if (list.Count > 0 && list[^1].At == swap.UpdatedAtUtc)
                continue;
            list.Add(new LiveSample(swap.UpdatedAtUtc, swap.Phase, swap.Table, swap.Rows, swap.Percent, swap.RowsPerSecond, swap.Backlog, swap.Paused, swap.Throttled));
            if (list.Count > MaxSamples)
                list.RemoveRange(0, list.Count - MaxSamples);
        }
    }
}

/// <summary>One point of the progress chart.</summary>
internal sealed record LiveSample(DateTime At, string Phase, string Table, long Rows, double Percent, double RowsPerSecond, long? Backlog, bool Paused, bool Throttled);
