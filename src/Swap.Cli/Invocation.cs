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

    public ILoggerFactory Logging(ParseResult parse)
    {
        if (loggerFactory is not null)
            return loggerFactory;
        var level = parse.GetValue(Globals.Verbose) ? LogLevel.Debug : parse.GetValue(Globals.Quiet) || Json(parse) ? LogLevel.Warning : LogLevel.Information;
        loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new CliLoggerProvider(Err, level, Time)));
        return loggerFactory;
    }

    /// <summary>Opens the target and a migrator over the configured sources.</summary>
    public (SwapDatabase Database, Migrator Migrator) Migrator(ParseResult parse, Action<MigratorOptions>? configure = null)
    {
        var settings = Settings(parse);
        var url = settings.RequireDb();
        Out.AddSecret(url.Password);
        Err.AddSecret(url.Password);
        // Only 'up' may create a new SQLite database; the other verbs report a mistyped path.
        var database = Databases.Open(url, Logging(parse), mustExist: parse.CommandResult.Command.Name != "up");
        var options = new MigratorOptions
        {
            Tables = RunnerTables.FromPrefix(settings.HistoryPrefix),
            LockTimeout = settings.LockTimeout,
            TimeProvider = Time,
        };
        if (!parse.GetValue(Globals.Json) && !parse.GetValue(Globals.Quiet))
            options.Swap.Progress = new Output.ProgressView(Err, ErrIsTerminal, Time);
        foreach (var (name, value) in settings.Placeholders)
            options.Placeholders[name] = value;
        foreach (var folder in settings.Migrations)
            options.Sources.Add(MigrationSource.Folder(folder));
        foreach (var dll in settings.Assemblies)
            options.Sources.Add(MigrationSource.Assembly(MigrationAssemblies.Load(dll)));
        configure?.Invoke(options);
        return (database, new Migrator(database, options));
    }

    public void Dispose() => loggerFactory?.Dispose();
}
