using System.CommandLine;

namespace Swap.Cli.Commands;

/// <summary>The <c>--tags</c> option of <c>up</c>, <c>plan</c> and <c>status</c>: tags separated by commas, or the option repeated.</summary>
internal static class TagsOption
{
    public static Option<string[]> Create(string verb) => new("--tags")
    {
        HelpName = "tags",
        Description = $"Only scripts tagged with one of these tags (-- swap:tags / [Tags]); comma-separated or repeated. {verb}",
        AllowMultipleArgumentsPerToken = false,
    };

    public static IReadOnlyList<string>? Read(ParseResult parse, Option<string[]> option) =>
        parse.GetValue(option) is { Length: > 0 } values
            ? values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToList()
            : null;
}
