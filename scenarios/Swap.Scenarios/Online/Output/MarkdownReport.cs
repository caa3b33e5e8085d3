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
            var chunks = engine.ChunkMsGiven ? Inv($"chunk target {engine.ChunkMs} ms for every tool")
                : engine.Engine == "mariadb" ? Inv($"each tool's own chunk target (Swap {engine.ChunkMs} ms, pt-online-schema-change 0.5 s)")
                : Inv($"each tool's own chunk target (Swap {engine.ChunkMs} ms)");
            md.AppendLine(Inv($"### {engine.Engine}{engine.Variant}: {engine.Server}; {chunks}"));
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
                        var content = r.Error is not null ? "failed: " + r.Error.Split('\n')[0] : r.SameContent switch { true => "same", false => "DIFFERENT", null => "not compared" };
                        md.AppendLine(Inv($"| {r.Title} | {Load(g)} | {g.Round} | {r.WallSeconds:F2} | {r.RowsPerSecond:N0} | {before} | {during} | {Num(r.P99Ratio, "F2", "x")} | {Num(r.LongestStallMs, "F0")} | {Num(r.CutOverStallMs, "F0")} | {Num(r.PeakRssMb, "F0")} | {Num(r.CpuSeconds, "F1")} | {content} |"));
                    }
                }
                Swap(md, size.ToList());
                md.AppendLine();
                md.AppendLine("Swap / peer (wall time; below 1 means Swap is faster):");
                md.AppendLine();
                foreach (var g in size)
                {
                    foreach (var swap in g.Contenders.Where(c => IsSwap(c) && c.Error is null))
                    {
                        var ratios = g.Contenders.Where(c => !IsSwap(c) && c.Error is null)
                            .Select(c => Inv($"{c.Id} {swap.WallSeconds / Math.Max(1e-9, c.WallSeconds):F2}x"));
                        md.AppendLine(Inv($"- {Load(g)} (round {g.Round}), {swap.Id}: {string.Join(", ", ratios)}; content after {g.WritesCompared:N0} writes: {Content(g)}"));
                    }
                }
            }
        }
        md.AppendLine();
        md.AppendLine(Targets(report));
        return md.ToString();
    }

    private static bool IsSwap(ContenderResult c) => c.Id is "swap" or "swap-cli";

    /// <summary>idle, or the writer's rate and connections: <c>write 2000/s x4</c>.</summary>
    private static string Load(GroupReport g) =>
        g.Load == "idle" ? g.Load : Inv($"{g.Load} {g.Rate}/s{(g.Writers > 1 ? Inv($" x{g.Writers}") : "")}");

    /// <summary>
    /// Swap's own figures per run: the cut-over's lock, the change-log backlog, and seconds per phase
    /// as its progress reported them. Indexes are built on a second connection while the copy is
    /// verified, so those two phases overlap: each is counted from the moment progress switched to
    /// it until progress switched away (an index build still running when verification ends is
    /// counted in verify; phases a tool reports more than once are summed).
    /// </summary>
    private static void Swap(StringBuilder md, List<GroupReport> groups)
    {
        var runs = groups.SelectMany(g => g.Contenders.Where(IsSwap).Select(c => (g, c))).ToList();
        if (runs.Count == 0)
            return;
        md.AppendLine();
        md.AppendLine("Swap's phases (seconds; indexes and verify overlap, as reported by progress), cut-over lock and change-log backlog:");
        md.AppendLine();
        md.AppendLine("| contender | load | round | start | copy | indexes | verify | cut-over | rest | cut-over lock held ms (attempts) | backlog peak rows | backlog at cut-over rows |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (g, c) in runs)
        {
            double Sum(params string[] phases) => c.Phases.Where(p => phases.Contains(p.Phase)).Sum(p => p.End - p.Start);
            var start = Sum("start", "Preflight", "CreatingCopy", "InstallingCapture");
            var copy = Sum("Copying");
            var indexes = Sum("BuildingIndexes");
            var verify = Sum("Verifying");
            var cut = Sum("CuttingOver");
            var rest = Math.Max(0, c.WallSeconds - start - copy - indexes - verify - cut);
            var attempts = c.CutOverAttempts is { Count: > 0 } a ? Inv($" ({a.Count})") : "";
            var error = c.Error is null ? "" : " (failed)";
            md.AppendLine(Inv($"| {c.Title}{error} | {Load(g)} | {g.Round} | {start:F2} | {copy:F2} | {indexes:F2} | {verify:F2} | {cut:F2} | {rest:F2} | {Num(c.CutOverLockMs, "F1")}{attempts} | {Num(c.BacklogPeak, "N0")} | {Num(c.BacklogAtCutOver, "N0")} |"));
        }
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
                foreach (var swap in g.Contenders.Where(IsSwap))
                {
                    void Row(string target, string measured, bool met) =>
                        md.AppendLine(Inv($"| {engine.Engine} | {g.Rows:N0} | {swap.Id}: {target} ({Load(g)}) | {measured} | {(met ? "yes" : "**no**")} |"));
                    if (swap.Error is not null)
                    {
                        Row("Swap finishes", swap.Error.Split('\n')[0], false);
                        continue;
                    }
                    var peer = engine.Engine switch { "mariadb" => ("ptosc", 0.6), "postgres" => ("repack", 1.0), _ => (null, 0) };
                    var p = peer.Item1 is null ? null : g.Contenders.FirstOrDefault(c => c.Id == peer.Item1 && c.Error is null);
                    if (g.Load == "idle")
                    {
                        if (p is not null)
                        {
                            var ratio = swap.WallSeconds / p.WallSeconds;
                            Row(Inv($"time <= {peer.Item2:F1}x {p.Title}"), Inv($"{ratio:F2}x ({swap.WallSeconds:F1} s vs {p.WallSeconds:F1} s)"), ratio <= peer.Item2);
                        }
                    }
                    else
                    {
                        Row("cut-over stall <= 100 ms", Inv($"{Num(swap.CutOverStallMs, "F0")} ms"), swap.CutOverStallMs is <= 100);
                        Row("longest stall <= 100 ms", Inv($"{Num(swap.LongestStallMs, "F0")} ms"), swap.LongestStallMs is <= 100);
                        if (engine.Engine == "postgres" && p is not null)
                            Row(Inv($"writer p99 <= {p.Title}'s"), Inv($"{swap.WriterDuring?.P99:F2} ms vs {p.WriterDuring?.P99:F2} ms"), swap.WriterDuring?.P99 <= p.WriterDuring?.P99);
                        else if (engine.Engine == "mariadb")
                            Row("writer p99 <= 10 ms", Inv($"{swap.WriterDuring?.P99:F2} ms (before: {swap.WriterBefore?.P99:F2} ms)"), swap.WriterDuring?.P99 <= 10);
                        Row("zero content differences", Content(g), Identical(g));
                    }
                    Row("peak memory <= 150 MB", Inv($"{Num(swap.PeakRssMb, "F0")} MB"), swap.PeakRssMb is <= 150);
                }
            }
        }
        return md.ToString();
    }

    /// <summary>Whether every contender that finished ends with the same content (failures are named, not compared).</summary>
    private static bool Identical(GroupReport g) =>
        g.Contenders.Where(c => c.Hash is not null).Select(c => c.Hash).Distinct().Count() == 1
        && (g.OracleHash is null || g.Contenders.Where(c => c.Hash is not null).All(c => c.Hash == g.OracleHash));

    private static string Content(GroupReport g)
    {
        var failed = g.Contenders.Where(c => c.Hash is null && c.Error is not null).Select(c => c.Id).ToList();
        var skipped = g.Contenders.Where(c => c.Hash is null && c.Error is null).Select(c => c.Id).ToList();
        var text = Identical(g) ? "identical in every contender that finished" + (g.OracleHash is null ? "" : " and the oracle") : "DIFFERENT";
        if (failed.Count > 0)
            text += $" ({string.Join(", ", failed)} failed)";
        return skipped.Count == 0 ? text : $"{text} ({string.Join(", ", skipped)} not compared: loses writes)";
    }

    private static string Num(double? v, string format, string suffix = "") => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) + suffix : "";

    private static string Num(long? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
