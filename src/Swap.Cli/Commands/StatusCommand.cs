using System.CommandLine;
using Swap.Cli.Output;

namespace Swap.Cli.Commands;

internal sealed class StatusCommand : ICommand
{
    public Command Build(Invocation invocation)
    {
        var tags = TagsOption.Create("Leftovers and the lock are shown as always.");
        var live = new Option<bool>("--live") { Description = "Only the swap running now, from any host: phase, rows, rate, ETA, backlog, throttle, pause, postponed cut-over, and the process that runs it. Needs no migrations folder." };
        var watch = new Option<bool>("--watch") { Description = "Show it again every --every until Ctrl+C (with --live: until no swap runs). With --json, one JSON document per line." };
        var every = new Option<string?>("--every") { HelpName = "duration", Description = "How often --watch shows it again (default 2s)." };
        var command = new Command("status", "Show applied, pending, changed, failed, interrupted and missing scripts, by module, and what runs next; with --live, the swap running now.") { tags, live, watch, every };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(every) is not null && !parse.GetValue(watch))
                throw new SwapException(SwapErrorKind.Usage, "--every says how often --watch shows the status again, and there is no --watch: add it ('swap status --watch --every 5s'), or leave --every out.");
            var interval = parse.GetValue(every) is { } e ? Durations.Parse(e, "--every") : TimeSpan.FromSeconds(2);
            if (interval <= TimeSpan.Zero)
                throw new SwapException(SwapErrorKind.Usage, "--every must be above zero.");
            var json = invocation.Json(parse);
            try
            {
                while (true)
                {
                    if (parse.GetValue(live))
                    {
                        var report = await invocation.Control(parse).ReportAsync(10, ct);
                        LiveView.Render(invocation, report, json);
                        if (parse.GetValue(watch) && report.Running.Count == 0)
                            return ExitCodes.Success;
                    }
                    else
                    {
                        var (_, migrator) = invocation.Migrator(parse);
                        var report = await migrator.StatusAsync(TagsOption.Read(parse, tags), ct);
                        StatusView.Render(invocation, report, json);
                    }
                    if (!parse.GetValue(watch))
                        return ExitCodes.Success;
                    await Task.Delay(interval, invocation.Time, ct);
                    if (!json)
                        invocation.Out.WriteLine();
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested && parse.GetValue(watch))
            {
                return ExitCodes.Success;
            }
        });
        return command;
    }
}
