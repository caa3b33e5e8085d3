using System.Globalization;
using Swap.Engine;

namespace Swap.Cli.Output;

/// <summary>
/// Swap progress on stderr, and the one way lines reach stderr while it shows. Every phase that
/// ends leaves a line saying what it did (<c>swap items: copied 200,000 rows in 3.1 s</c>). On a
/// terminal a live bar is redrawn in place below those lines: each redraw returns to the line's
/// start, writes at most the terminal's width and erases the rest, and log lines, errors and the
/// Ctrl+C message are written above it, never onto it. When piped, long copies and verifications
/// also print a progress line every few seconds.
/// </summary>
internal sealed class ProgressView(TextWriter writer, bool terminal, TimeProvider time, Func<int>? width = null) : IProgress<SwapProgress>
{
    /// <summary>Erase from the cursor to the end of the line.</summary>
    private const string EraseLine = "\u001b[K";
    private static readonly TimeSpan PipedInterval = TimeSpan.FromSeconds(5);
    private readonly Lock gate = new();
    private Current? current;
    private long? swapStarted;
    private long lastLine;
    private string? bar;
    private SwapProgress? lastDone;

    /// <summary>Whether a bar is drawn and live on the last line.</summary>
    public bool BarShown
    {
        get
        {
            lock (gate)
                return bar is not null;
        }
    }

    public void Report(SwapProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (gate)
        {
            // The engine reports the end once per table of a swap; the swap ends once.
            if (value.Phase == SwapPhase.Done && lastDone is { } done && done.ScriptId == value.ScriptId && done.Tables.SequenceEqual(value.Tables))
                return;
            lastDone = value.Phase == SwapPhase.Done ? value : null;
            var now = time.GetTimestamp();
            swapStarted ??= now;
            var changed = current is null || current.Phase != value.Phase || (current.Table != value.Table && !ForWholeSwap(value.Phase));
            if (changed && current is not null)
                WriteAboveBar(Finished(current.Last, time.GetElapsedTime(current.Started, now)));
            if (changed)
                current = new Current(value.Phase, value.Table, now, value);
            current!.Last = value;
            if (value.Phase == SwapPhase.Done)
            {
                ClearBar();
                WriteAboveBar($"swap {string.Join(", ", value.Tables)}: done in {Durations.Format(time.GetElapsedTime(swapStarted.Value, now))}");
                current = null;
                swapStarted = null;
            }
            else if (terminal)
            {
                DrawBar(Bar(value));
            }
            else if (value.Phase is SwapPhase.Copying or SwapPhase.Verifying or SwapPhase.Reverting && !changed && time.GetElapsedTime(lastLine, now) >= PipedInterval)
            {
                writer.WriteLine(Line(value));
                lastLine = now;
            }
            if (changed)
                lastLine = now;
            writer.Flush();
        }
    }

    /// <summary>Writes a whole line (a log line, an error) above the bar, which is redrawn below it.</summary>
    public void WriteLine(string line)
    {
        lock (gate)
        {
            WriteAboveBar(line);
            writer.Flush();
        }
    }

    /// <summary>Ends the bar's line, so what follows (an error, the Ctrl+C message) starts on its own line.</summary>
    public void EndLine()
    {
        lock (gate)
        {
            if (bar is null)
                return;
            writer.WriteLine();
            writer.Flush();
            bar = null;
        }
    }

    private void WriteAboveBar(string line)
    {
        if (bar is null)
        {
            writer.WriteLine(line);
            return;
        }
        writer.Write("\r" + EraseLine);
        writer.WriteLine(line);
        writer.Write(bar + EraseLine);
    }

    private void DrawBar(string text)
    {
        var columns = Math.Max(20, width?.Invoke() ?? 80);
        // One column short of the width: writing into the last column wraps on some terminals.
        bar = text.Length >= columns ? text[..(columns - 1)] : text;
        writer.Write("\r" + bar + EraseLine);
    }

    private void ClearBar()
    {
        if (bar is null)
            return;
        writer.Write("\r" + EraseLine);
        bar = null;
    }

    /// <summary>The line a phase leaves when it ends: what it did and how long it took.</summary>
    internal static string Finished(SwapProgress last, TimeSpan took)
    {
        var t = Durations.Format(took);
        var rows = last.RowsCopied.ToString("N0", CultureInfo.InvariantCulture);
        var what = last.Phase switch
        {
            SwapPhase.Preflight => $"checked in {t}",
            SwapPhase.CreatingCopy => $"created the copy in {t}",
            SwapPhase.InstallingCapture => $"installed capture in {t}",
            SwapPhase.Copying => $"copied {rows} rows in {t}",
            SwapPhase.BuildingIndexes => $"built indexes on the copy in {t}",
            SwapPhase.Verifying => last.RowsCopied > 0 ? $"verified {rows} rows in {t}" : $"verified in {t}",
            SwapPhase.Reverting => $"applied {rows} write(s) made since the cut-over to the old table in {t}",
            SwapPhase.WaitingForCutOver => $"waited for 'swap cut-over' for {t}",
            SwapPhase.CuttingOver => $"cut over in {t}",
            SwapPhase.RemovingCapture => $"removed capture in {t}",
            SwapPhase.DroppingOld => $"dropped the old table in {t}",
            _ => $"done in {t}",
        };
        return $"swap {Named(last)}: {what}";
    }

    /// <summary>
    /// Phases that act on every table of the swap at once (one set of capture triggers installed in
    /// one transaction, one cut-over renaming them all), though the engine may report them per table;
    /// and the index builds, which on PostgreSQL go key by key per table and then, beside
    /// verification, every table's secondary indexes on one connection: one line for all of them.
    /// </summary>
    private static bool ForWholeSwap(SwapPhase phase) => phase is SwapPhase.InstallingCapture or SwapPhase.BuildingIndexes or SwapPhase.WaitingForCutOver or SwapPhase.CuttingOver;

    /// <summary>The table a line names: every table of the swap for a <see cref="ForWholeSwap"/> phase.</summary>
    private static string Named(SwapProgress p) => ForWholeSwap(p.Phase) ? string.Join(", ", p.Tables) : p.Table;

    internal static string Line(SwapProgress p)
    {
        var phase = Phase(p.Phase);
        if (p.Phase == SwapPhase.Reverting)
            return string.Create(CultureInfo.InvariantCulture, $"swap {p.Table}: {phase}, {p.RowsCopied:N0} so far");
        if (p.Phase is not (SwapPhase.Copying or SwapPhase.Verifying))
            return $"swap {Named(p)}: {phase}";
        var eta = p.Eta is { } e ? ", ETA " + Durations.Format(e) : "";
        return string.Create(CultureInfo.InvariantCulture, $"swap {p.Table}: {phase} {p.RowsCopied:N0} of ~{p.RowsEstimated:N0} rows ({p.Fraction:P0}), {p.RowsPerSecond:N0} rows/s{eta}");
    }

    private static string Bar(SwapProgress p)
    {
        if (p.Phase is not (SwapPhase.Copying or SwapPhase.Verifying))
            return Line(p) + " ...";
        const int cells = 20;
        var filled = (int)Math.Round(p.Fraction * cells);
        return $"[{new string('#', filled)}{new string('.', cells - filled)}] " + Line(p);
    }

    private static string Phase(SwapPhase phase) => phase switch
    {
        SwapPhase.Preflight => "checking",
        SwapPhase.CreatingCopy => "creating the copy",
        SwapPhase.InstallingCapture => "installing capture",
        SwapPhase.Copying => "copying",
        SwapPhase.BuildingIndexes => "building indexes on the copy",
        SwapPhase.Verifying => "verifying",
        SwapPhase.WaitingForCutOver => "waiting for 'swap cut-over'",
        SwapPhase.CuttingOver => "cutting over",
        SwapPhase.RemovingCapture => "removing capture",
        SwapPhase.DroppingOld => "dropping the old table",
        SwapPhase.Reverting => "applying the writes made since the cut-over to the old table",
        _ => "done",
    };

    private sealed class Current(SwapPhase phase, string table, long started, SwapProgress last)
    {
        public SwapPhase Phase { get; } = phase;
        public string Table { get; } = table;
        public long Started { get; } = started;
        public SwapProgress Last { get; set; } = last;
    }
}
