using System.Globalization;
using Spectre.Console;

namespace Swap.Cli.Output;

/// <summary>Renders <c>status</c>: a table per module on a terminal, one line per script when piped, or JSON.</summary>
internal static class StatusView
{
    public static void Render(Invocation invocation, StatusReport report, bool json)
    {
        if (json)
        {
            Json.Write(invocation.Out, ToJson(report));
            return;
        }
        var w = invocation.Out;
        var counts = string.Join(", ", Enum.GetValues<ScriptStatus>().Where(s => report.Count(s) > 0).Select(s => $"{report.Count(s)} {Name(s)}"));
        w.WriteLine($"{report.Target}: {(counts.Length == 0 ? "no migrations found" : counts)}");
        if (report.Lock is not null)
            w.WriteLine($"lock: held by {report.Lock}");
        foreach (var module in report.Scripts.GroupBy(s => s.Module, StringComparer.Ordinal))
        {
            if (invocation.IsTerminal)
                RenderTable(invocation, module.Key, module.ToList());
            else
                RenderLines(w, module.Key, module.ToList());
        }
        foreach (var window in report.RevertWindows)
        {
            var backlog = window.Backlog is { } b ? b.ToString("N0", CultureInfo.InvariantCulture) + " write(s) to apply" : "reverse log missing";
            w.WriteLine($"revert window\t{window.ScriptId}\t{string.Join(", ", window.Tables)}\topen {Durations.Format(window.Age)} (until {window.ExpiresAtUtc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)})\t{backlog}\t{window.Command}");
        }
        foreach (var leftover in report.Leftovers)
            w.WriteLine($"leftover\t{leftover.Kind}\t{leftover.Name}\t{leftover.Detail}{(leftover.Detail.Contains("swap cleanup", StringComparison.Ordinal) ? "" : " (remove with 'swap cleanup')")}");
        w.WriteLine(report.Next is { } next ? $"next: {next.Id} ({Name(next.Status)})" : "next: nothing pending");
        w.Flush();
    }

    private static void RenderLines(TextWriter w, string module, List<ScriptState> scripts)
    {
        foreach (var s in scripts)
        {
            var h = s.History;
            var fields = new List<string> { Name(s.Status), module, s.Id, s.Group ?? "-" };
            if (h is not null)
            {
                fields.Add($"batch {h.Batch}");
                fields.Add((h.FinishedAtUtc ?? h.StartedAtUtc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                fields.Add(h.DurationMs is { } ms ? Durations.Format(TimeSpan.FromMilliseconds(ms)) : "-");
            }
            if (s.Note is not null)
                fields.Add(s.Note);
            if (s.Methods.Count > 0)
                fields.Add("method: " + string.Join("; ", s.Methods));
            w.WriteLine(string.Join('\t', fields));
        }
    }

    private static void RenderTable(Invocation invocation, string module, List<ScriptState> scripts)
    {
        var console = Terminal.Over(invocation);
        var table = new Table().Border(TableBorder.Rounded).Title($"module [bold]{Markup.Escape(module)}[/]");
        // The method column only when a script of the module changed a table: it is wide.
        var methods = scripts.Any(s => s.Methods.Count > 0);
        foreach (var column in methods ? ["status", "script", "group", "batch", "applied (UTC)", "took", "note", "method"] : new[] { "status", "script", "group", "batch", "applied (UTC)", "took", "note" })
            table.AddColumn(column);
        foreach (var s in scripts)
        {
            var h = s.History;
            var cells = new List<string>
            {
                $"[{Colour(s.Status)}]{Name(s.Status)}[/]",
                Markup.Escape(s.Id),
                Markup.Escape(s.Group ?? ""),
                h?.Batch.ToString(CultureInfo.InvariantCulture) ?? "",
                h is null ? "" : (h.FinishedAtUtc ?? h.StartedAtUtc).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                h?.DurationMs is { } ms ? Durations.Format(TimeSpan.FromMilliseconds(ms)) : "",
                Markup.Escape(s.Note ?? ""),
            };
            if (methods)
                cells.Add(Markup.Escape(string.Join("\n", s.Methods)));
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
    }

    public static string Name(ScriptStatus status) => status.ToString().ToLowerInvariant();

    private static string Colour(ScriptStatus status) => status switch
    {
        ScriptStatus.Applied => "green",
        ScriptStatus.Pending => "yellow",
        ScriptStatus.Failed => "red",
        ScriptStatus.Changed => "red",
        ScriptStatus.Missing => "red",
        ScriptStatus.Interrupted => "yellow",
        _ => "blue",
    };

    internal static object ToJson(StatusReport report) => new
    {
        target = report.Target,
        next = report.Next?.Id,
        lockHolder = report.Lock?.ToString(),
        counts = Enum.GetValues<ScriptStatus>().ToDictionary(Name, report.Count),
        scripts = report.Scripts.Select(s => new
        {
            id = s.Id,
            module = s.Module,
            group = s.Group,
            status = Name(s.Status),
            kind = s.Script is null ? s.History?.Kind : s.Script.Kind == ScriptKind.Sql ? "sql" : "cs",
            source = s.Script?.Source,
            tags = s.Script is { Tags.Count: > 0 } ? s.Script.Tags : null,
            checksum = s.Script?.Checksum,
            batch = s.History?.Batch,
            startedAt = s.History?.StartedAtUtc,
            finishedAt = s.History?.FinishedAtUtc,
            durationMs = s.History?.DurationMs,
            appliedBy = s.History?.AppliedBy,
            error = s.History?.Error,
            journaledSteps = s.JournaledSteps,
            resumesAt = s.ResumesAt is { } r ? new { step = r.Step, tables = r.Tables, phase = r.Phase, rowsCopied = r.RowsCopied, method = r.Method } : null,
            methods = s.Methods,
            note = s.Note,
        }),
        leftovers = report.Leftovers,
        revertWindows = report.RevertWindows.Select(r => new
        {
            script = r.ScriptId,
            tables = r.Tables,
            openedAt = r.OpenedAtUtc,
            expiresAt = r.ExpiresAtUtc,
            ageSeconds = (long)r.Age.TotalSeconds,
            backlog = r.Backlog,
            stage = r.Stage,
            expired = r.Expired,
            command = r.Command,
        }),
    };
}
