using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using Swap.Cli.Commands;

namespace Swap.Cli;

/// <summary>The <c>swap</c> command. <see cref="RunAsync"/> is the whole program, with its streams and environment passed in.</summary>
internal static class CliApp
{
    public static async Task<int> Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        // SIGTERM (systemd, Kubernetes, 'kill') stops a run the way Ctrl+C does: at the next step,
        // recorded as interrupted, exit 130, resumable; the default would end the process at once.
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cts.Cancel();
        });
        return await RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory(), TimeProvider.System, cts.Token);
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, string workingDirectory, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        using var output = new RedactingWriter(stdout);
        using var errors = new RedactingWriter(stderr);
        var globals = new GlobalOptions();
        var invocation = new Invocation(globals, output, errors, environment, workingDirectory, time, stdout == Console.Out && !Console.IsOutputRedirected);
        // The root is named 'swap' (the tool's command), not after the executable (Swap.Cli).
        var root = new Command("swap", "Swap: online table changes and resumable, versioned migrations for MySQL/MariaDB, PostgreSQL and SQLite.");
        root.Options.Add(new HelpOption { Action = new CliHelp(new HelpAction()), Recursive = true });
        root.Options.Add(new VersionOption { Action = new CliVersion() });
        globals.AddTo(root);
        foreach (var command in new ICommand[] { new StatusCommand(), new UpCommand(), new DownCommand(), new PlanCommand(), new SyncCommand(), new ValidateCommand(), new CreateCommand(), new CleanupCommand(), new RevertCommand(), new FinishCommand(), new RehearseCommand(), new BaselineCommand(), new GenerateCommand(), new PauseCommand(), new ResumeCommand(), new SetCommand(), new CutOverCommand(), new AbortCommand(), new ServeCommand() })
            root.Subcommands.Add(command.Build(invocation));

        var parse = root.Parse(args);
        // With --json, a failure is also a JSON document on stdout, so stdout always parses.
        var json = parse.Errors.Count > 0 ? args.Contains("--json", StringComparer.Ordinal) : parse.GetValue(globals.Json);
        int Fail(SwapErrorKind kind, params string[] lines) => FailAfter(kind, [], lines);
        int FailAfter(SwapErrorKind kind, IReadOnlyList<ScriptOutcome> finished, params string[] lines)
        {
            invocation.Progress.EndLine();
            // What up applied (or down reverted) before the error stays so: name it, as a run that ends well would.
            var verb = parse.CommandResult.Command.Name == "down" ? "reverted" : "applied";
            if (finished.Count > 0 && !json)
            {
                foreach (var f in finished)
                    output.WriteLine($"{verb}\t{f.Id}\t{Durations.Format(f.Duration)}");
                output.WriteLine($"{char.ToUpperInvariant(verb[0])}{verb[1..]} {finished.Count} script(s) before the error; they stay {verb}.");
                output.Flush();
            }
            foreach (var line in lines)
                errors.WriteLine(line);
            errors.Flush();
            if (json)
            {
                var message = string.Join("\n", lines.Select(l => l.StartsWith("error: ", StringComparison.Ordinal) ? l[7..] : l));
                var done = finished.Count == 0 ? null : finished.Select(f => new { id = f.Id, durationMs = (long)f.Duration.TotalMilliseconds }).ToList();
                Output.Json.Write(output, verb == "reverted"
                    ? new { error = new { code = (int)kind, kind, message }, reverted = done }
                    : (object)new { error = new { code = (int)kind, kind, message }, applied = done });
            }
            return (int)kind;
        }

        // 'swap create --help' is help, even though create's title is missing: the help action runs
        // whatever else the command line lacks.
        if (parse.Errors.Count > 0 && parse.Action is not CliHelp)
        {
            // 'swap histroy': System.CommandLine reports the unknown word and also that no command was
            // given; the second is not what went wrong (a verb was given, just not a known one).
            var shown = parse.Errors.AsEnumerable();
            if (parse.CommandResult.Command == root && parse.UnmatchedTokens.Count > 0)
            {
                var named = parse.Errors.Where(e => parse.UnmatchedTokens.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal))).ToList();
                if (named.Count > 0)
                    shown = named;
            }
            return Fail(SwapErrorKind.Usage, [.. shown.Select(e => "error: " + (ParseErrors.BadSwitchValue(e.Message, parse, args) ?? ParseErrors.Readable(e.Message))), "Run 'swap --help' for usage."]);
        }
        if (parse.Action is not CliHelp && parse.GetValue(globals.Quiet) && parse.GetValue(globals.Verbose))
            return Fail(SwapErrorKind.Usage, "error: --quiet and --verbose ask for opposite amounts of output; give one of them.");
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = errors, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (SwapException e)
        {
            return FailAfter(e.Kind, e.Finished, "error: " + e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            invocation.Progress.EndLine();
            var reverting = parse.CommandResult.Command.Name == "revert" ? parse.CommandResult.Tokens.FirstOrDefault(t => t.Type == TokenType.Argument)?.Value : null;
            return Fail(SwapErrorKind.Cancelled, [.. await invocation.DescribeInterruptionAsync(reverting)]);
        }
        catch (Exception e) when (e is DbException or IOException)
        {
            // Errors reach here already translated; this is the net for a driver error a path missed.
            return Fail(SwapErrorKind.Failure, "error: the database reported: " + e.Message);
        }
        finally
        {
            invocation.Dispose();
        }
    }
}

/// <summary>One verb of the CLI.</summary>
internal interface ICommand
{
    Command Build(Invocation invocation);
}

/// <summary>Options every verb takes.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Db { get; } = new("--db") { HelpName = "url", Description = "Target database: sqlite:path/to.db, postgres://user@host:port/db?schema=s or mysql://user@host:port/db (a password goes after the user, as user:password@). Default: $SWAP_DB, then swap.json.", Recursive = true };
    public Option<string[]> Migrations { get; } = new("--migrations", "-m") { HelpName = "folder", Description = "A module or migrations folder (repeatable). Default: swap.json, then ./migrations.", Recursive = true, AllowMultipleArgumentsPerToken = false };
    public Option<string[]> Assemblies { get; } = new("--assembly") { HelpName = "path.dll", Description = "A compiled assembly (.dll) holding C# migrations (repeatable); its classes deriving from Swap.Migration are scripts.", Recursive = true };
    public Option<string?> Config { get; } = new("--config") { HelpName = "file", Description = "A swap.json file (default: ./swap.json if present).", Recursive = true };
    public Option<string?> HistoryPrefix { get; } = new("--history-prefix") { HelpName = "prefix", Description = "Prefix of Swap's own tables (default 'swap': swap_history, swap_journal, swap_lock).", Recursive = true };
    public Option<string?> LockTimeout { get; } = new("--lock-timeout") { HelpName = "duration", Description = "Wait this long for another runner's lock (e.g. 30s, 5m). Default: fail at once.", Recursive = true };
    public Option<bool> Json { get; } = new("--json") { Description = "Machine-readable JSON on stdout.", Recursive = true };
    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Debug logging on stderr.", Recursive = true };
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Only warnings and errors on stderr.", Recursive = true };

    public void AddTo(Command root)
    {
        foreach (var option in new Option[] { Db, Migrations, Assemblies, Config, HistoryPrefix, LockTimeout, Json, Verbose, Quiet })
            root.Options.Add(option);
    }
}

internal static class ParseErrors
{
    /// <summary>
    /// A true/false option followed by another word ('--sqlite-indexes-after-copy maybe'):
    /// System.CommandLine leaves the word unmatched and calls it an unrecognized argument; say
    /// what the option takes instead. Null when the error is not that.
    /// </summary>
    internal static string? BadSwitchValue(string message, ParseResult parse, string[] args)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, @"^Unrecognized command or argument '(?<value>.*)'\.?$", System.Text.RegularExpressions.RegexOptions.Singleline);
        if (!m.Success)
            return null;
        var value = m.Groups["value"].Value;
        var switches = new List<Option>();
        for (var r = (SymbolResult?)parse.CommandResult; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
                switches.AddRange(c.Command.Options.Where(o => o.ValueType == typeof(bool) || o.ValueType == typeof(bool?)));
        }
        for (var i = 0; i < args.Length; i++)
        {
            foreach (var option in switches)
            {
                foreach (var name in option.Aliases.Prepend(option.Name))
                {
                    if ((args[i] == name && i + 1 < args.Length && args[i + 1] == value) || args[i] == $"{name}={value}" || args[i] == $"{name}:{value}")
                        return $"{option.Name} takes true or false, not '{value}'.";
                }
            }
        }
        return null;
    }

    /// <summary>
    /// System.CommandLine names the .NET type a value did not parse as ("as expected type
    /// 'System.Nullable`1[System.Int32]'"); say what the option takes instead.
    /// </summary>
    internal static string Readable(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, @"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'\.?$", System.Text.RegularExpressions.RegexOptions.Singleline);
        if (!m.Success)
            return message;
        var type = m.Groups["type"].Value;
        var takes = type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) ? "a whole number"
            : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
            : type.Contains("Double", StringComparison.Ordinal) || type.Contains("Decimal", StringComparison.Ordinal) ? "a number"
            : null;
        return takes is null ? message : $"{m.Groups["option"].Value} takes {takes}, not '{m.Groups["value"].Value}'.";
    }
}
