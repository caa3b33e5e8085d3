using System.Globalization;
using System.Text;

namespace Swap.Scenarios.Online.Output;

/// <summary>
/// One SVG per engine, table size and load: a row per contender with copy progress (%) and the
/// writer's worst latency per 100 ms (log scale) over the same time axis; phases shaded. For Swap
/// the change-log backlog is drawn over the progress, scaled to its own peak.
/// </summary>
internal static class SvgChart
{
    private const int Width = 960;
    private const int Left = 70;
    private const int Right = 20;
    private const int RowHeight = 170;
    private const int Top = 40;
    private static readonly string[] PhaseColors = ["#eef3fb", "#fbf3e6", "#eefaf0", "#f7eef9", "#f2f2f2", "#fdf0f0"];

    public static string Render(string engine, GroupReport group)
    {
        var rows = group.Contenders;
        var before = rows.SelectMany(r => r.Latency).Select(p => p[0]).DefaultIfEmpty(0).Min();
        var tMin = Math.Min(0, before);
        var tMax = Math.Max(1, rows.SelectMany(r => r.Latency.Select(p => p[0]).Append(r.WallSeconds)).DefaultIfEmpty(1).Max());
        var maxLatency = Math.Max(10, rows.SelectMany(r => r.Latency).Select(p => p[1]).DefaultIfEmpty(1).Max());
        var loaded = rows.Any(r => r.Latency.Count > 0);
        var height = Top + (rows.Count * RowHeight) + 40;
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">\n"));
        svg.Append(Inv($"<rect width=\"{Width}\" height=\"{height}\" fill=\"white\"/>\n"));
        svg.Append(Inv($"<text x=\"{Left}\" y=\"22\" font-size=\"14\" font-weight=\"bold\">{Escape(engine)}: {Escape(group.Table)}, {group.Rows:N0} rows, {(loaded ? $"writer at {group.Rate}/s{(group.Writers > 1 ? $" from {group.Writers} connections" : "")}" : "idle")}: copy progress{(loaded ? " and writer latency" : "")} over time (s)</text>\n"));
        double X(double t) => Left + ((t - tMin) / (tMax - tMin) * (Width - Left - Right));
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var y0 = Top + (i * RowHeight);
            var progressTop = y0 + 18;
            var progressHeight = loaded ? 50 : 110;
            var latencyTop = progressTop + progressHeight + 12;
            var latencyHeight = 70;
            svg.Append(Inv($"<text x=\"{Left}\" y=\"{y0 + 12}\" font-weight=\"bold\">{Escape(r.Title)}: {r.WallSeconds:F1} s{(r.Error is null ? "" : " (failed)")}</text>\n"));
            // Phases, shaded behind the plots.
            for (var p = 0; p < r.Phases.Count; p++)
            {
                var ph = r.Phases[p];
                var w = Math.Max(0.5, X(ph.End) - X(ph.Start));
                var plotsHeight = loaded ? latencyTop + latencyHeight - progressTop : progressHeight;
                svg.Append(Inv($"<rect x=\"{X(ph.Start):F1}\" y=\"{progressTop}\" width=\"{w:F1}\" height=\"{plotsHeight}\" fill=\"{PhaseColors[p % PhaseColors.Length]}\"/>\n"));
                if (w >= 6 * ph.Phase.Length)
                    svg.Append(Inv($"<text x=\"{X(ph.Start) + 2:F1}\" y=\"{progressTop + 10}\" font-size=\"9\" fill=\"#777\">{Escape(ph.Phase)}</text>\n"));
            }
            // Progress.
            Frame(svg, progressTop, progressHeight, "copy progress 0-100%");
            var points = r.Progress.Select(p => Inv($"{X(p.T):F1},{progressTop + progressHeight - (p.Fraction * progressHeight):F1}"));
            svg.Append(Inv($"<polyline fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"1.5\" points=\"{string.Join(' ', points)}\"/>\n"));
            if (r.Backlog is { Count: > 0 } backlog && backlog.Max(b => b[1]) is var peak and > 0)
            {
                var curve = backlog.Select(b => Inv($"{X(b[0]):F1},{progressTop + progressHeight - (b[1] / peak * progressHeight):F1}"));
                svg.Append(Inv($"<polyline fill=\"none\" stroke=\"#2da44e\" stroke-width=\"1\" points=\"{string.Join(' ', curve)}\"/>\n"));
                svg.Append(Inv($"<text x=\"{Width - Right - 4}\" y=\"{progressTop + 21:F1}\" text-anchor=\"end\" font-size=\"9\" fill=\"#2da44e\">change-log backlog, 0-{peak:N0} rows</text>\n"));
            }
            svg.Append(Inv($"<line x1=\"{X(0):F1}\" y1=\"{progressTop}\" x2=\"{X(0):F1}\" y2=\"{(loaded ? latencyTop + latencyHeight : progressTop + progressHeight)}\" stroke=\"#999\" stroke-dasharray=\"3,3\"/>\n"));
            if (!loaded)
                continue;
            // Latency, log scale from 0.1 ms to the run's maximum.
            Frame(svg, latencyTop, latencyHeight, "worst write latency per 100 ms, ms (log scale)");
            var logMin = Math.Log10(0.1);
            var logMax = Math.Log10(maxLatency * 1.2);
            double Y(double ms) => latencyTop + latencyHeight - ((Math.Log10(Math.Max(0.1, ms)) - logMin) / (logMax - logMin) * latencyHeight);
            foreach (var tick in new[] { 1.0, 10, 100, 1000, 10000, 100000 }.Where(t => t < maxLatency * 1.2))
            {
                svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{Y(tick):F1}\" x2=\"{Width - Right}\" y2=\"{Y(tick):F1}\" stroke=\"#ddd\"/>\n"));
                svg.Append(Inv($"<text x=\"{Left - 4}\" y=\"{Y(tick) + 3:F1}\" text-anchor=\"end\" font-size=\"9\">{tick:0.#}</text>\n"));
            }
            var line = r.Latency.Select(p => Inv($"{X(p[0]):F1},{Y(p[1]):F1}"));
            svg.Append(Inv($"<polyline fill=\"none\" stroke=\"#d1242f\" stroke-width=\"1\" points=\"{string.Join(' ', line)}\"/>\n"));
        }
        // Time axis.
        var axisY = height - 25;
        svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{axisY}\" x2=\"{Width - Right}\" y2=\"{axisY}\" stroke=\"#333\"/>\n"));
        foreach (var t in Ticks(tMin, tMax))
        {
            svg.Append(Inv($"<line x1=\"{X(t):F1}\" y1=\"{axisY}\" x2=\"{X(t):F1}\" y2=\"{axisY + 4}\" stroke=\"#333\"/>\n"));
            svg.Append(Inv($"<text x=\"{X(t):F1}\" y=\"{axisY + 15}\" text-anchor=\"middle\">{t:0.#}</text>\n"));
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Frame(StringBuilder svg, double top, double height, string label)
    {
        svg.Append(Inv($"<rect x=\"{Left}\" y=\"{top}\" width=\"{Width - Left - Right}\" height=\"{height}\" fill=\"none\" stroke=\"#bbb\"/>\n"));
        svg.Append(Inv($"<text x=\"{Width - Right - 4}\" y=\"{top + 10:F1}\" text-anchor=\"end\" font-size=\"9\" fill=\"#555\">{Escape(label)}</text>\n"));
    }

    private static IEnumerable<double> Ticks(double min, double max)
    {
        var span = max - min;
        var step = new[] { 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600 }.First(s => span / s <= 12);
        for (var t = Math.Ceiling(min / step) * step; t <= max; t += step)
            yield return t;
    }

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
