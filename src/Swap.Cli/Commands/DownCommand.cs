using System.CommandLine;
using Swap.Cli.Output;

namespace Swap.Cli.Commands;

internal sealed class DownCommand : ICommand
{
    public Command Build(Invocation invocation)
    {
        var count = new Argument<int>("count") { HelpName = "count", Description = "How many of the last applied scripts to revert.", DefaultValueFactory = _ => 1 };
        var batch = new Option<int?>("--batch") { HelpName = "n", Description = "Revert every script of this batch instead ('swap status' shows the batches)." };
        var swap = new SwapRunOptions();
        var placeholders = PlaceholderOption.Create();
        var command = new Command("down", "Revert the last applied script(s), newest first, or a whole batch.") { count, batch, placeholders };
        swap.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var n = parse.GetValue(count);
            var b = parse.GetValue(batch);
            if (b is null && n <= 0)
                throw new SwapException(SwapErrorKind.Usage, $"down takes a count of 1 or more, not {n}.");
            await using var metrics = swap.StartMetrics(parse);
            var (_, migrator) = invocation.Migrator(parse, o =>
            {
                swap.Apply(parse, o, invocation);
                PlaceholderOption.Apply(parse, placeholders, o);
            });
            var result = await migrator.DownAsync(new DownOptions { Count = n, Batch = b, TimeBudget = swap.Budget(parse) }, ct);
            if (invocation.Json(parse))
            {
                Json.Write(invocation.Out, new { reverted = result.Reverted.Select(r => new { id = r.Id, durationMs = (long)r.Duration.TotalMilliseconds }), budgetSpent = result.BudgetSpent ? true : (bool?)null });
                return ExitCodes.Success;
            }
            foreach (var r in result.Reverted)
                invocation.Out.WriteLine($"reverted\t{r.Id}\t{Durations.Format(r.Duration)}");
            invocation.Out.WriteLine(Summary(result, b is null ? n : null));
            invocation.Out.Flush();
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Summary(DownResult result, int? asked)
    {
        var done = result.Reverted.Count;
        if (result.BudgetSpent)
            return $"Reverted {done} script(s); stopped: the time budget is spent. Run 'swap down' again to continue.";
        if (done == 0)
            return "Nothing to revert: no script is applied.";
        return asked is { } n && n > done
            ? $"Reverted {done} script(s): {n} asked, but only {done} were applied."
            : $"Reverted {done} script(s).";
    }
}
