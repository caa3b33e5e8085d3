namespace Swap.Engine;

/// <summary>
/// The stages of one online swap, in order. A stage is recorded in the journal when it is
/// complete; a resumed swap continues with the next. <see cref="VerifyFailed"/> is terminal until
/// <c>swap cleanup</c>.
/// </summary>
internal enum SwapStage
{
    Started,
    CopyCreated,
    CaptureInstalled,
    Copied,
    Indexed,
    Verified,
    Swapped,
    CaptureRemoved,
    OldDropped,
    VerifyFailed,
}

/// <summary>The journal's names of <see cref="SwapStage"/> (kept as they were, so journals of earlier versions resume).</summary>
internal static class SwapStages
{
    private static readonly (SwapStage Stage, string Name)[] Names =
    [
        (SwapStage.Started, "started"),
        (SwapStage.CopyCreated, "copy-created"),
        (SwapStage.CaptureInstalled, "capture-installed"),
        (SwapStage.Copied, "copied"),
        (SwapStage.Indexed, "indexed"),
        (SwapStage.Verified, "verified"),
        (SwapStage.Swapped, "swapped"),
        (SwapStage.CaptureRemoved, "capture-removed"),
        (SwapStage.OldDropped, "old-dropped"),
        (SwapStage.VerifyFailed, "verify-failed"),
    ];

    public static string Name(this SwapStage stage) => Names.First(n => n.Stage == stage).Name;

    /// <summary>The stage a journal row names; an unknown or empty name is <see cref="SwapStage.Started"/>.</summary>
    public static SwapStage Parse(string? name) =>
        Names.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.Ordinal)) is { Name: not null } found ? found.Stage : SwapStage.Started;
}
