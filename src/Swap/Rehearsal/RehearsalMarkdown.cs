using System.Globalization;
using System.Text;

namespace Swap.Rehearsal;

/// <summary>The report as markdown, for a pull request or a change ticket.</summary>
internal static class RehearsalMarkdown
{
    public static string Write(RehearsalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.AppendLine("# Swap rehearsal").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- staging: `{report.Staging}` ({report.StagingVersion ?? report.Engine})");
        if (report.ClonedFrom is not null)
            md.AppendLine(CultureInfo.InvariantCulture, $"- cloned from: `{report.ClonedFrom}`");
        if (report.Production is not null)
            md.AppendLine(CultureInfo.InvariantCulture, $"- production (read only): `{report.Production}` ({report.ProductionVersion})");
        md.AppendLine(CultureInfo.InvariantCulture, $"- started: {report.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC; took {Durations.Format(report.Duration)} on staging");
        if (report.ProjectedDuration is { } total)
            md.AppendLine(CultureInfo.InvariantCulture, $"- projected for production: {Durations.Format(total)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- result: {(report.Succeeded ? "every pending script ran" : $"stopped at a failing script (exit code {report.ExitCode})")}").AppendLine();

        foreach (var script in report.Scripts)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## {script.Id}").AppendLine();
            var projected = script.ProjectedDuration is { } p ? $" (projected for production: {Durations.Format(p)})" : "";
            md.AppendLine(CultureInfo.InvariantCulture, $"{script.Kind}, {script.Mode ?? "-"}: **{script.Outcome}** in {Durations.Format(script.Duration)}{projected}").AppendLine();
            if (script.Error is not null)
                md.AppendLine(CultureInfo.InvariantCulture, $"> {Cell(script.Error)}").AppendLine();
            if (script.Steps.Count == 0)
                continue;
            md.AppendLine("| step | what | method | took | rows copied | rows/s | log applied | cut-over attempts | writes p99 | projected | projection rests on |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var s in script.Steps)
            {
                var attempts = s.CutOverAttempts.Count == 0 ? "" : string.Join(", ", s.CutOverAttempts.Select(a => $"{RehearsalVerdict.Ms(a.Duration)} {(a.Succeeded ? "ok" : "no lock")}"));
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {s.Step} | {Cell(s.Description)}{(s.Error is null ? "" : " **failed:** " + Cell(s.Error))} | {s.Method} | {Durations.Format(s.Duration)} | {s.RowsCopied?.ToString("N0", CultureInfo.InvariantCulture)} | {s.RowsPerSecond?.ToString("N0", CultureInfo.InvariantCulture)} | {s.LogRowsApplied?.ToString("N0", CultureInfo.InvariantCulture)} | {attempts} | {StepLoadCell(s.Load)} | {(s.ProjectedDuration is { } pd ? Durations.Format(pd) : "")} | {Cell(s.ProjectionBasis ?? "")} |");
            }
            md.AppendLine();
            foreach (var s in script.Steps.Where(s => s.Phases.Count > 0))
            {
                var phases = string.Join("; ", s.Phases.Select(p => $"{p.Phase} {p.Table} {Durations.Format(p.Duration)}"));
                md.AppendLine(CultureInfo.InvariantCulture, $"Phases of step {s.Step}: {phases}").AppendLine();
            }
        }

        if (report.ProductionTables.Count > 0)
        {
            md.AppendLine("## Production tables (read only)").AppendLine();
            md.AppendLine("| table | rows | from | table size | index size | staging rows |");
            md.AppendLine("|---|---|---|---|---|---|");
            foreach (var t in report.ProductionTables)
                md.AppendLine(CultureInfo.InvariantCulture, $"| {t.Table} | {t.Rows:N0} | {t.RowsBasis} | {Bytes(t.TableBytes)} | {Bytes(t.IndexBytes)} | {t.StagingRows?.ToString("N0", CultureInfo.InvariantCulture)} |");
            md.AppendLine();
        }
        if (report.ProjectionNotes.Count > 0)
        {
            md.AppendLine("## What the projection rests on").AppendLine();
            foreach (var note in report.ProjectionNotes)
                md.AppendLine("- " + note);
            md.AppendLine();
        }
        if (report.Load is { } load)
        {
            md.AppendLine("## Under load").AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"A writer updated one row at a time at {load.Rate:0.#} writes/s on {(load.Tables.Count == 0 ? "no table" : string.Join(", ", load.Tables))}{(load.Skipped.Count == 0 ? "" : $" (left alone: {string.Join("; ", load.Skipped)})")}.").AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"- before the first script: {LoadCell(load.Baseline)}");
            md.AppendLine(CultureInfo.InvariantCulture, $"- during the rehearsal: {LoadCell(load.During)}").AppendLine();
        }
        md.AppendLine("## Staging against the plan").AppendLine();
        if (report.SchemaChecks.Count == 0)
            md.AppendLine("No script changed a table through the table API, so the plan promised no table's shape.").AppendLine();
        foreach (var check in report.SchemaChecks)
            md.AppendLine(CultureInfo.InvariantCulture, $"- {check.Table} (promised by {check.Script}): **{check.Outcome}**{(check.Differences.Count == 0 ? "" : ": " + Cell(string.Join("; ", check.Differences)))}");
        if (report.Status is { } status)
        {
            var verdict = status.Differences.Count == 0
                ? $"It is what `status` on production will be after `up` (from {status.Basis})."
                : $"It differs from what `status` on production will be after `up` (from {status.Basis}):";
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"`status` on staging: {string.Join(", ", status.Staging)}. {verdict}");
            foreach (var difference in status.Differences)
                md.AppendLine("- " + Cell(difference));
        }
        md.AppendLine();
        md.AppendLine("## Verdict").AppendLine();
        foreach (var script in report.Scripts)
            md.AppendLine(CultureInfo.InvariantCulture, $"- **{script.Id}**: {Cell(script.Verdict)}");
        return md.ToString();
    }

    /// <summary>"p99 12 ms (p50 3 ms, max 40 ms) over 57 writes, 1 failed", or empty without writes.</summary>
    internal static string LoadCell(WriteLatency? w) => w is null
        ? ""
        : $"p99 {Latency(w.P99)} (p50 {Latency(w.P50)}, max {Latency(w.Max)}) over {Writes(w.Writes)}{(w.Failed > 0 ? $", {w.Failed.ToString("N0", CultureInfo.InvariantCulture)} failed" : "")}";

    /// <summary>A step's cell: "843 ms, 2 writes" (the p99), with failures.</summary>
    internal static string StepLoadCell(WriteLatency? w) => w is null
        ? ""
        : $"{Latency(w.P99)}, {Writes(w.Writes)}{(w.Failed > 0 ? $", {w.Failed.ToString("N0", CultureInfo.InvariantCulture)} failed" : "")}";

    private static string Writes(int n) => n.ToString("N0", CultureInfo.InvariantCulture) + (n == 1 ? " write" : " writes");

    /// <summary>A write's latency: tenths of a millisecond below 10 ms.</summary>
    private static string Latency(TimeSpan t) =>
        (t.TotalMilliseconds < 10 ? t.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) : Math.Round(t.TotalMilliseconds).ToString("N0", CultureInfo.InvariantCulture)) + " ms";

    internal static string Bytes(long? bytes) => bytes switch
    {
        null => "",
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => ((double)bytes / 1024).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => ((double)bytes / 1024 / 1024).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        _ => ((double)bytes / 1024 / 1024 / 1024).ToString("0.##", CultureInfo.InvariantCulture) + " GiB",
    };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
