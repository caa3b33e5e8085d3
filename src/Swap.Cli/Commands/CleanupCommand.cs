using System.CommandLine;
using Swap.Cli.Output;

namespace Swap.Cli.Commands;

internal sealed class CleanupCommand : ICommand
{
    public Command Build(Invocation invocation)
    {
        var script = new Option<string?>("--script") { HelpName = "id", Description = "Abandon this script's interrupted swap: drop its copies and capture and forget its journal (its finished steps run again on the next 'up')." };
        var dropOld = new Option<bool>("--drop-old") { Description = "Also drop old tables kept with --keep-old." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list what would be removed." };
        var command = new Command("cleanup", "Remove copies, capture triggers and journals left by interrupted swaps. Never touches a live table.") { script, dropOld, dryRun };
        command.SetAction(async (parse, ct) =>
        {
            // Leftovers are found from the history and the journal: the scripts need not be at hand.
            var (_, migrator) = invocation.Migrator(parse, scriptsOptional: true);
            var result = await migrator.CleanupAsync(new CleanupOptions { Script = parse.GetValue(script), DropOldTables = parse.GetValue(dropOld), DryRun = parse.GetValue(dryRun) }, ct);
            if (invocation.Json(parse))
            {
                Json.Write(invocation.Out, new { removed = result.Removed, kept = result.Kept.Select(k => new { k.Leftover.Kind, k.Leftover.Name, reason = k.Reason }), discardedSteps = result.DiscardedSteps, closedWindows = result.ClosedWindows.Select(c => new { script = c.ScriptId, tables = c.Tables, why = c.Why }), dryRun = result.DryRun });
                return ExitCodes.Success;
            }
            foreach (var (id, tables, why) in result.ClosedWindows)
                invocation.Out.WriteLine($"{(result.DryRun ? "would close" : "closed")}\t{id}\t{string.Join(", ", tables)}\t{why}");
            var verb = result.DryRun ? "would remove" : "removed";
            foreach (var r in result.Removed)
                invocation.Out.WriteLine($"{verb}\t{r.Kind}\t{r.Name}\t{r.Detail}");
            foreach (var (leftover, reason) in result.Kept)
                invocation.Out.WriteLine($"kept\t{leftover.Kind}\t{leftover.Name}\t{reason}");
            foreach (var step in result.DiscardedSteps)
                invocation.Out.WriteLine($"{(result.DryRun ? "would forget" : "forgot")}\t{step}");
            if (result.ClosedWindows.Count > 0)
                invocation.Out.WriteLine(result.DryRun
                    ? $"Would close {result.ClosedWindows.Count} expired revert window(s), dropping their old tables and reverse capture."
                    : $"Closed {result.ClosedWindows.Count} expired revert window(s); the old tables and the reverse capture are dropped.");
            if (result.Removed.Count > 0 || result.DiscardedSteps.Count > 0)
                invocation.Out.WriteLine($"{(result.DryRun ? "Would remove" : "Removed")} {result.Removed.Count} object(s).");
            else if (result.ClosedWindows.Count == 0)
                invocation.Out.WriteLine("Nothing to clean up.");
            invocation.Out.Flush();
            return ExitCodes.Success;
        });
        return command;
    }
}
