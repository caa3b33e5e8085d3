using System.Text.Json;
using System.Text.Json.Serialization;

namespace Swap.Rehearsal;

/// <summary>The report as JSON: camelCase, durations in milliseconds, absent values left out.</summary>
internal static class RehearsalJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write(RehearsalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(Shape(report), Options);
    }

    /// <summary>The object written, also what <c>swap rehearse --json</c> prints.</summary>
    public static object Shape(RehearsalReport r) => new
    {
        staging = r.Staging,
        production = r.Production,
        clonedFrom = r.ClonedFrom,
        engine = r.Engine,
        stagingVersion = r.StagingVersion,
        productionVersion = r.ProductionVersion,
        startedAt = r.StartedAt,
        durationMs = Ms(r.Duration),
        projectedDurationMs = Ms(r.ProjectedDuration),
        exitCode = r.ExitCode,
        succeeded = r.Succeeded,
        scripts = r.Scripts.Select(s => new
        {
            id = s.Id,
            kind = s.Kind,
            mode = s.Mode,
            outcome = s.Outcome,
            errorKind = s.ErrorKind,
            error = s.Error,
            startMs = Ms(s.Start),
            durationMs = Ms(s.Duration),
            projectedDurationMs = Ms(s.ProjectedDuration),
            verdict = s.Verdict,
            steps = s.Steps.Select(st => new
            {
                step = st.Step,
                op = st.Op,
                description = st.Description,
                method = st.Method,
                startMs = Ms(st.Start),
                durationMs = Ms(st.Duration),
                tables = st.Tables,
                rowsCopied = st.RowsCopied,
                logRowsApplied = st.LogRowsApplied,
                rowsPerSecond = st.RowsPerSecond is { } rate ? Math.Round(rate) : (double?)null,
                phases = st.Phases.Select(p => new { phase = p.Phase, table = p.Table, startMs = Ms(p.Start), durationMs = Ms(p.Duration) }),
                cutOverAttempts = st.CutOverAttempts.Select(a => new { attempt = a.Attempt, durationMs = Ms(a.Duration), succeeded = a.Succeeded }),
                error = st.Error,
                load = Latency(st.Load),
                projectedDurationMs = Ms(st.ProjectedDuration),
                projectionBasis = st.ProjectionBasis,
            }),
        }),
        productionTables = r.ProductionTables.Select(t => new { table = t.Table, rows = t.Rows, rowsBasis = t.RowsBasis, tableBytes = t.TableBytes, indexBytes = t.IndexBytes, stagingRows = t.StagingRows }),
        projectionNotes = r.ProjectionNotes,
        schemaChecks = r.SchemaChecks.Select(c => new { table = c.Table, script = c.Script, outcome = c.Outcome, differences = c.Differences }),
        status = r.Status is { } st ? new { basis = st.Basis, staging = st.Staging, differences = st.Differences } : null,
        load = r.Load is { } l ? new { rate = l.Rate, tables = l.Tables, skipped = l.Skipped, baseline = Latency(l.Baseline), during = Latency(l.During) } : null,
    };

    private static object? Latency(WriteLatency? w) =>
        w is null ? null : new { writes = w.Writes, failed = w.Failed, p50Ms = Ms(w.P50), p99Ms = Ms(w.P99), maxMs = Ms(w.Max) };

    private static double? Ms(TimeSpan? t) => t is { } v ? Math.Round(v.TotalMilliseconds, 1) : null;
}
