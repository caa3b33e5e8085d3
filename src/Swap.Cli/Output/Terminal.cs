using Spectre.Console;

namespace Swap.Cli.Output;

/// <summary>A Spectre console over the CLI's stdout, honouring NO_COLOR.</summary>
internal static class Terminal
{
    public static IAnsiConsole Over(Invocation invocation) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(invocation.Out),
        Ansi = invocation.NoColor ? AnsiSupport.No : AnsiSupport.Detect,
        ColorSystem = invocation.NoColor ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        Interactive = InteractionSupport.No,
    });
}
