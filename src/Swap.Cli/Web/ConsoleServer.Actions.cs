using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Swap.Cli.Web;

internal sealed partial class ConsoleServer
{
    private static readonly string[] ActionNames = ["up", "pause", "resume", "set", "cut-over", "abort", "cleanup"];

    /// <summary>
    /// The actions, only without <c>--read-only</c>: <c>up</c> and <c>cleanup</c> run in the
    /// background through the runner and its lock; the operators' commands go through the control
    /// table, exactly as <c>swap pause|resume|set|cut-over|abort</c> send them.
    /// </summary>
    private static void MapActions(WebApplication app, ConsoleTarget target, ConsoleRuns runs, ILogger logger)
    {
        app.MapPost("/api/actions/up", (HttpContext context) => Guard(context, async ct =>
        {
            var body = await ReadBodyAsync<ActionRequest>(context) ?? new ActionRequest();
            // No default: a request without 'what' (an empty POST) must not apply every pending script.
            if (string.IsNullOrWhiteSpace(body.What))
                throw new SwapException(SwapErrorKind.Usage, "Say what to apply: 'what' is step, group or all (for example {\"what\": \"step\"}).");
            var budget = body.TimeBudget is { Length: > 0 } b ? Durations.Parse(b, "timeBudget") : (TimeSpan?)null;
            if (budget <= TimeSpan.Zero)
                throw new SwapException(SwapErrorKind.Usage, "timeBudget must be longer than 0 (e.g. 10m).");
            var up = await SelectAsync(target, body.What, budget, ct);
            var what = $"up {body.What}" + (budget is { } t ? $" within {Durations.Format(t)}" : "") + (body.PostponeCutOver ? ", cut-over postponed" : "");
            await StartAsync(context, target, runs, logger, what, async stop =>
            {
                var result = await target.Migrator(o => o.Swap.PostponeCutOver = body.PostponeCutOver).UpAsync(up, stop);
                var summary = result.Applied.Count == 0
                    ? "Nothing to apply: the database is up to date."
                    : $"Applied {result.Applied.Count} script(s) as batch {result.Batch}: {string.Join(", ", result.Applied.Select(a => a.Id))}.";
                if (result.Stopped == StopReason.BudgetSpent)
                    summary += $" The time budget is spent; {result.StillPending} script(s) still pending.";
                else if (result.StillPending > 0)
                    summary += $" {result.StillPending} script(s) still pending.";
                return new RunOutcome(summary, new
                {
                    batch = result.Applied.Count > 0 ? result.Batch : (int?)null,
                    applied = result.Applied.Select(a => new { id = a.Id, durationMs = (long)a.Duration.TotalMilliseconds, resumedSteps = a.ResumedSteps }),
                    stopped = result.Stopped,
                    stillPending = result.StillPending,
                });
            });
        }));
        app.MapPost("/api/actions/cleanup", (HttpContext context) => Guard(context, async ct =>
        {
            var body = await ReadBodyAsync<ActionRequest>(context) ?? new ActionRequest();
            var what = "cleanup" + (body.Script is null ? "" : " --script " + body.Script) + (body.DropOld ? " --drop-old" : "");
            await StartAsync(context, target, runs, logger, what, async stop =>
            {
                var result = await target.Migrator().CleanupAsync(new CleanupOptions { Script = body.Script, DropOldTables = body.DropOld }, stop);
                var summary = result.Removed.Count == 0 ? "Nothing to clean up." : $"Removed {result.Removed.Count} leftover(s): {string.Join(", ", result.Removed.Select(r => r.Name))}.";
                if (result.ClosedWindows.Count > 0)
                    summary = (result.Removed.Count == 0 ? "" : summary + " ") + $"Closed {result.ClosedWindows.Count} expired revert window(s): {string.Join(", ", result.ClosedWindows.Select(c => c.ScriptId))}.";
                if (result.Kept.Count > 0)
                    summary += $" Kept {result.Kept.Count}: {string.Join("; ", result.Kept.Select(k => $"{k.Leftover.Name} ({k.Reason})"))}.";
                return new RunOutcome(summary, new { removed = result.Removed, kept = result.Kept.Select(k => new { k.Leftover.Kind, k.Leftover.Name, reason = k.Reason }), discardedSteps = result.DiscardedSteps });
            });
        }));
        foreach (var command in new[] { ControlCommand.Pause, ControlCommand.Resume, ControlCommand.CutOver, ControlCommand.Abort, ControlCommand.Set })
        {
            app.MapPost("/api/actions/" + command.Name(), (HttpContext context) => Guard(context, async ct =>
            {
                var body = await ReadBodyAsync<ActionRequest>(context) ?? new ActionRequest();
                var argument = command == ControlCommand.Set
                    ? LiveSettings.Normalize(body.Setting ?? throw new SwapException(SwapErrorKind.Usage, $"set needs a setting ({string.Join(", ", LiveSettings.Names)}) and a value."), body.Value ?? throw new SwapException(SwapErrorKind.Usage, "set needs a value."))
                    : null;
                var wait = body.Wait is { Length: > 0 } w ? Durations.Parse(w, "wait") : TimeSpan.FromSeconds(10);
                var remote = Remote(context);
                WebLog.ActionTaken(logger, command.Name(), argument is null ? "" : " " + argument, remote, target.Time.GetUtcNow().UtcDateTime);
                var control = target.Control(remote);
                ControlRecord now;
                try
                {
                    var sent = await control.SendAsync(command, argument, ct);
                    // As on the command line: a command that waits for the next swap (pause, resume, the
                    // cut-over of a postponed swap that is not running) is recorded, and answered at once.
                    if (command is not (ControlCommand.Set or ControlCommand.Abort) && !await control.IsSwapRunningAsync(ct))
                        wait = TimeSpan.Zero;
                    now = await control.WaitHandledAsync(sent, wait, ct);
                    // As on the command line: set and abort mean nothing to a swap that is not there.
                    if (!now.Handled && command is ControlCommand.Set or ControlCommand.Abort && await control.WithdrawAsync(sent, $"no running swap took it within {Durations.Format(wait)}", ct))
                        throw new SwapException(SwapErrorKind.NoSwapRunning, $"No running swap took '{command.Name()}' within {Durations.Format(wait)}; it was withdrawn.");
                }
                catch (SwapException e)
                {
                    WebLog.ActionFailed(logger, command.Name(), remote, e.Message);
                    throw;
                }
                await Json(context, target, new
                {
                    command = command.Name(),
                    argument,
                    id = now.Id,
                    sentBy = now.SentBy,
                    sentAt = now.SentAtUtc,
                    taken = now.Handled,
                    takenAt = now.HandledAtUtc,
                    outcome = now.Outcome,
                    message = now.Handled ? $"{command.Name()}: {now.Outcome}" : $"{command.Name()}: recorded, not taken yet (no swap is running now; the next one takes it)",
                }, now.Handled ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
            }));
        }
    }

    private static async Task StartAsync(HttpContext context, ConsoleTarget target, ConsoleRuns runs, ILogger logger, string what, Func<CancellationToken, Task<RunOutcome>> work)
    {
        var remote = Remote(context);
        var run = runs.Start(what, remote, work);
        if (run is null)
        {
            WebLog.ActionFailed(logger, what, remote, "a run from this console is in progress");
            await Error(context, StatusCodes.Status409Conflict, "busy", $"A run started from this console is in progress ({runs.Latest?.What}); wait for it, or pause or abort its swap.");
            return;
        }
        WebLog.ActionTaken(logger, what, " run " + run.Id, remote, run.StartedAtUtc);
        context.Response.Headers.Location = "/api/run";
        await Json(context, target, new { run }, StatusCodes.Status202Accepted);
    }

    /// <summary>The body of an action; each action reads the fields it needs.</summary>
    private sealed record ActionRequest
    {
        /// <summary>up: step, group or all.</summary>
        public string? What { get; init; }

        public string? TimeBudget { get; init; }

        public bool PostponeCutOver { get; init; }

        public string? Setting { get; init; }

        public string? Value { get; init; }

        /// <summary>How long a control command waits for the running swap to take it (default 10s).</summary>
        public string? Wait { get; init; }

        public string? Script { get; init; }

        public bool DropOld { get; init; }
    }
}
