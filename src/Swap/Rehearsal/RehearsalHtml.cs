using System.Globalization;
using System.Net;
using System.Text;

namespace Swap.Rehearsal;

/// <summary>
/// The report as one self-contained HTML page: inline CSS and an inline SVG timeline of the
/// steps and their phases; no script, font or image is fetched from anywhere.
/// </summary>
internal static class RehearsalHtml
{
    private const int LabelWidth = 300;
    private const int ChartWidth = 640;
    private const int RowHeight = 22;

    private static readonly Dictionary<string, string> Colors = new(StringComparer.Ordinal)
    {
        ["Preflight"] = "#9aa5b1",
        ["CreatingCopy"] = "#7b93db",
        ["InstallingCapture"] = "#a78bdb",
        ["Copying"] = "#3b82f6",
        ["BuildingIndexes"] = "#14b8a6",
        ["Verifying"] = "#eab308",
        ["CuttingOver"] = "#ef4444",
        ["RemovingCapture"] = "#a3a3a3",
        ["DroppingOld"] = "#737373",
        ["sql"] = "#64748b",
        ["failed"] = "#b91c1c",
    };

    public static string Write(RehearsalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Swap rehearsal</title>\n<style>\n")
         .Append("body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#1f2937;padding:0 1em}")
         .Append("h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}table{border-collapse:collapse;width:100%;margin:.5em 0}")
         .Append("th,td{border:1px solid #d1d5db;padding:3px 6px;text-align:left;vertical-align:top}th{background:#f3f4f6}")
         .Append("td.n{text-align:right;white-space:nowrap}.ok{color:#166534}.bad{color:#b91c1c}.muted{color:#6b7280}")
         .Append(".verdict li{margin:.3em 0}.legend span{display:inline-block;margin-right:1em}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}")
         .Append("svg text{font:12px system-ui,sans-serif;fill:#1f2937}\n</style></head><body>\n");
        h.Append("<h1>Swap rehearsal</h1>\n<ul>");
        Li(h, $"staging: <code>{E(report.Staging)}</code> ({E(report.StagingVersion ?? report.Engine)})");
        if (report.ClonedFrom is not null)
            Li(h, $"cloned from: <code>{E(report.ClonedFrom)}</code>");
        if (report.Production is not null)
            Li(h, $"production (read only): <code>{E(report.Production)}</code> ({E(report.ProductionVersion)})");
        Li(h, $"started {report.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC; took {E(Durations.Format(report.Duration))} on staging" +
            (report.ProjectedDuration is { } p ? $"; projected for production: <b>{E(Durations.Format(p))}</b>" : ""));
        Li(h, report.Succeeded ? "<span class=\"ok\">every pending script ran</span>" : $"<span class=\"bad\">stopped at a failing script (exit code {report.ExitCode})</span>");
        h.Append("</ul>\n<h2>Timeline</h2>\n");
        Timeline(h, report);

        foreach (var script in report.Scripts)
        {
            h.Append(CultureInfo.InvariantCulture, $"<h2>{E(script.Id)}</h2>\n<p>{E(script.Kind)}, {E(script.Mode ?? "-")}: <b class=\"{(script.Outcome == "applied" ? "ok" : "bad")}\">{E(script.Outcome)}</b> in {E(Durations.Format(script.Duration))}");
            if (script.ProjectedDuration is { } sp)
                h.Append(CultureInfo.InvariantCulture, $" (projected for production: {E(Durations.Format(sp))})");
            h.Append("</p>\n");
            if (script.Error is not null)
                h.Append(CultureInfo.InvariantCulture, $"<p class=\"bad\">{E(script.Error)}</p>\n");
            if (script.Steps.Count == 0)
                continue;
            h.Append("<table><tr><th>step</th><th>what</th><th>method</th><th>took</th><th>rows copied</th><th>rows/s</th><th>log applied</th><th>cut-over attempts</th><th>writes p99</th><th>projected</th><th>projection rests on</th></tr>\n");
            foreach (var s in script.Steps)
            {
                var attempts = string.Join(", ", s.CutOverAttempts.Select(a => $"{RehearsalVerdict.Ms(a.Duration)} {(a.Succeeded ? "ok" : "no lock")}"));
                h.Append(CultureInfo.InvariantCulture,
                    $"<tr><td class=\"n\">{s.Step}</td><td>{E(s.Description)}{(s.Error is null ? "" : $"<br><span class=\"bad\">{E(s.Error)}</span>")}</td><td>{E(s.Method)}</td><td class=\"n\">{E(Durations.Format(s.Duration))}</td>" +
                    $"<td class=\"n\">{s.RowsCopied?.ToString("N0", CultureInfo.InvariantCulture)}</td><td class=\"n\">{s.RowsPerSecond?.ToString("N0", CultureInfo.InvariantCulture)}</td><td class=\"n\">{s.LogRowsApplied?.ToString("N0", CultureInfo.InvariantCulture)}</td><td>{E(attempts)}</td><td class=\"n\">{E(RehearsalMarkdown.StepLoadCell(s.Load))}</td>" +
                    $"<td class=\"n\">{(s.ProjectedDuration is { } pd ? E(Durations.Format(pd)) : "")}</td><td class=\"muted\">{E(s.ProjectionBasis)}</td></tr>\n");
            }
            h.Append("</table>\n");
        }
        if (report.ProductionTables.Count > 0)
        {
            h.Append("<h2>Production tables (read only)</h2>\n<table><tr><th>table</th><th>rows</th><th>from</th><th>table size</th><th>index size</th><th>staging rows</th></tr>\n");
            foreach (var t in report.ProductionTables)
            {
                h.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{E(t.Table)}</td><td class=\"n\">{t.Rows.ToString("N0", CultureInfo.InvariantCulture)}</td><td>{E(t.RowsBasis)}</td><td class=\"n\">{E(RehearsalMarkdown.Bytes(t.TableBytes))}</td><td class=\"n\">{E(RehearsalMarkdown.Bytes(t.IndexBytes))}</td><td class=\"n\">{t.StagingRows?.ToString("N0", CultureInfo.InvariantCulture)}</td></tr>\n");
            }
            h.Append("</table>\n");
        }
        if (report.ProjectionNotes.Count > 0)
        {
            h.Append("<h2>What the projection rests on</h2>\n<ul>");
            foreach (var note in report.ProjectionNotes)
                Li(h, E(note));
            h.Append("</ul>\n");
        }
        if (report.Load is { } load)
        {
            h.Append(CultureInfo.InvariantCulture, $"<h2>Under load</h2>\n<p>A writer updated one row at a time at {load.Rate:0.#} writes/s on {E(load.Tables.Count == 0 ? "no table" : string.Join(", ", load.Tables))}{E(load.Skipped.Count == 0 ? "" : $" (left alone: {string.Join("; ", load.Skipped)})")}.</p>\n<ul>");
            Li(h, "before the first script: " + E(RehearsalMarkdown.LoadCell(load.Baseline)));
            Li(h, "during the rehearsal: " + E(RehearsalMarkdown.LoadCell(load.During)));
            h.Append("</ul>\n");
        }
        h.Append("<h2>Staging against the plan</h2>\n<ul>");
        if (report.SchemaChecks.Count == 0)
            Li(h, "<span class=\"muted\">No script changed a table through the table API, so the plan promised no table's shape.</span>");
        foreach (var check in report.SchemaChecks)
        {
            var css = check.Outcome == SchemaCheck.Matches ? "ok" : check.Outcome == SchemaCheck.Differs ? "bad" : "muted";
            Li(h, $"{E(check.Table)} (promised by {E(check.Script)}): <b class=\"{css}\">{E(check.Outcome)}</b>{(check.Differences.Count == 0 ? "" : ": " + E(string.Join("; ", check.Differences)))}");
        }
        h.Append("</ul>\n");
        if (report.Status is { } status)
        {
            h.Append(CultureInfo.InvariantCulture, $"<p><code>status</code> on staging: {E(string.Join(", ", status.Staging))}. ");
            h.Append(status.Differences.Count == 0
                ? $"<span class=\"ok\">It is what <code>status</code> on production will be after <code>up</code></span> (from {E(status.Basis)}).</p>\n"
                : $"<span class=\"bad\">It differs from what <code>status</code> on production will be after <code>up</code></span> (from {E(status.Basis)}):</p>\n<ul>");
            foreach (var difference in status.Differences)
                Li(h, E(difference));
            if (status.Differences.Count > 0)
                h.Append("</ul>\n");
        }
        h.Append("<h2>Verdict</h2>\n<ul class=\"verdict\">");
        foreach (var script in report.Scripts)
            Li(h, $"<b>{E(script.Id)}</b>: <span class=\"{(script.Outcome == "applied" ? "ok" : "bad")}\">{E(script.Verdict)}</span>");
        h.Append("</ul>\n</body></html>\n");
        return h.ToString();
    }

    /// <summary>One row per step, bars placed by start and duration; a swap's bar is split into its phases.</summary>
    private static void Timeline(StringBuilder h, RehearsalReport report)
    {
        var rows = report.Scripts.SelectMany(s => s.Steps.Select(st => (Script: s.Id, Step: st))).ToList();
        if (rows.Count == 0)
        {
            h.Append("<p class=\"muted\">No step ran.</p>\n");
            return;
        }
        var total = Math.Max(1e-3, rows.Max(r => (r.Step.Start + r.Step.Duration).TotalSeconds));
        total = Math.Max(total, report.Duration.TotalSeconds);
        double X(TimeSpan t) => LabelWidth + (t.TotalSeconds / total * ChartWidth);
        double W(TimeSpan t) => Math.Max(1.5, t.TotalSeconds / total * ChartWidth);
        var height = (rows.Count * RowHeight) + 30;
        h.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{LabelWidth + ChartWidth + 20}\" height=\"{height}\" role=\"img\" aria-label=\"timeline of the rehearsal's steps\">\n");
        for (var i = 0; i <= 4; i++)
        {
            var t = TimeSpan.FromSeconds(total * i / 4);
            var x = X(t);
            h.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.#}\" y1=\"0\" x2=\"{x:0.#}\" y2=\"{height - 18}\" stroke=\"#e5e7eb\"/><text x=\"{x:0.#}\" y=\"{height - 4}\" text-anchor=\"middle\">{E(Durations.Format(t))}</text>\n");
        }
        for (var i = 0; i < rows.Count; i++)
        {
            var (script, step) = rows[i];
            var y = i * RowHeight;
            var label = $"{script} · {step.Step} {step.Op}";
            h.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 15}\"><title>{E(step.Description)}</title>{E(label.Length > 44 ? label[..43] + "…" : label)}</text>\n");
            if (step.Phases.Count > 0)
            {
                foreach (var phase in step.Phases)
                    h.Append(CultureInfo.InvariantCulture, $"<rect x=\"{X(phase.Start):0.##}\" y=\"{y + 4}\" width=\"{W(phase.Duration):0.##}\" height=\"{RowHeight - 8}\" fill=\"{Colors.GetValueOrDefault(phase.Phase, "#64748b")}\"><title>{E($"{phase.Phase} {phase.Table}: {Durations.Format(phase.Duration)}")}</title></rect>\n");
            }
            else
            {
                var fill = step.Error is null ? Colors["sql"] : Colors["failed"];
                h.Append(CultureInfo.InvariantCulture, $"<rect x=\"{X(step.Start):0.##}\" y=\"{y + 4}\" width=\"{W(step.Duration):0.##}\" height=\"{RowHeight - 8}\" fill=\"{fill}\"><title>{E($"{step.Description}: {Durations.Format(step.Duration)}")}</title></rect>\n");
            }
        }
        h.Append("</svg>\n<p class=\"legend\">");
        foreach (var (name, color) in Colors)
            h.Append(CultureInfo.InvariantCulture, $"<span><i style=\"background:{color}\"></i>{E(name)}</span>");
        h.Append("</p>\n");
    }

    private static void Li(StringBuilder h, string html) => h.Append("<li>").Append(html).Append("</li>\n");

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
