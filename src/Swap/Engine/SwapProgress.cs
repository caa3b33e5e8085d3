using Swap.Engine;
namespace Swap;
/// <summary>The phases of an online swap, in order.</summary>
public enum SwapPhase
{
    Preflight,
    CreatingCopy,
    InstallingCapture,
    Copying,
    BuildingIndexes,
    Verifying,
    /// <summary>Everything up to the cut-over is done; capture and the applier keep the copy current until <c>swap cut-over</c> (<c>up --postpone-cut-over</c>).</summary>
    WaitingForCutOver,
    CuttingOver,
    RemovingCapture,
    DroppingOld,
    Done,
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
    public double Fraction => RowsEstimated <= 0 ? 0 : Math.Min(1, (double)RowsCopied / RowsEstimated);
}
