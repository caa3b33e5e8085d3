using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Swap.Cli;

/// <summary>
/// Help as System.CommandLine writes it, followed by examples for the verb, the exit codes and
/// where the full reference lives.
/// </summary>
internal sealed class CliHelp(HelpAction inner) : SynchronousCommandLineAction
{
    /// <summary>Where the full reference lives. The project has no public URL yet; this names the file in the sources.</summary>
    public const string DocsReference = "docs/cli.md in the Swap repository";

    /// <summary>
    /// Each verb's examples. None holds a password: output passes through <see cref="RedactingWriter"/>,
    /// which would print it as <c>***</c>, and a password typed on a command line stays in the shell's history.
    /// </summary>
    internal static readonly Dictionary<string, string[]> Examples = new(StringComparer.Ordinal)
    {
        ["swap"] =
        [
            "swap --db sqlite:app.db status",
            "swap --db postgres://deploy@db:5432/shop up",
            "swap create \"Add user roles\" --cs",
        ],
        ["status"] = ["swap --db sqlite:app.db status", "swap status --json | jq .next", "swap status --live --watch   # the swap running now, from any host"],
        ["up"] = ["swap --db mysql://deploy@db:3306/shop up", "swap up --to 20261121083005_add_roles --time-budget 30m --chunk-time 200ms", "swap up --postpone-cut-over --replica mysql://deploy@replica:3306/shop --max-replica-lag 1s --metrics 127.0.0.1:9464", "swap up --revert-window 24h   # 'swap revert <script>' can take the swaps back"],
        ["revert"] = ["swap revert MigrateAttachments   # within its revert window: swap the old table back", "swap status                      # lists the open windows"],
        ["finish"] = ["swap finish MigrateAttachments   # keep the change, drop the old table"],
        ["pause"] = ["swap pause           # copying stops at the next chunk; 'swap resume' goes on"],
        ["resume"] = ["swap resume"],
        ["set"] = ["swap set chunk-time 200ms", "swap set max-load off"],
        ["cut-over"] = ["swap cut-over        # a swap started with 'up --postpone-cut-over' cuts over now"],
        ["abort"] = ["swap abort           # the running swap removes its copy; the original stays, the script is pending"],
        ["down"] = ["swap down            # revert the last applied script", "swap down --batch 7 --keep-old"],
        ["plan"] = ["swap --db sqlite:app.db plan", "swap plan --steps 1 --json"],
        ["sync"] = ["swap sync --dry-run", "swap -m modules/billing sync"],
        ["validate"] = ["swap validate        # in CI: exit 4 when scripts and history disagree"],
        ["create"] = ["swap create \"Add user roles\"", "swap create \"Fill roles\" --cs --group \"user roles\" -m modules/users"],
        ["cleanup"] = ["swap cleanup --dry-run", "swap cleanup --script MigrateAttachments --drop-old"],
        ["serve"] = ["swap --db postgres://deploy@db:5432/shop serve   # http://127.0.0.1:8080/, token printed at start", "swap serve --read-only --listen 127.0.0.1:9000", "SWAP_CONSOLE_TOKEN=... swap serve --chunk-time 200ms --rehearsals /srv/app/swap-rehearsals"],
        ["rehearse"] = ["swap rehearse --on sqlite:staging.db --clone-from sqlite:app.db --db sqlite:app.db", "swap rehearse --on postgres://deploy@staging:5432/shop --db postgres://reader@db:5432/shop --report rehearsal"],
    };

    private const string ExitCodesText = """
        Exit codes:
          0 success   1 failure   2 usage   3 lock held   4 validation failed   5 connection
          6 invalid migration   7 refused   8 verification failed   9 cut-over timed out
          10 aborted   11 no swap running   130 cancelled
        """;

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var result = inner.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        var name = parseResult.CommandResult.Command.Name;
        if (Examples.TryGetValue(name, out var examples))
        {
            output.WriteLine("Examples:");
            foreach (var example in examples)
                output.WriteLine("  " + example);
            output.WriteLine();
        }
        output.WriteLine(ExitCodesText);
        output.WriteLine();
        output.WriteLine($"Reference: {DocsReference}{(name == "swap" ? "" : $" (section '{name}')")}.");
        output.Flush();
        return result;
    }
}

/// <summary><c>swap --version</c>: the version of the swap tool itself (not of whatever process hosts it).</summary>
internal sealed class CliVersion : SynchronousCommandLineAction
{
    public static string Version =>
        typeof(CliApp).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion
        ?? typeof(CliApp).Assembly.GetName().Version?.ToString() ?? "unknown";

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        parseResult.InvocationConfiguration.Output.WriteLine(Version);
        parseResult.InvocationConfiguration.Output.Flush();
        return 0;
    }
}
