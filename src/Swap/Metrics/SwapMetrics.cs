using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Swap;

/// <summary>
/// The <see cref="Meter"/> named <c>Swap</c> and its instruments (documented in
/// docs/operating-online-swaps.md). Listen with a <see cref="MeterListener"/>, OpenTelemetry
/// (<c>AddMeter("Swap")</c>), <c>dotnet-counters monitor --counters Swap</c>, or
/// <c>swap up --metrics 127.0.0.1:9464</c>.
/// </summary>
public static class SwapMetrics
{
    /// <summary>The meter's name, <c>Swap</c>: what <c>AddMeter</c> and <c>dotnet-counters</c> take.</summary>
    public const string MeterName = "Swap";

    private static readonly ConcurrentDictionary<string, long> Backlogs = new(StringComparer.Ordinal);

    internal static readonly Meter Meter = new(MeterName, typeof(SwapMetrics).Assembly.GetName().Version?.ToString());

    /// <summary><c>swap.rows.copied</c> (rows): rows copied from originals into copies; tag <c>table</c>.</summary>
    internal static readonly Counter<long> RowsCopied = Meter.CreateCounter<long>("swap.rows.copied", "{row}", "Rows copied from the original into the copy");

    /// <summary><c>swap.rows.applied</c> (rows): change-log rows applied to copies; tag <c>table</c>.</summary>
    internal static readonly Counter<long> RowsApplied = Meter.CreateCounter<long>("swap.rows.applied", "{row}", "Change-log rows applied to the copy");

    /// <summary><c>swap.throttled.time</c> (s): time swaps waited at chunk boundaries; tag <c>reason</c> (<c>paused</c>, <c>throttled</c>).</summary>
    internal static readonly Counter<double> ThrottledTime = Meter.CreateCounter<double>("swap.throttled.time", "s", "Time a swap waited: throttled or paused");

    /// <summary><c>swap.chunk.time</c> (ms): the time of each copy chunk; tag <c>table</c>.</summary>
    internal static readonly Histogram<double> ChunkTime = Meter.CreateHistogram<double>("swap.chunk.time", "ms", "Time of one copy chunk");

    /// <summary><c>swap.cutover.attempts</c>: cut-over attempts; tag <c>outcome</c> (<c>succeeded</c>, <c>failed</c>).</summary>
    internal static readonly Counter<long> CutOverAttempts = Meter.CreateCounter<long>("swap.cutover.attempts", "{attempt}", "Cut-over attempts");

    /// <summary><c>swap.backlog</c> (rows): change-log rows not applied yet, per running swap; tag <c>script</c>.</summary>
    internal static readonly ObservableGauge<long> Backlog = Meter.CreateObservableGauge(
        "swap.backlog",
        () => Backlogs.Select(kv => new Measurement<long>(kv.Value, new KeyValuePair<string, object?>("script", kv.Key))),
        "{row}",
        "Change-log rows not applied yet");

    internal static void SetBacklog(string scriptId, long? rows)
    {
        if (rows is { } r)
            Backlogs[scriptId] = r;
        else
            Backlogs.TryRemove(scriptId, out _);
    }

    internal static TagList Table(string table) => new() { { "table", table } };
}
