using System.CommandLine;
using Swap.Cli.Output;

namespace Swap.Cli.Commands;

internal sealed class UpCommand : ICommand
{
    public Command Build(Invocation invocation)
    {
        var to = new Option<string?>("--to") { HelpName = "id", Description = "Apply up to and including this script id." };
        var steps = new Option<int?>("--steps") { HelpName = "n", Description = "Apply at most this many scripts." };
        var allowChanged = new Option<bool>("--allow-changed") { Description = "Run even if applied scripts changed since they were applied." };
        var revertWindow = new Option<string?>("--revert-window") { HelpName = "duration", Description = "Keep each swapped table's original in sync for this long after the cut-over (e.g. 24h), so 'swap revert <script>' can take the swap back; 'swap finish <script>' ends it. Refused (exit 7) when the change cannot be taken back exactly." };
        var swap = new SwapRunOptions();
        var placeholders = PlaceholderOption.Create();
        var tags = TagsOption.Create("A selected script whose dependency is pending and untagged is refused (exit 7).");
        var command = new Command("up", "Apply pending scripts in order, as one batch. Failed or interrupted scripts resume where they stopped.") { to, steps, tags, placeholders, allowChanged, revertWindow };
        swap.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var up = new UpOptions
            {
                To = parse.GetValue(to),
                Steps = parse.GetValue(steps),
                Tags = TagsOption.Read(parse, tags),
                TimeBudget = swap.Budget(parse),
            };
            if (up.Steps is <= 0)
                throw new SwapException(SwapErrorKind.Usage, $"--steps must be 1 or more, not {up.Steps}.");
            await using var metrics = swap.StartMetrics(parse);
            var (_, migrator) = invocation.Migrator(parse, o =>
            {
                o.AllowChangedScripts = parse.GetValue(allowChanged);
                swap.Apply(parse, o, invocation);
                PlaceholderOption.Apply(parse, placeholders, o);
                if (parse.GetValue(revertWindow) is { } window)
                {
                    o.Swap.RevertWindow = Durations.Parse(window, "--revert-window");
                    if (o.Swap.RevertWindow <= TimeSpan.Zero)
                        throw new SwapException(SwapErrorKind.Usage, "--revert-window must be longer than 0 (e.g. 24h).");
                }
            });
            var result = await migrator.UpAsync(up, ct);
            Render(invocation, result, invocation.Json(parse));
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Render(Invocation invocation, UpResult result, bool json)
    {
        if (json)
        {
            Json.Write(invocation.Out, new
            {
                batch = result.Applied.Count > 0 ? result.Batch : (int?)null,
                applied = result.Applied.Select(a => new { id = a.Id, durationMs = (long)a.Duration.TotalMilliseconds, resumedSteps = a.ResumedSteps, resumedInterruptedStep = a.Resumed?.InterruptedOp }),
                stopped = result.Stopped,
                stillPending = result.StillPending,
            });
            return;
        }
        var w = invocation.Out;
        foreach (var a in result.Applied)
            w.WriteLine($"applied\t{a.Id}\t{Durations.Format(a.Duration)}{(a.Resumed is null ? "" : "\t" + a.Resumed)}");
        // A budget spent inside the first script applied nothing, but the database is not up to date.
        if (result.Applied.Count > 0)
            w.WriteLine($"Applied {result.Applied.Count} script(s) as batch {result.Batch}.");
        else if (result.Stopped != StopReason.BudgetSpent)
            w.WriteLine("Nothing to apply: the database is up to date.");
        if (result.Stopped == StopReason.BudgetSpent)
            w.WriteLine($"Stopped: the time budget is spent; {result.StillPending} script(s) still pending. Run 'swap up' again to continue.");
        else if (result.StillPending > 0)
            w.WriteLine($"{result.StillPending} script(s) still pending.");
        w.Flush();
    }
}
