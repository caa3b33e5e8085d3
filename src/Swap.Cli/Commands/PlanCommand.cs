using System.CommandLine;
using Swap.Cli.Output;

namespace Swap.Cli.Commands;

internal sealed class PlanCommand : ICommand
{
    public Command Build(Invocation invocation)
    {
        var to = new Option<string?>("--to") { HelpName = "id", Description = "Plan up to and including this script id." };
        var steps = new Option<int?>("--steps") { HelpName = "n", Description = "Plan at most this many scripts." };
        var command = new Command("plan", "Dry run: print what 'up' would do, script by script, with the SQL it would send. Changes nothing.") { to, steps };
        command.SetAction(async (parse, ct) =>
        {
            var (_, migrator) = invocation.Migrator(parse);
            var report = await migrator.PlanAsync(new UpOptions { To = parse.GetValue(to), Steps = parse.GetValue(steps) }, ct);
            if (invocation.Json(parse))
            {
                Json.Write(invocation.Out, report);
                return ExitCodes.Success;
            }
            var w = invocation.Out;
            if (report.Scripts.Count == 0)
                w.WriteLine("Nothing to apply: the database is up to date.");
            foreach (var script in report.Scripts)
            {
                w.WriteLine($"== {script.Id} ({script.Module}, {script.Mode})");
                if (script.Error is not null)
                    w.WriteLine($"   cannot plan in advance: {script.Error}");
                foreach (var warning in script.Warnings)
                    w.WriteLine("   warning: " + warning);
                foreach (var step in script.Steps)
                {
                    if (step.Description != "execute")
                        w.WriteLine($"   -- {step.Description}");
                    foreach (var sql in step.Sql)
                        w.WriteLine("   " + sql.Replace("\n", "\n   ", StringComparison.Ordinal) + ";");
                }
            }
            w.Flush();
            // A script that only fails because it needs earlier pending changes does not fail the plan.
            return report.Scripts.Any(s => s.Error is not null && !s.AfterPendingScripts) ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }
}
