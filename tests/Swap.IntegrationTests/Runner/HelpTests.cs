using System.Reflection;
using Swap.Cli;
using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Runner;

/// <summary>The help speaks of 'swap' with real placeholders, examples, exit codes and the reference; --version prints the version.</summary>
public class HelpTests
{
    private static readonly string Folder = Path.GetTempPath();

    [Fact]
    public async Task Root_help_names_the_swap_command_and_lists_exit_codes_and_the_reference()
    {
        var run = await SwapCli.RunRawAsync(Folder, ["--help"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:\n  swap [command] [options]\n", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Swap.Cli", run.Out, StringComparison.Ordinal);
        Assert.Contains("  --db <url> ", run.Out, StringComparison.Ordinal);
        Assert.Contains("  -m, --migrations <folder> ", run.Out, StringComparison.Ordinal);
        Assert.Contains("  --lock-timeout <duration> ", run.Out, StringComparison.Ordinal);
        Assert.Contains("postgres://user@host:port/db?schema=s or mysql://user@host:port/db (a password goes after the user, as user:password@)", run.Out, StringComparison.Ordinal);
        Assert.Contains("Examples:\n  swap --db sqlite:app.db status\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("Exit codes:\n  0 success   1 failure   2 usage   3 lock held   4 validation failed   5 connection\n  6 invalid migration   7 refused   8 verification failed   9 cut-over timed out\n  10 aborted   11 no swap running   130 cancelled\n", run.Out, StringComparison.Ordinal);
        Assert.EndsWith("Reference: docs/cli.md in the Swap repository.\n", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Down_help_takes_the_same_swap_options_as_up_with_placeholders_and_examples()
    {
        var up = await SwapCli.RunRawAsync(Folder, ["up", "--help"]);
        var down = await SwapCli.RunRawAsync(Folder, ["down", "-h"]);
        Assert.Contains("Usage:\n  swap down [<count>] [options]\n", down.Out, StringComparison.Ordinal);
        foreach (var option in new[] { "--time-budget <duration>", "--keep-old", "--chunk-time <duration>", "--chunk-size <rows>", "--max-chunk-size <rows>", "--cut-over-lock-wait <duration>", "--cut-over-retries <n>" })
        {
            Assert.Contains("  " + option + " ", up.Out, StringComparison.Ordinal);
            Assert.Contains("  " + option + " ", down.Out, StringComparison.Ordinal);
        }
        Assert.Contains("  --to <id> ", up.Out, StringComparison.Ordinal);
        // The engines' own defaults, as docs/cli.md states them.
        Assert.Contains("(default 100ms on MySQL/MariaDB, 500ms on PostgreSQL, 50ms on SQLite)", up.Out, StringComparison.Ordinal);
        Assert.Contains("Examples:\n  swap down            # revert the last applied script\n  swap down --batch 7 --keep-old\n", down.Out, StringComparison.Ordinal);
        Assert.EndsWith("Reference: docs/cli.md in the Swap repository (section 'down').\n", down.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("create", "Usage:\n  swap create <title> [options]\n")]
    [InlineData("revert", "Usage:\n  swap revert <script> [options]\n")]
    [InlineData("finish", "Usage:\n  swap finish <script> [options]\n")]
    [InlineData("set", "Usage:\n  swap set <setting> <value> [options]\n")]
    [InlineData("rehearse", "Usage:\n  swap rehearse [options]\n")]
    [InlineData("baseline", "Usage:\n  swap baseline [options]\n")]
    [InlineData("generate", "Usage:\n  swap generate <title> [options]\n")]
    public async Task Help_of_a_verb_with_required_arguments_is_help_not_a_usage_error(string verb, string usage)
    {
        var run = await SwapCli.RunRawAsync(Folder, [verb, "--help"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Err);
        Assert.Contains(usage, run.Out, StringComparison.Ordinal);
        Assert.EndsWith($"Reference: docs/cli.md in the Swap repository (section '{verb}').\n", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("history")]
    [InlineData("upp")]
    public async Task An_unknown_verb_is_named_without_claiming_that_none_was_given(string verb)
    {
        var run = await SwapCli.RunRawAsync(Folder, [verb]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: Unrecognized command or argument '{verb}'.\nRun 'swap --help' for usage.\n", run.Err);
    }

    [Fact]
    public async Task No_verb_at_all_says_so()
    {
        var run = await SwapCli.RunRawAsync(Folder, []);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: Required command was not provided.\nRun 'swap --help' for usage.\n", run.Err);
    }

    [Fact]
    public async Task A_short_console_token_names_where_it_came_from()
    {
        var option = await SwapCli.RunRawAsync(Folder, ["--db", "sqlite:none.db", "serve", "--token", "short"]);
        Assert.Equal((2, "error: The console token must be at least 16 characters; leave out --token to have one generated.\n"), (option.ExitCode, option.Err));
        var variable = await SwapCli.RunRawAsync(Folder, ["--db", "sqlite:none.db", "serve"], new Dictionary<string, string> { ["SWAP_CONSOLE_TOKEN"] = "short" });
        Assert.Equal((2, "error: The console token in SWAP_CONSOLE_TOKEN must be at least 16 characters; unset SWAP_CONSOLE_TOKEN to have one generated.\n"), (variable.ExitCode, variable.Err));
    }

    /// <summary>
    /// Every option a verb's help lists is named in that verb's section of docs/cli.md (the section
    /// the help refers to), and every option the section's synopsis names is one the verb takes; the
    /// global options are in their own section.
    /// </summary>
    [Theory]
    [InlineData("status")]
    [InlineData("up")]
    [InlineData("down")]
    [InlineData("plan")]
    [InlineData("sync")]
    [InlineData("validate")]
    [InlineData("create")]
    [InlineData("cleanup")]
    [InlineData("revert")]
    [InlineData("finish")]
    [InlineData("rehearse")]
    [InlineData("baseline")]
    [InlineData("generate")]
    [InlineData("pause")]
    [InlineData("resume")]
    [InlineData("set")]
    [InlineData("cut-over")]
    [InlineData("abort")]
    [InlineData("serve")]
    public async Task The_options_of_a_verb_are_those_its_section_of_cli_md_names(string verb)
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "cli.md"));
        var globals = Section(docs, "## Global options");
        var heading = System.Text.RegularExpressions.Regex.Match(docs, @"^### (?<names>[^\n]+)$", System.Text.RegularExpressions.RegexOptions.Multiline);
        string? section = null;
        for (; heading.Success; heading = heading.NextMatch())
        {
            if (heading.Groups["names"].Value.Split(',', StringSplitOptions.TrimEntries).Contains(verb))
                section = Section(docs, heading.Value);
        }
        Assert.NotNull(section);

        var run = await SwapCli.RunRawAsync(Folder, [verb, "--help"]);
        var options = run.Out[run.Out.IndexOf("Options:", StringComparison.Ordinal)..];
        options = options[..options.IndexOf("\n\n", StringComparison.Ordinal)];
        var taken = System.Text.RegularExpressions.Regex.Matches(options, @"^\s+(?:-\S+, )*(?<name>--[a-z][a-z-]*)", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        bool Names(string text, string option) => System.Text.RegularExpressions.Regex.IsMatch(text, System.Text.RegularExpressions.Regex.Escape(option) + "(?![a-z-])");
        var undocumented = taken.Where(o => o != "--help" && o != "--version" && !Names(section!, o) && !Names(globals, o)).ToArray();
        Assert.Equal(Array.Empty<string>(), undocumented);

        var synopsis = System.Text.RegularExpressions.Regex.Match(section!, "^```\n(?<text>swap .*?)```", System.Text.RegularExpressions.RegexOptions.Multiline | System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(synopsis.Success, verb);
        var named = System.Text.RegularExpressions.Regex.Matches(synopsis.Groups["text"].Value, "--[a-z][a-z-]*").Select(m => m.Value).Distinct();
        var unknown = named.Where(o => !taken.Contains(o)).ToArray();
        Assert.Equal(Array.Empty<string>(), unknown);
    }

    private static string Section(string docs, string heading)
    {
        var start = docs.IndexOf(heading + "\n", StringComparison.Ordinal) + heading.Length;
        var next = System.Text.RegularExpressions.Regex.Match(docs[start..], "^##", System.Text.RegularExpressions.RegexOptions.Multiline);
        return next.Success ? docs.Substring(start, next.Index) : docs[start..];
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "docs", "cli.md")) && File.Exists(Path.Combine(dir.FullName, "Swap.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("docs/cli.md not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task Version_prints_the_tool_version()
    {
        var run = await SwapCli.RunRawAsync(Folder, ["--version"]);
        Assert.Equal(0, run.ExitCode);
        var version = typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal(version + "\n", run.Out);
        Assert.StartsWith("0.1.0", run.Out, StringComparison.Ordinal);
    }
}
