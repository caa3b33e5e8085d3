namespace Swap;

/// <summary>What an operator can tell a running swap through Swap's control table.</summary>
public enum ControlCommand
{
    /// <summary>Stop copying and applying at the next chunk boundary (capture keeps recording).</summary>
    Pause,
    /// <summary>Undo a pause (also one that critical load made).</summary>
    Resume,
    /// <summary>Change a live-tunable setting (<see cref="LiveSettings.Names"/>).</summary>
    Set,
    /// <summary>Let a postponed cut-over happen now.</summary>
    CutOver,
    /// <summary>Abandon the running swap: capture, copy and log removed, original untouched, script left pending.</summary>
    Abort,
}

/// <summary>The names commands have in the control table and on the command line.</summary>
public static class ControlCommands
{
    /// <summary>The command's name: <c>pause</c>, <c>resume</c>, <c>set</c>, <c>cut-over</c> or <c>abort</c>.</summary>
    public static string Name(this ControlCommand command) => command switch
    {
        ControlCommand.Pause => "pause",
        ControlCommand.Resume => "resume",
        ControlCommand.Set => "set",
        ControlCommand.CutOver => "cut-over",
        _ => "abort",
    };

    /// <summary>The command a control row names, or null for one this version does not know.</summary>
    public static ControlCommand? Parse(string? name) =>
        Enum.GetValues<ControlCommand>().Where(c => string.Equals(c.Name(), name, StringComparison.Ordinal)).Select(c => (ControlCommand?)c).FirstOrDefault();
}

/// <summary>One command in the control table: who sent it and when, and what the running swap made of it.</summary>
/// <param name="Id">A unique id (a GUID).</param>
/// <param name="HandledAtUtc">When a running swap took it; null while pending.</param>
/// <param name="Outcome">What the swap did (<c>paused</c>, <c>chunk-time = 200ms</c>, <c>aborting</c>...).</param>
public sealed record ControlRecord(string Id, ControlCommand Command, string? Argument, string SentBy, DateTime SentAtUtc, DateTime? HandledAtUtc, string? Outcome)
{
    /// <summary>True once a running swap took the command (<see cref="HandledAtUtc"/> is set).</summary>
    public bool Handled => HandledAtUtc is not null;
}
