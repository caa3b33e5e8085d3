using System.CommandLine;
using Swap.Cli.Output;

namespace Swap.Cli.Commands;

internal sealed class SyncCommand : ICommand
{
    public Command Build(Invocation invocation)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list the history rows that would be removed." };
        var all = new Option<bool>("--all") { Description = "Remove the history rows even when every recorded script is gone (otherwise refused with exit 7: usually the wrong migrations folder)." };
        var command = new Command("sync", "Remove history rows whose scripts are gone. Runs no script.") { dryRun, all };
        command.SetAction(async (parse, ct) =>
        {
            var (_, migrator) = invocation.Migrator(parse);
            var result = await migrator.SyncAsync(parse.GetValue(dryRun), parse.GetValue(all), ct);
            if (invocation.Json(parse))
            {
                Json.Write(invocation.Out, result);
                return ExitCodes.Success;
            }
            foreach (var id in result.Removed)
                invocation.Out.WriteLine($"{(result.DryRun ? "would remove" : "removed")}\t{id}");
            invocation.Out.WriteLine(result.Removed.Count == 0 ? "History is in sync: every recorded script exists." : $"{(result.DryRun ? "Would remove" : "Removed")} {result.Removed.Count} history row(s).");
            invocation.Out.Flush();
            return ExitCodes.Success;
        });
        return command;
    }
}
