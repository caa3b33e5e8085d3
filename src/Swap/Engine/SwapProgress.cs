using Swap.Engine;
namespace Swap;
/// <summary>The phases of an online swap, in order.</summary>
public enum SwapPhase
{
    /// <summary>Read-only checks before anything is written: what the engine refuses, NULLs and duplicates the change would reject.</summary>
    Preflight,
    /// <summary>Creating the empty copy (<c>_&lt;table&gt;_swap_new</c>) with the new structure.</summary>
    CreatingCopy,
    /// <summary>Installing the triggers that log the application's writes to the original in a change log.</summary>
    InstallingCapture,
    /// <summary>Copying rows in key-range chunks; <see cref="SwapProgress.RowsCopied"/> grows.</summary>
    Copying,
    /// <summary>Building the indexes left out of the copy until its rows were in.</summary>
    BuildingIndexes,
    /// <summary>Comparing the copy with the original, chunk by chunk.</summary>
    Verifying,
    /// <summary>Everything up to the cut-over is done; capture and the applier keep the copy current until <c>swap cut-over</c> (<c>up --postpone-cut-over</c>).</summary>
    WaitingForCutOver,
    /// <summary>Taking the table locks and renaming: the copy takes the original's name.</summary>
    CuttingOver,
    /// <summary>Removing the capture triggers and change log, and finishing the swapped table.</summary>
    RemovingCapture,
    /// <summary>Dropping the original (now <c>_&lt;table&gt;_swap_old</c>); kept with <see cref="OnlineSwapOptions.KeepOldTables"/>.</summary>
    DroppingOld,
    /// <summary>The table is swapped.</summary>
    Done,
    /// <summary>
    /// <c>swap revert</c> applies the reverse change log (the writes made to the swapped-in table
    /// since its cut-over) to the old table, before it compares the two and swaps the old one back
    /// (shown as <see cref="Verifying"/> and <see cref="CuttingOver"/>).
    /// </summary>
    Reverting,
}

/// <summary>A snapshot of a running swap, for progress bars and hosts; no log parsing needed.</summary>
/// <param name="Tables">The tables swapped together.</param>
/// <param name="Table">The table being worked on now.</param>
/// <param name="RowsCopied">Rows copied (or verified) so far in this phase, for this table.</param>
/// <param name="RowsEstimated">The engine's estimate of the table's rows.</param>
/// <param name="RowsPerSecond">Recent copy rate.</param>
/// <param name="Eta">Estimated time left in this phase, when it can be told.</param>
/// <param name="ChunkSize">The current chunk size.</param>
public sealed record SwapProgress(
    string ScriptId,
    IReadOnlyList<string> Tables,
    string Table,
    SwapPhase Phase,
    long RowsCopied,
    long RowsEstimated,
    double RowsPerSecond,
    TimeSpan? Eta,
    int ChunkSize)
{
    /// <summary>How far the phase is, from 0 to 1: <see cref="RowsCopied"/> over <see cref="RowsEstimated"/>, capped at 1; 0 without an estimate.</summary>
    public double Fraction => RowsEstimated <= 0 ? 0 : Math.Min(1, (double)RowsCopied / RowsEstimated);
}
