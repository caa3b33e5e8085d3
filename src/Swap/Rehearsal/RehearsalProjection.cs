using System.Globalization;
using Swap.Dialects;
using Swap.Engine;

namespace Swap.Rehearsal;

/// <summary>
/// Projects each step's duration onto production: the parts of a step that grow with the rows of
/// its tables are scaled by production rows / staging rows; the rest is taken as on staging.
/// Production is only read, inside a read-only transaction.
/// </summary>
internal static class RehearsalProjection
{
    private static readonly HashSet<string> RowBound = [nameof(SwapPhase.Copying), nameof(SwapPhase.BuildingIndexes), nameof(SwapPhase.Verifying)];

    /// <param name="appliedInProduction">Scripts production has applied already: its 'up' will not run them, so they get no projection.</param>
    public static async Task<RehearsalReport> ProjectAsync(RehearsalReport report, SwapDatabase staging, SwapDatabase production, IReadOnlySet<string> appliedInProduction, CancellationToken cancellationToken)
    {
        var (sc, stx, _) = await TableProbe.OpenReadOnlyAsync(staging, cancellationToken);
        var (pc, ptx, _) = await TableProbe.OpenReadOnlyAsync(production, cancellationToken);
        await using (sc)
        await using (stx)
        await using (pc)
        await using (ptx)
        {
            var stagingProbe = new TableProbe(staging, sc, stx);
            var productionProbe = new TableProbe(production, pc, ptx);
            var known = (await stagingProbe.TablesAsync(cancellationToken)).Union(await productionProbe.TablesAsync(cancellationToken), StringComparer.OrdinalIgnoreCase).ToList();

            var sizes = new Dictionary<string, TableSize?>(StringComparer.OrdinalIgnoreCase);
            var stagingRows = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            var scripts = new List<ScriptRehearsal>();
            foreach (var script in report.Scripts)
            {
                // Production will not run these to their end either: no duration is projected for them.
                if (script.Outcome is "not-run" or "refused" || appliedInProduction.Contains(script.Id))
                {
                    scripts.Add(script);
                    continue;
                }
                var steps = new List<StepRehearsal>();
                foreach (var step in script.Steps)
                {
                    var tables = step.Op == "swap" ? step.Tables : TableProbe.Named(step.Description, known);
                    long prodRows = 0, stageRows = 0;
                    var found = new List<string>();
                    foreach (var table in tables)
                    {
                        if (!sizes.TryGetValue(table, out var size))
                            sizes[table] = size = await productionProbe.SizeAsync(table, cancellationToken);
                        if (size is null)
                            continue;
                        long rows;
                        if (step.Op == "swap" && tables.Count == 1 && step.RowsCopied is { } copied)
                            rows = copied;
                        else if (!stagingRows.TryGetValue(table, out rows))
                            rows = (await stagingProbe.SizeAsync(table, cancellationToken))?.Rows ?? 0;
                        stagingRows.TryAdd(table, rows);
                        found.Add(table);
                        prodRows += size.Rows;
                        stageRows += rows;
                    }
                    steps.Add(Project(step with { Tables = tables }, found, prodRows, stageRows));
                }
                var projected = script.Duration - Sum(script.Steps.Select(s => s.Duration)) + Sum(steps.Select(s => s.ProjectedDuration ?? s.Duration));
                scripts.Add(script with { Steps = steps, ProjectedDuration = projected });
            }
            var notes = new List<string>
            {
                "Durations are staging's, scaled per step by production rows / staging rows of the tables the step works on, as if the time grew linearly with rows: " +
                "the copy, index build and verification of a table swap, and a statement that names a table.",
                "Creating the copy, installing capture, the cut-over and clean-up, and statements on tables that are new or empty on staging, are taken as they were on staging.",
                "Production rows are catalog estimates for tables of 100,000 rows or more, COUNT(*) below; staging rows are the rows a swap copied, else read the same way after the rehearsal.",
                "It assumes production's hardware and load are like staging's: application writes during the copy (capture) slow it. A much smaller staging copy also pays the copy's first, small chunks for more of its rows, which the scaling carries over: at large ratios it can run over (see docs/operating-online-swaps.md).",
            };
            if (report.StagingVersion != report.ProductionVersion)
                notes.Add($"Staging runs {report.StagingVersion} and production {report.ProductionVersion}: the same methods apply, their speed may differ.");
            return report with
            {
                Scripts = scripts,
                ProductionTables = sizes.Values.OfType<TableSize>().Select(s => s with { StagingRows = stagingRows.TryGetValue(s.Table, out var r) ? r : null }).ToList(),
                ProjectedDuration = Sum(scripts.Select(s => s.ProjectedDuration ?? TimeSpan.Zero)),
                ProjectionNotes = notes,
            };
        }
    }

    private static StepRehearsal Project(StepRehearsal step, List<string> found, long prodRows, long stageRows)
    {
        if (step.Method == RehearsalRecorder.InstantMethod)
            return step with { ProjectedDuration = step.Duration, ProjectionBasis = "as on staging: an instant change touches the catalog, not the rows" };
        if (found.Count == 0)
            return step with { ProjectedDuration = step.Duration, ProjectionBasis = "as on staging: it names no table that production has" };
        if (stageRows == 0)
            return step with { ProjectedDuration = step.Duration, ProjectionBasis = $"as on staging: {string.Join(", ", found)} had no rows on staging to scale from" };
        var ratio = (double)prodRows / stageRows;
        var basis = $"{string.Join(", ", found)}: {prodRows.ToString("N0", CultureInfo.InvariantCulture)} production rows / {stageRows.ToString("N0", CultureInfo.InvariantCulture)} staging rows = x{ratio.ToString("0.##", CultureInfo.InvariantCulture)}";
        if (step.Op != "swap")
            return step with { ProjectedDuration = step.Duration * ratio, ProjectionBasis = (step.Op == "instant" ? "in-place change scaled by " : "statement scaled by ") + basis };
        var rowBound = Sum(step.Phases.Where(p => RowBound.Contains(p.Phase)).Select(p => p.Duration));
        return step with
        {
            ProjectedDuration = step.Duration - rowBound + rowBound * ratio,
            ProjectionBasis = "copy, index build and verification scaled by " + basis + "; other phases as on staging",
        };
    }

    private static TimeSpan Sum(IEnumerable<TimeSpan> spans) => spans.Aggregate(TimeSpan.Zero, (a, b) => a + b);
}
