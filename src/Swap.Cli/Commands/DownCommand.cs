using System.CommandLine;
using Swap.Cli.Output;

namespace Swap.Cli.Commands;

internal sealed class DownCommand : ICommand
{
    public Command Build(Invocation invocation)
    {
        var count = new Argument<int>("count") { Description = "How many of the last applied scripts to revert.", DefaultValueFactory = _ => 1 };
        var batch = new Option<int?>("--batch") { Description = "Revert every script of this batch instead." };
        var placeholders = PlaceholderOption.Create();
        var command = new Command("down", "Revert the last applied script(s), newest first, or a whole batch.") { count, batch, placeholders };
        command.SetAction(async (parse, ct) =>
        {
            var n = parse.GetValue(count);
            var b = parse.GetValue(batch);
            if (b is null && n <= 0)
                throw new SwapException(SwapErrorKind.Usage, $"down takes a count of 1 or more, not {n}.");
            var (_, migrator) = invocation.Migrator(parse, o => PlaceholderOption.Apply(parse, placeholders, o));
            var result = await migrator.DownAsync(new DownOptions { Count = n, Batch = b }, ct);
            if (invocation.Json(parse))
            {
                Json.Write(invocation.Out, new { reverted = result.Reverted.Select(r => new { id = r.Id, durationMs = (long)r.Duration.TotalMilliseconds }) });
                return ExitCodes.Success;
            }
            foreach (var r in result.Reverted)
                invocation.Out.WriteLine($"reverted\t{r.Id}\t{Durations.Format(r.Duration)}");
            invocation.Out.WriteLine(result.Reverted.Count == 0 ? "Nothing to revert." : $"Reverted {result.Reverted.Count} script(s).");
            invocation.Out.Flush();
            return ExitCodes.Success;
        });
        return command;
    }
}
