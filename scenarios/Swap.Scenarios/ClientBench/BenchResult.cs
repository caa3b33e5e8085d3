namespace Swap.Scenarios.ClientBench;

/// <summary>One timed pass over the benchmark query.</summary>
internal sealed record BenchResult(string Reader, long Rows, TimeSpan Elapsed, double PeakMb, string Memory)
{
    internal double RowsPerSecond => Rows / Elapsed.TotalSeconds;
}
