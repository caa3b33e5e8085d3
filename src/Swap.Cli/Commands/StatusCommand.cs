using System.CommandLine;
using Swap.Cli.Output;

namespace Swap.Cli.Commands;

internal sealed class StatusCommand : ICommand
{
    public Command Build(Invocation invocation)
    {
        var tags = TagsOption.Create("Leftovers and the lock are shown as always.");
        var command = new Command("status", "Show applied, pending, changed, failed, interrupted and missing scripts, by module, and what runs next.") { tags };
        command.SetAction(async (parse, ct) =>
        {
            var (_, migrator) = invocation.Migrator(parse);
            var report = await migrator.StatusAsync(TagsOption.Read(parse, tags), ct);
            StatusView.Render(invocation, report, invocation.Json(parse));
            return ExitCodes.Success;
        });
        return command;
    }
}
