namespace Swap.Journal;

/// <summary>
/// One journaled step of a script that runs step by step. <see cref="State"/> is <c>done</c> for a
/// finished step, <c>started</c> for a statement that cannot share a transaction with its journal
/// row, or a phase name for a multi-phase table operation.
/// </summary>
internal sealed record JournalEntry(string ScriptId, int Seq, string Op, string Fingerprint, string State, string? Data, DateTime UpdatedAtUtc)
{
    public const string Done = "done";
    public const string Started = "started";

    public bool IsDone => State == Done;
}
