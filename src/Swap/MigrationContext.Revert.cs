namespace Swap;

public sealed partial class MigrationContext
{
    /// <summary>
    /// Keeps a revert window of <paramref name="length"/> for the tables this script swaps (from the
    /// next <see cref="DoneUsingTablesAsync"/> on), whatever the run's <c>--revert-window</c> says:
    /// after the cut-over the old table stays, kept in sync with every write, so that
    /// <c>swap revert</c> can swap it back. Preflight refuses the swap when the change cannot be taken
    /// back exactly (see docs/operating-online-swaps.md).
    /// </summary>
    public void KeepRevertWindow(TimeSpan length)
    {
        if (length <= TimeSpan.Zero)
            throw new SwapException(SwapErrorKind.Usage, $"{ScriptId}: KeepRevertWindow needs a positive length, not {length}.") { ScriptId = ScriptId };
        session.RevertWindow = length;
    }
}
