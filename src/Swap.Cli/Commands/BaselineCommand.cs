using System.CommandLine;
using Swap.Cli.Output;

namespace Swap.Cli.Commands;

internal sealed class BaselineCommand : ICommand
{
    public Command Build(Invocation invocation)
    {
        var to = new Option<string>("--to") { HelpName = "id", Description = "The last script the database already has: it and every script before it are recorded as applied." };
        var fromFlyway = new Option<bool>("--from-flyway") { Description = "Record the scripts whose versions Flyway's flyway_schema_history lists as applied (in place of --to)." };
        var flywayTable = new Option<string>("--flyway-table") { HelpName = "name", Description = "With --from-flyway: the table Flyway keeps its history in, when its flyway.table setting changed it (default flyway_schema_history; schema_version before Flyway 5)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list the scripts that would be recorded." };
        var command = new Command("baseline", "Adopt Swap on an existing database: record every script up to --to (or every version Flyway applied, --from-flyway) as applied without running them.") { to, fromFlyway, flywayTable, dryRun };
        command.SetAction(async (parse, ct) =>
        {
            var (_, migrator) = invocation.Migrator(parse);
            var target = parse.GetValue(to);
            var flyway = parse.GetValue(fromFlyway);
            if (flyway == target is not null)
            {
                throw new SwapException(
                    SwapErrorKind.Usage,
                    flyway
                        ? "Give either --to <id> or --from-flyway, not both: --from-flyway records the versions flyway_schema_history lists."
                        : "baseline needs --to <script id> (the last script the database already has), or --from-flyway for a database Flyway migrated.");
            }
            var table = parse.GetValue(flywayTable);
            if (table is not null && !flyway)
                throw new SwapException(SwapErrorKind.Usage, "--flyway-table goes with --from-flyway: it names the table Flyway keeps its history in.");
            var result = flyway
                ? await migrator.BaselineFromFlywayAsync(parse.GetValue(dryRun), table, ct)
                : await migrator.BaselineAsync(target!, parse.GetValue(dryRun), ct);
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
