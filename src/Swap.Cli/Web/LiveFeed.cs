namespace Swap.Cli.Web;

/// <summary>
/// The live status as every open page sees it: read from Swap's live-status table (what any runner,
/// CLI or console, publishes about once a second), at most once a second however many pages watch,
/// with the recent samples of each swap kept for the progress chart (also after the swap ended, until
/// another starts).
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
