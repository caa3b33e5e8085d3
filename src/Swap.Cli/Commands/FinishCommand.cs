using System.CommandLine;
using Swap.Cli.Output;

namespace Swap.Cli.Commands;

/// <summary><c>swap finish &lt;script&gt;</c>: keeps a swap and ends its revert window.</summary>
internal sealed class FinishCommand : ICommand
{
    public Command Build(Invocation invocation)
    {
        var script = new Argument<string>("script") { HelpName = "script", Description = "The script whose revert window to end ('swap status' lists them)." };
        var command = new Command("finish", "Keep a swap and end its revert window: drop the old tables and the reverse capture.") { script };
        command.SetAction(async (parse, ct) =>
        {
            var (_, migrator) = invocation.Migrator(parse);
            var result = await migrator.FinishAsync(parse.GetValue(script)!, ct);
            if (invocation.Json(parse))
            {
                Json.Write(invocation.Out, new { closed = result.Closed.Select(c => new { script = c.ScriptId, tables = c.Tables, why = c.Why }) });
                return ExitCodes.Success;
            }
            foreach (var (id, tables, why) in result.Closed)
                invocation.Out.WriteLine($"closed\t{id}\t{string.Join(", ", tables)}\t{why}");
            invocation.Out.WriteLine($"Closed {result.Closed.Count} revert window(s); the old tables and the reverse capture are dropped.");
            invocation.Out.Flush();
            return ExitCodes.Success;
        });
        return command;
    }
}
