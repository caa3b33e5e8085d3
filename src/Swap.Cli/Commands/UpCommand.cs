using System.CommandLine;
using Swap.Cli.Output;
using Swap.Reports;

namespace Swap.Cli.Commands;

internal sealed class UpCommand : ICommand
{
    public Command Build(Invocation invocation)
    {
        var to = new Option<string?>("--to") { Description = "Apply up to and including this script id." };
        var steps = new Option<int?>("--steps") { Description = "Apply at most this many scripts." };
        var budget = new Option<string?>("--time-budget") { Description = "Stop cleanly after the step in progress once this much time is spent (e.g. 10m); run again to continue." };
        var allowChanged = new Option<bool>("--allow-changed") { Description = "Run even if applied scripts changed since they were applied." };
        var keepOld = new Option<bool>("--keep-old") { Description = "Keep the original of each swapped table (renamed _<table>_swap_old) for a rollback window; 'swap cleanup --drop-old' drops them." };
        var chunkTime = new Option<string?>("--chunk-time") { Description = "Target time per copy chunk (default 500ms); the chunk size adapts to it." };
        var chunkSize = new Option<int?>("--chunk-size") { Description = "Rows in the first copy chunk (default 1000); later chunks adapt to --chunk-time." };
        var maxChunkSize = new Option<int?>("--max-chunk-size") { Description = "The largest a copy chunk may grow (default 200000)." };
        var cutOverWait = new Option<string?>("--cut-over-lock-wait") { Description = "Longest lock wait per cut-over attempt (default 1s)." };
        var cutOverRetries = new Option<int?>("--cut-over-retries") { Description = "Cut-over attempts after the first before giving up (default 10)." };
        var placeholders = PlaceholderOption.Create();
        var tags = TagsOption.Create("A selected script whose dependency is pending and untagged is refused (exit 7).");
        var command = new Command("up", "Apply pending scripts in order, as one batch. Failed or interrupted scripts resume where they stopped.") { to, steps, tags, placeholders, budget, allowChanged, keepOld, chunkTime, chunkSize, maxChunkSize, cutOverWait, cutOverRetries };
        command.SetAction(async (parse, ct) =>
        {
            var up = new UpOptions
            {
                To = parse.GetValue(to),
                Steps = parse.GetValue(steps),
                Tags = TagsOption.Read(parse, tags),
                TimeBudget = parse.GetValue(budget) is { } b ? Durations.Parse(b, "--time-budget") : null,
            };
            if (up.Steps is <= 0)
                throw new SwapException(SwapErrorKind.Usage, $"--steps must be 1 or more, not {up.Steps}.");
            var (_, migrator) = invocation.Migrator(parse, o =>
            {
                o.AllowChangedScripts = parse.GetValue(allowChanged);
                PlaceholderOption.Apply(parse, placeholders, o);
                o.Swap.KeepOldTables = parse.GetValue(keepOld);
                if (parse.GetValue(chunkTime) is { } t)
                    o.Swap.ChunkTargetTime = Durations.Parse(t, "--chunk-time");
                if (parse.GetValue(chunkSize) is { } size)
                    o.Swap.InitialChunkSize = size > 0 ? size : throw new SwapException(SwapErrorKind.Usage, "--chunk-size must be 1 or more.");
                if (parse.GetValue(maxChunkSize) is { } max)
                {
                    o.Swap.MaxChunkSize = max > 0 ? max : throw new SwapException(SwapErrorKind.Usage, "--max-chunk-size must be 1 or more.");
                    o.Swap.MinChunkSize = Math.Min(o.Swap.MinChunkSize, max);
                }
                if (parse.GetValue(cutOverWait) is { } w)
                    o.Swap.CutOverLockTimeout = Durations.Parse(w, "--cut-over-lock-wait");
                if (parse.GetValue(cutOverRetries) is { } r)
                    o.Swap.CutOverRetries = r >= 0 ? r : throw new SwapException(SwapErrorKind.Usage, "--cut-over-retries must be 0 or more.");
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
        w.WriteLine(result.Applied.Count == 0
            ? "Nothing to apply: the database is up to date."
            : $"Applied {result.Applied.Count} script(s) as batch {result.Batch}.");
        if (result.Stopped == StopReason.BudgetSpent)
            w.WriteLine($"Stopped: the time budget is spent; {result.StillPending} script(s) still pending. Run 'swap up' again to continue.");
        else if (result.StillPending > 0)
            w.WriteLine($"{result.StillPending} script(s) still pending.");
        w.Flush();
    }
}
