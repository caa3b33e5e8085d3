using System.CommandLine;
using Swap.Cli.Output;

namespace Swap.Cli.Commands;

internal sealed class ValidateCommand : ICommand
{
    public Command Build(Invocation invocation)
    {
        var command = new Command("validate", "Fail (exit 4) on applied scripts that changed, recorded scripts that are gone, or pending scripts older than applied ones.");
        command.SetAction(async (parse, ct) =>
        {
            var (_, migrator) = invocation.Migrator(parse);
            var report = await migrator.ValidateAsync(ct);
            if (invocation.Json(parse))
            {
                Json.Write(invocation.Out, new { isValid = report.IsValid, problems = report.Problems, warnings = report.Warnings });
            }
            else
            {
                foreach (var p in report.Problems)
                    invocation.Out.WriteLine($"{p.Kind}\t{p.ScriptId}\t{p.Message}");
                foreach (var warning in report.Warnings)
                    invocation.Out.WriteLine("warning: " + warning);
                invocation.Out.WriteLine(report.IsValid ? "Valid: migrations and history agree." : $"Invalid: {report.Problems.Count} problem(s).");
                invocation.Out.Flush();
            }
            return report.IsValid ? ExitCodes.Success : ExitCodes.ValidationFailed;
        });
        return command;
    }
}
