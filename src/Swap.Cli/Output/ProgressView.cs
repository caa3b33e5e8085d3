using System.Globalization;
using Swap.Engine;

namespace Swap.Cli.Output;

/// <summary>
/// Shows swap progress on stderr: a redrawn bar on a terminal, and a line per phase change and
/// every few seconds when piped (so logs of long runs stay readable).
/// </summary>
internal sealed class ProgressView(TextWriter writer, bool terminal, TimeProvider time) : IProgress<SwapProgress>
{
    private static readonly TimeSpan PipedInterval = TimeSpan.FromSeconds(5);
    private readonly Lock gate = new();
    private SwapPhase? lastPhase;
    private string? lastTable;
    private long lastLine;
    private bool barDrawn;

    public void Report(SwapProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (gate)
        {
            var changed = value.Phase != lastPhase || value.Table != lastTable;
            if (terminal)
            {
                if (changed && barDrawn)
                    writer.WriteLine();
                writer.Write("\r" + Bar(value));
                barDrawn = true;
                if (value.Phase == SwapPhase.Done)
                {
                    writer.WriteLine();
                    barDrawn = false;
                }
            }
            else if (changed || time.GetElapsedTime(lastLine) >= PipedInterval)
            {
                writer.WriteLine(Line(value));
                lastLine = time.GetTimestamp();
            }
            writer.Flush();
            lastPhase = value.Phase;
            lastTable = value.Table;
        }
    }

    /// <summary>Ends the bar's line, so what follows (an error, the Ctrl+C message) starts on its own line.</summary>
    public void EndLine()
    {
        lock (gate)
        {
            if (!barDrawn)
                return;
            writer.WriteLine();
            writer.Flush();
            barDrawn = false;
        }
    }

    internal static string Line(SwapProgress p)
    {
        var phase = Phase(p.Phase);
        if (p.Phase is not (SwapPhase.Copying or SwapPhase.Verifying))
            return $"swap {p.Table}: {phase}";
        var eta = p.Eta is { } e ? ", ETA " + Durations.Format(e) : "";
        return string.Create(CultureInfo.InvariantCulture, $"swap {p.Table}: {phase} {p.RowsCopied:N0} of ~{p.RowsEstimated:N0} rows ({p.Fraction:P0}), {p.RowsPerSecond:N0} rows/s{eta}");
    }

    private static string Bar(SwapProgress p)
    {
        if (p.Phase is not (SwapPhase.Copying or SwapPhase.Verifying))
            return $"{Line(p),-100}";
        const int width = 30;
        var filled = (int)Math.Round(p.Fraction * width);
        return $"[{new string('#', filled)}{new string('.', width - filled)}] " + Line(p).PadRight(80);
    }

    private static string Phase(SwapPhase phase) => phase switch
    {
        SwapPhase.Preflight => "checking",
        SwapPhase.CreatingCopy => "creating the copy",
        SwapPhase.InstallingCapture => "installing capture",
        SwapPhase.Copying => "copying",
        SwapPhase.BuildingIndexes => "building indexes on the copy",
        SwapPhase.Verifying => "verifying",
        SwapPhase.CuttingOver => "cutting over",
        SwapPhase.RemovingCapture => "removing capture",
        SwapPhase.DroppingOld => "dropping the old table",
        _ => "done",
    };
}
