using System.Globalization;
using System.Text;

namespace Swap.Scenarios.Online.Output;

/// <summary>The run as Markdown tables: every figure per contender, Swap/peer ratios, and the issue's targets.</summary>
internal static class MarkdownReport
{
    public static string Render(BenchReport report)
    {
        var md = new StringBuilder();
        var m = report.Machine;
        md.AppendLine(Inv($"Machine: {m.Cores} cores ({m.Cpu}), {m.MemoryGb} GB, {m.Os}, kernel {m.Kernel}, {m.Dotnet}; load average {m.LoadAverageStart:F1} at start, {report.LoadAverageEnd:F1} at end. Date: {report.Date}."));
        md.AppendLine();
        md.AppendLine(Inv($"Command: `{report.Command}`"));
        foreach (var engine in report.Engines)
        {
            md.AppendLine();
            md.AppendLine(Inv($"### {engine.Engine}{engine.Variant}: {engine.Server}; chunk target {engine.ChunkMs} ms"));
            if (engine.PeerVersions.Count > 0)
                md.AppendLine().AppendLine("Peers: " + string.Join("; ", engine.PeerVersions));
            foreach (var size in engine.Groups.GroupBy(g => (g.Table, g.Rows)))
            {
                md.AppendLine();
                md.AppendLine(Inv($"**{size.Key.Table}, {size.Key.Rows:N0} rows**"));
                md.AppendLine();
                md.AppendLine("| contender | load | round | wall s | rows/s | writer before p50/p99/max ms | writer during p50/p99/max ms | p99 during/before | longest stall ms | cut-over stall ms | peak RSS MB | CPU s | content |");
                md.AppendLine("|---|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---|");
                foreach (var g in size)
                {
                    foreach (var r in g.Contenders)
                    {
                        var before = r.WriterBefore is { } b ? Inv($"{b.P50:F2} / {b.P99:F2} / {b.Max:F0}") : "";
                        var during = r.WriterDuring is { } d ? Inv($"{d.P50:F2} / {d.P99:F2} / {d.Max:F0}") : "";
                        var content = r.Error is not null ? "failed: " + r.Error.Split('\n')[0] : r.SameContent == true ? "same" : "DIFFERENT";
                        md.AppendLine(Inv($"| {r.Title} | {g.Load} | {g.Round} | {r.WallSeconds:F2} | {r.RowsPerSecond:N0} | {before} | {during} | {Num(r.P99Ratio, "F2", "x")} | {Num(r.LongestStallMs, "F0")} | {Num(r.CutOverStallMs, "F0")} | {Num(r.PeakRssMb, "F0")} | {Num(r.CpuSeconds, "F1")} | {content} |"));
                    }
                }
                md.AppendLine();
                md.AppendLine("Swap / peer (wall time; below 1 means Swap is faster):");
                md.AppendLine();
                foreach (var g in size)
                {
                    var swap = g.Contenders.FirstOrDefault(c => c.Id == "swap" && c.Error is null);
                    if (swap is null)
                        continue;
                    var ratios = g.Contenders.Where(c => c.Id != "swap" && c.Error is null)
                        .Select(c => Inv($"{c.Id} {swap.WallSeconds / Math.Max(1e-9, c.WallSeconds):F2}x"));
                    md.AppendLine(Inv($"- {g.Load} (round {g.Round}): {string.Join(", ", ratios)}; content after {g.WritesCompared:N0} writes: {Content(g)}"));
                }
            }
        }
        md.AppendLine();
        md.AppendLine(Targets(report));
        return md.ToString();
    }

    /// <summary>The issue's targets, checked against this run (reported, never asserted).</summary>
    public static string Targets(BenchReport report)
    {
        var md = new StringBuilder();
        md.AppendLine("| engine | rows | target | measured | met |");
        md.AppendLine("|---|---:|---|---|---|");
        foreach (var engine in report.Engines)
        {
            foreach (var g in engine.Groups)
            {
                var swap = g.Contenders.FirstOrDefault(c => c.Id == "swap");
                if (swap is null)
                    continue;
                void Row(string target, string measured, bool met) =>
                    md.AppendLine(Inv($"| {engine.Engine} | {g.Rows:N0} | {target} ({g.Load}) | {measured} | {(met ? "yes" : "**no**")} |"));
                if (swap.Error is not null)
                {
                    Row("Swap finishes", swap.Error.Split('\n')[0], false);
                    continue;
                }
                if (g.Load == "idle")
                {
                    var peer = engine.Engine switch { "mariadb" => ("ptosc", 0.9), "postgres" => ("repack", 1.0), _ => (null, 0) };
                    if (peer.Item1 is not null && g.Contenders.FirstOrDefault(c => c.Id == peer.Item1 && c.Error is null) is { } p)
                    {
                        var ratio = swap.WallSeconds / p.WallSeconds;
                        Row(Inv($"Swap time <= {peer.Item2:F1}x {p.Title}"), Inv($"{ratio:F2}x ({swap.WallSeconds:F1} s vs {p.WallSeconds:F1} s)"), ratio <= peer.Item2);
                    }
                }
                else
                {
                    Row("cut-over stall <= 100 ms", Inv($"{Num(swap.CutOverStallMs, "F0")} ms (longest stall in the run {Num(swap.LongestStallMs, "F0")} ms)"), swap.CutOverStallMs is <= 100);
                    Row("writer p99 <= 2x idle p99", Inv($"{Num(swap.P99Ratio, "F2")}x ({swap.WriterBefore?.P99:F2} -> {swap.WriterDuring?.P99:F2} ms)"), swap.P99Ratio is <= 2);
                    Row("zero content differences", Content(g), Identical(g));
                }
                Row("Swap peak memory <= 150 MB", Inv($"{Num(swap.PeakRssMb, "F0")} MB"), swap.PeakRssMb is <= 150);
            }
        }
        return md.ToString();
    }

    /// <summary>Whether every contender that finished ends with the same content (failures are named, not compared).</summary>
    private static bool Identical(GroupReport g) => g.Contenders.Where(c => c.Hash is not null).Select(c => c.Hash).Distinct().Count() == 1;

    private static string Content(GroupReport g)
    {
        var failed = g.Contenders.Where(c => c.Hash is null).Select(c => c.Id).ToList();
        var text = Identical(g) ? "identical in every contender that finished" : "DIFFERENT";
        return failed.Count == 0 ? text : $"{text} ({string.Join(", ", failed)} failed)";
    }

    private static string Num(double? v, string format, string suffix = "") => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) + suffix : "";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
