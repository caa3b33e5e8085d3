using System.CommandLine;
using Swap.Cli.Output;

namespace Swap.Cli.Commands;

/// <summary><c>swap revert &lt;script&gt;</c>: takes a swap back through its open revert window.</summary>
internal sealed class RevertCommand : ICommand
{
    public Command Build(Invocation invocation)
    {
        var script = new Argument<string>("script") { HelpName = "script", Description = "The script whose swap to take back (it must have an open revert window; 'swap status' lists them)." };
        var cutOverWait = new Option<string?>("--cut-over-lock-wait") { HelpName = "duration", Description = "Longest lock wait per cut-over attempt (default 1s)." };
        var cutOverRetries = new Option<int?>("--cut-over-retries") { HelpName = "n", Description = "Cut-over attempts after the first before giving up with exit 9 (default 10)." };
        var command = new Command("revert", "Take back a swap within its revert window: apply the writes made since, swap the old tables back in under a bounded lock, record the script pending again.") { script, cutOverWait, cutOverRetries };
        command.SetAction(async (parse, ct) =>
        {
            var (_, migrator) = invocation.Migrator(parse, o =>
            {
                if (parse.GetValue(cutOverWait) is { } w)
                    o.Swap.CutOverLockTimeout = Durations.ParsePositive(w, "--cut-over-lock-wait");
                if (parse.GetValue(cutOverRetries) is { } r)
                    o.Swap.CutOverRetries = r >= 0 ? r : throw new SwapException(SwapErrorKind.Usage, "--cut-over-retries must be 0 or more.");
            });
            var result = await migrator.RevertAsync(parse.GetValue(script)!, ct);
            if (invocation.Json(parse))
            {
                Json.Write(invocation.Out, new { reverted = result.ScriptId, tables = result.Tables, durationMs = (long)result.Duration.TotalMilliseconds });
                return ExitCodes.Success;
            }
            invocation.Out.WriteLine($"reverted\t{result.ScriptId}\t{string.Join(", ", result.Tables)}\t{Durations.Format(result.Duration)}");
            invocation.Out.WriteLine($"Swapped back {string.Join(", ", result.Tables)}; {result.ScriptId} is pending again.");
            invocation.Out.Flush();
            return ExitCodes.Success;
        });
        return command;
    }
}
