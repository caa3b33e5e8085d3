using System.CommandLine;
using Swap.Cli.Output;
using Swap.Control;

namespace Swap.Cli.Commands;

/// <summary>
/// A command to the running swap through the control table (<c>pause</c>, <c>resume</c>,
/// <c>set</c>, <c>cut-over</c>, <c>abort</c>): recorded with who sent it, then awaited until the
/// running swap takes it (<c>--wait</c>) and its outcome printed.
/// </summary>
internal abstract class ControlVerb : ICommand
{
    private readonly Option<string?> wait = new("--wait") { HelpName = "duration", Description = "How long to wait for the running swap to take the command (default 30s; 0 returns at once)." };

    protected abstract ControlCommand Verb { get; }

    protected abstract string Description { get; }

    /// <summary>What a command no swap took within --wait means for this verb; null: it is withdrawn and the verb fails with exit 11.</summary>
    protected abstract string? WhenNotTaken { get; }

    protected virtual void AddArguments(Command command)
    {
    }

    protected virtual string? Argument(ParseResult parse) => null;

    public Command Build(Invocation invocation)
    {
        var command = new Command(Verb.Name(), Description) { wait };
        AddArguments(command);
        command.SetAction(async (parse, ct) =>
        {
            var argument = Argument(parse);
            var waitFor = parse.GetValue(wait) is { } w ? Durations.Parse(w, "--wait") : TimeSpan.FromSeconds(30);
            var control = invocation.Control(parse);
            var sent = await control.SendAsync(Verb, argument, ct);
            // A command that waits for the next swap (pause, resume) is not waited for when no swap
            // runs now: it is recorded, and the answer is the same after --wait as at once.
            if (WhenNotTaken is not null && !await control.IsSwapRunningAsync(ct))
                waitFor = TimeSpan.Zero;
            var now = await control.WaitHandledAsync(sent, waitFor, ct);
            if (!now.Handled && WhenNotTaken is null)
            {
                if (await control.WithdrawAsync(sent, $"no running swap took it within {Durations.Format(waitFor)}", ct))
                {
                    throw new SwapException(
                        SwapErrorKind.NoSwapRunning,
                        $"No running swap took '{Verb.Name()}' within {Durations.Format(waitFor)}; it was withdrawn. 'swap status --live' shows whether a swap runs (a swap inside a long index build or cut-over takes commands when it reaches its next chunk; pass a longer --wait).");
                }
                now = await control.WaitHandledAsync(sent, TimeSpan.Zero, ct);
            }
            if (invocation.Json(parse))
            {
                Json.Write(invocation.Out, new { command = Verb.Name(), argument, id = now.Id, sentBy = now.SentBy, sentAt = now.SentAtUtc, taken = now.Handled, takenAt = now.HandledAtUtc, outcome = now.Outcome });
                return ExitCodes.Success;
            }
            var what = Verb.Name() + (argument is null ? "" : " " + argument);
            invocation.Out.WriteLine(now.Handled ? $"{what}: {now.Outcome}" : $"{what}: recorded, not taken yet: {WhenNotTaken}");
            invocation.Out.Flush();
            return ExitCodes.Success;
        });
        return command;
    }
}

internal sealed class PauseCommand : ControlVerb
{
    protected override ControlCommand Verb => ControlCommand.Pause;

    protected override string Description => "Pause the running swap at its next chunk boundary: copying and applying stop, capture keeps recording. Lasts until 'swap resume', also for swaps that start later.";

    protected override string? WhenNotTaken => "no swap is running; a swap that starts or resumes now starts paused until 'swap resume'.";
}

internal sealed class ResumeCommand : ControlVerb
{
    protected override ControlCommand Verb => ControlCommand.Resume;

    protected override string Description => "Resume a paused swap (paused by 'swap pause' or by --critical-load).";

    protected override string? WhenNotTaken => "no swap is running; swaps that start now are not paused.";
}

internal sealed class CutOverCommand : ControlVerb
{
    protected override ControlCommand Verb => ControlCommand.CutOver;

    protected override string Description => "Let a postponed cut-over ('swap up --postpone-cut-over') happen now, or as soon as the swap is ready.";

    protected override string? WhenNotTaken => "the postponed swap is not running; it cuts over when 'swap up' resumes it.";
}

internal sealed class AbortCommand : ControlVerb
{
    protected override ControlCommand Verb => ControlCommand.Abort;

    protected override string Description => "Abort the running swap from any host: its copy, capture and change log are removed, the original is untouched, the script stays pending. Its 'swap up' exits with 10. A running 'swap revert' stops with nothing swapped back and its window open (exit 10).";

    protected override string? WhenNotTaken => null;
}

internal sealed class SetCommand : ControlVerb
{
    private readonly Argument<string> setting = new("setting") { Description = $"One of: {string.Join(", ", LiveSettings.Names)}." };
    private readonly Argument<string> value = new("value") { Description = "A duration (200ms, 2s) for chunk-time and max-replica-lag; a number of sessions or 'off' for max-load and critical-load." };

    protected override ControlCommand Verb => ControlCommand.Set;

    protected override string Description => "Change a setting of the running swap at its next chunk boundary (chunk-time, max-replica-lag, max-load, critical-load).";

    protected override string? WhenNotTaken => null;

    protected override void AddArguments(Command command)
    {
        command.Arguments.Add(setting);
        command.Arguments.Add(value);
    }

    protected override string? Argument(ParseResult parse) => LiveSettings.Normalize(parse.GetValue(setting)!, parse.GetValue(value)!);
}
