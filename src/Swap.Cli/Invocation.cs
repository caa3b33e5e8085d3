using System.CommandLine;
using Microsoft.Extensions.Logging;
using Swap.Dialects;
using Swap.Discovery;
using Swap.History;

namespace Swap.Cli;

/// <summary>What a verb needs for one run of the CLI: streams, settings, logging, the target.</summary>
internal sealed class Invocation(GlobalOptions globals, RedactingWriter output, RedactingWriter errors, Func<string, string?> environment, string workingDirectory, TimeProvider time, bool isTerminal) : IDisposable
{
    private ILoggerFactory? loggerFactory;
    private Migrator? migrator;
    private Output.ProgressView? progress;

    public GlobalOptions Globals { get; } = globals;
    public RedactingWriter Out { get; } = output;
    public RedactingWriter Err { get; } = errors;
    public TimeProvider Time { get; } = time;
    public string WorkingDirectory { get; } = workingDirectory;

    /// <summary>True when stdout is an interactive terminal (tables, colours); false when piped.</summary>
    public bool IsTerminal { get; } = isTerminal;

    /// <summary>True when stderr is an interactive terminal (a redrawn progress bar); false when piped or captured.</summary>
    public bool ErrIsTerminal => Err.IsConsole && !Console.IsErrorRedirected;

    public bool NoColor => environment("NO_COLOR") is { Length: > 0 };

    /// <summary>Swap progress and every line written to stderr while it may show (logs, errors).</summary>
    public Output.ProgressView Progress => progress ??= new Output.ProgressView(Err, ErrIsTerminal, Time, TerminalWidth);

    /// <summary>
    /// After Ctrl+C: which scripts were interrupted and where the next <c>up</c> resumes them, read
    /// back from the database (the same words <c>status</c> uses), within a few seconds.
    /// </summary>
    /// <param name="reverting">The script a <c>swap revert</c> was taking back, or null for the other verbs.</param>
    public async Task<IReadOnlyList<string>> DescribeInterruptionAsync(string? reverting = null)
    {
        const string Fallback = "Interrupted. 'swap up' resumes where it stopped; 'swap status' shows where.";
        if (migrator is null)
            return ["Interrupted."];
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var report = await migrator.StatusAsync(cts.Token);
            var interrupted = report.Scripts.Where(s => s.Status == ScriptStatus.Interrupted).ToList();
            var lines = interrupted.Select(s => $"Interrupted {s.Id}: {s.Note![(s.Note!.IndexOf(';', StringComparison.Ordinal) + 2)..]}.").ToList();
            // A revert resumes with 'swap revert', not 'swap up' (which finds nothing to apply).
            foreach (var window in report.RevertWindows.Where(w => w.Stage != "open"))
                lines.Add($"Interrupted the revert of {window.ScriptId} ({string.Join(", ", window.Tables)}) after stage '{window.Stage}': 'swap revert {window.ScriptId}' completes it.");
            if (reverting is not null && report.RevertWindows.FirstOrDefault(w => w.ScriptId == reverting && w.Stage == "open") is { } open)
                lines.Add($"Interrupted the revert of {open.ScriptId} ({string.Join(", ", open.Tables)}) before anything was swapped back: the window stays open and the old tables in sync; 'swap revert {open.ScriptId}' starts it again, 'swap finish {open.ScriptId}' keeps the change.");
            if (lines.Count == 0)
                return ["Interrupted between scripts; nothing was left half-done. 'swap up' continues with what is pending."];
            return lines;
        }
        catch (Exception e) when (e is OperationCanceledException or SwapException or System.Data.Common.DbException)
        {
            return [Fallback];
        }
    }

    public CliSettings Settings(ParseResult parse) => CliSettings.Resolve(
        parse.GetValue(Globals.Db),
        parse.GetValue(Globals.Migrations) ?? [],
        parse.GetValue(Globals.HistoryPrefix),
        parse.GetValue(Globals.LockTimeout),
        parse.GetValue(Globals.Config),
        environment,
        WorkingDirectory,
        parse.GetValue(Globals.Assemblies) ?? []);

    public bool Json(ParseResult parse) => parse.GetValue(Globals.Json);

    /// <summary>The value of an environment variable, as this invocation sees the environment.</summary>
    public string? Environment(string name) => environment(name);

    public ILoggerFactory Logging(ParseResult parse)
    {
        if (loggerFactory is not null)
            return loggerFactory;
        loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(LogProvider(parse)));
        return loggerFactory;
    }

    /// <summary>A provider writing log lines to stderr at the level -v / -q / --json ask for (the web console's host logs through one).</summary>
    public ILoggerProvider LogProvider(ParseResult parse) =>
        new CliLoggerProvider(Progress, parse.GetValue(Globals.Verbose) ? LogLevel.Debug : parse.GetValue(Globals.Quiet) || Json(parse) ? LogLevel.Warning : LogLevel.Information, Time);

    /// <summary>
    /// Opens the target and a migrator over the configured sources; <paramref name="withoutDb"/> stands in when no database is configured (generate against the written migrations).
    /// <paramref name="scriptsOptional"/>: a verb that works from the database's history and journal alone (cleanup) runs without migrations too.
    /// </summary>
    public (SwapDatabase Database, Migrator Migrator) Migrator(ParseResult parse, Action<MigratorOptions>? configure = null, DatabaseUrl? withoutDb = null, bool scriptsOptional = false)
    {
        var settings = Settings(parse);
        var url = withoutDb is not null && string.IsNullOrWhiteSpace(settings.Db) ? withoutDb : settings.RequireDb();
        HideGivenUrl(settings.Db, url);
        // Only 'up' may create a new SQLite database; the other verbs report a mistyped path.
        var database = Databases.Open(url, Logging(parse), mustExist: parse.CommandResult.Command.Name != "up" && url != withoutDb);
        if (!scriptsOptional)
            settings.RequireMigrations();
        var options = new MigratorOptions
        {
            Tables = RunnerTables.FromPrefix(settings.HistoryPrefix),
            LockTimeout = settings.LockTimeout,
            TimeProvider = Time,
        };
        if (!parse.GetValue(Globals.Json) && !parse.GetValue(Globals.Quiet))
            options.Swap.Progress = Progress;
        foreach (var (name, value) in settings.Placeholders)
            options.Placeholders[name] = value;
        foreach (var folder in settings.Migrations)
            options.Sources.Add(MigrationSource.Folder(folder));
        foreach (var dll in settings.Assemblies)
            options.Sources.Add(MigrationSource.Assembly(MigrationAssemblies.Load(dll)));
        configure?.Invoke(options);
        migrator = new Migrator(database, options);
        return (database, migrator);
    }

    /// <summary>
    /// The <c>--db</c> text as given is shown as the parsed URL with its password hidden (a password
    /// with a space or a quote may not read as one where the text stands); a URL without a password
    /// has nothing to hide and is shown as written, query string (<c>?schema=</c>) included.
    /// </summary>
    private void HideGivenUrl(string? given, DatabaseUrl url)
    {
        if (url.Password is null)
            return;
        Out.AddSecretValue(given, url.ToString());
        Err.AddSecretValue(given, url.ToString());
    }

    /// <summary>Opens the target for operator control (no migrations needed: any host with the URL can send commands).</summary>
    public global::Swap.SwapControl Control(ParseResult parse)
    {
        var settings = Settings(parse);
        var url = settings.RequireDb();
        HideGivenUrl(settings.Db, url);
        var database = Databases.Open(url, Logging(parse), mustExist: true);
        return new global::Swap.SwapControl(database, RunnerTables.FromPrefix(settings.HistoryPrefix), Time);
    }

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }

    public void Dispose() => loggerFactory?.Dispose();
}
