using System.CommandLine;
using Swap.Cli.Output;

namespace Swap.Cli.Commands;

internal sealed class BaselineCommand : ICommand
{
    public Command Build(Invocation invocation)
    {
        var to = new Option<string>("--to") { HelpName = "id", Description = "The last script the database already has: it and every script before it are recorded as applied.", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list the scripts that would be recorded." };
        var command = new Command("baseline", "Adopt Swap on an existing database: record every script up to --to as applied without running them.") { to, dryRun };
        command.SetAction(async (parse, ct) =>
        {
            var (_, migrator) = invocation.Migrator(parse);
            var result = await migrator.BaselineAsync(parse.GetValue(to)!, parse.GetValue(dryRun), ct);
            if (invocation.Json(parse))
            {
                Json.Write(invocation.Out, result);
                return ExitCodes.Success;
            }
            var w = invocation.Out;
            foreach (var id in result.Recorded)
                w.WriteLine($"{(result.DryRun ? "would record" : "baselined")}\t{id}");
            w.WriteLine(result.Recorded.Count == 0
                ? "Nothing to record: every script up to the target is already in the history."
                : result.DryRun
                    ? $"Would record {result.Recorded.Count} script(s) as applied without running them."
                    : $"Recorded {result.Recorded.Count} script(s) as applied without running them, as batch {result.Batch}.");
            w.Flush();
            return ExitCodes.Success;
        });
        return command;
    }
}
