using System.CommandLine;

namespace Swap.Cli.Commands;

/// <summary><c>--placeholder name=value</c> (repeatable) of <c>up</c>, <c>plan</c> and <c>down</c>; it wins over swap.json's <c>placeholders</c>.</summary>
internal static class PlaceholderOption
{
    public static Option<string[]> Create() => new("--placeholder")
    {
        HelpName = "name=value",
        Description = "A value for ${name} in SQL scripts and callbacks: --placeholder schema=app (repeatable; wins over swap.json \"placeholders\").",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Copies the given placeholders into the migrator's options; a malformed one is a usage error.</summary>
    public static void Apply(ParseResult parse, Option<string[]> option, MigratorOptions options)
    {
        foreach (var pair in parse.GetValue(option) ?? [])
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? pair : pair[..eq];
            if (eq < 0 || !Callbacks.Placeholders.IsValidName(name))
                throw new SwapException(SwapErrorKind.Usage, $"--placeholder '{pair}' is not name=value (a name is letters, digits and '_', not starting with a digit), for example --placeholder schema=app.");
            options.Placeholders[name] = pair[(eq + 1)..];
        }
    }
}
