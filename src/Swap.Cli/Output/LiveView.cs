using System.Globalization;
using Swap.Control;

namespace Swap.Cli.Output;

/// <summary>Renders <c>status --live</c>: what the running swap published, in words or as JSON.</summary>
internal static class LiveView
{
    public static void Render(Invocation invocation, LiveReport report, bool json)
    {
        if (json)
        {
            // One compact document per line, so '--watch --json' is a stream of JSON lines.
            invocation.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(ToJson(report), CompactJson));
            invocation.Out.Flush();
            return;
        }
        var w = invocation.Out;
        if (report.Swaps.Count == 0)
        {
            w.WriteLine($"{report.Target}: no swap is running");
            if (report.PauseInForce is { } pause)
                w.WriteLine($"  paused: a pause sent by {pause.SentBy} at {pause.SentAtUtc:yyyy-MM-dd HH:mm:ss} UTC is in force: the next swap starts paused; 'swap resume' lifts it");
        }
        foreach (var s in report.Swaps)
        {
            var running = report.LockHolder is not null;
            var resumedBy = s.Operation == "revert" ? $"swap revert {s.ScriptId}" : "swap up";
            w.WriteLine($"{s.ScriptId}: {s.Operation} of {string.Join(", ", s.Tables)} {(running ? "running" : $"STOPPED (no run holds the lock; '{resumedBy}' resumes it)")} on {s.Host} pid {s.Pid} ({s.Runner}), last update {s.UpdatedAtUtc:yyyy-MM-dd HH:mm:ss} UTC");
            w.WriteLine($"  phase: {Phase(s)}");
            if (s.Backlog is { } backlog)
                w.WriteLine($"  backlog: {backlog.ToString("N0", CultureInfo.InvariantCulture)} change-log row(s)");
            if (s.Paused)
                w.WriteLine($"  PAUSED by {s.PausedBy} since {s.PausedSinceUtc:yyyy-MM-dd HH:mm:ss} UTC; 'swap resume' continues");
            if (s.Throttled)
                w.WriteLine($"  THROTTLED since {s.ThrottledSinceUtc:yyyy-MM-dd HH:mm:ss} UTC: {s.ThrottleReason}");
            if (s.Postponed)
                w.WriteLine("  cut-over postponed: 'swap cut-over' lets it happen");
            if (s.CutOverApproved)
                w.WriteLine(s.Paused ? "  cut-over approved: it happens after 'swap resume'" : "  cut-over approved: it happens as soon as the swap is ready");
            w.WriteLine($"  settings: {string.Join(", ", s.Settings.Select(kv => kv.Key + " " + kv.Value))}");
        }
        foreach (var c in report.RecentCommands.Take(5))
            w.WriteLine($"command\t{c.SentAtUtc:yyyy-MM-dd HH:mm:ss}\t{c.Command.Name()}{(c.Argument is null ? "" : " " + c.Argument)}\tby {c.SentBy}\t{(c.Handled ? c.Outcome : "pending")}");
        w.Flush();
    }

    private static readonly System.Text.Json.JsonSerializerOptions CompactJson = new(Json.Terminal) { WriteIndented = false };

    private static string Phase(LiveSwapStatus s)
    {
        var rows = s.Rows.ToString("N0", CultureInfo.InvariantCulture);
        var text = $"{s.Phase} {s.Table}";
        if (s.Phase == "Reverting")
            return text + $", {rows} change-log row(s) applied";
        if (s.Phase is "Copying" or "Verifying")
        {
            text += s.EstimateExceeded
                ? $", {rows} rows (at or past the estimate of the engine; no ETA rather than a wrong one)"
                : $", {rows} of ~{s.RowsEstimated.ToString("N0", CultureInfo.InvariantCulture)} rows ({s.Percent.ToString("0.0", CultureInfo.InvariantCulture)}%)";
            text += $", {s.RowsPerSecond.ToString("N0", CultureInfo.InvariantCulture)} rows/s";
            if (s.EtaSeconds is { } eta)
                text += ", ETA " + Durations.Format(TimeSpan.FromSeconds(eta));
        }
        return text;
    }

    internal static object ToJson(LiveReport report) => new
    {
        target = report.Target,
        lockHolder = report.LockHolder,
        running = report.LockHolder is not null && report.Swaps.Count > 0,
        swaps = report.Swaps,
        pauseInForce = report.PauseInForce is { } p ? new { sentBy = p.SentBy, sentAt = p.SentAtUtc } : null,
        commands = report.RecentCommands.Select(c => new { id = c.Id, command = c.Command.Name(), argument = c.Argument, sentBy = c.SentBy, sentAt = c.SentAtUtc, takenAt = c.HandledAtUtc, outcome = c.Outcome }),
    };
}
