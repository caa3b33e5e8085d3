namespace Swap.Scenarios.Online.Load;

/// <summary>Writer latency over a window: count, achieved rate, p50, p99, p99.9, max (ms), and the time of the max.</summary>
internal sealed record LatencyStats(int Count, double Rate, double P50, double P99, double P999, double Max, double MaxAt)
{
    public static LatencyStats Of(IEnumerable<WriteSample> samples, double from, double to) =>
        Of(samples.Where(s => s.Intended >= from && s.Intended < to).ToList(), to - from);

    /// <summary>
    /// The writer before the change (meant to start and done before 0) and during it (meant to start
    /// during it, or meant before and still waiting when it started: those waited for the change).
    /// </summary>
    public static (LatencyStats Before, LatencyStats During) Split(IReadOnlyList<WriteSample> samples, double end)
    {
        static double Done(WriteSample s) => s.Intended + (s.LatencyMs / 1000);
        var before = samples.Where(s => s.Intended < 0 && Done(s) < 0).ToList();
        var during = samples.Where(s => (s.Intended >= 0 && s.Intended < end) || (s.Intended < 0 && Done(s) >= 0)).ToList();
        var from = before.Count > 0 ? before.Min(s => s.Intended) : 0;
        return (Of(before, -from), Of(during, end));
    }

    private static LatencyStats Of(List<WriteSample> window, double seconds)
    {
        if (window.Count == 0)
            return new LatencyStats(0, 0, 0, 0, 0, 0, 0);
        var sorted = window.Select(s => s.LatencyMs).Order().ToArray();
        var max = window.MaxBy(s => s.LatencyMs);
        return new LatencyStats(
            window.Count,
            window.Count / Math.Max(1e-9, seconds),
            Percentile(sorted, 0.50),
            Percentile(sorted, 0.99),
            Percentile(sorted, 0.999),
            sorted[^1],
            max.Intended);
    }

    /// <summary>Nearest-rank percentile of an ascending array.</summary>
    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
