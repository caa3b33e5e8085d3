using Swap.Journal;
using Swap.Running;

namespace Swap.Instant;

/// <summary>
/// How each table change of a script was made (instant, in place or copy, and why), kept in the
/// journal under the key <c>script@methods</c>, one row per <c>DoneUsingTablesAsync</c> in the order
/// the script made them. The rows outlive the script's own journal (deleted once it is applied), so
/// <c>status</c> can say what an applied script did; <c>down</c> deletes them with the history row.
/// </summary>
internal static class ChangeMethodRecords
{
    public const string KeySuffix = "@methods";

    private const string Op = "method";

    public static string Key(string scriptId) => scriptId + KeySuffix;

    public static bool IsKey(string journalKey) => journalKey.EndsWith(KeySuffix, StringComparison.Ordinal);

    /// <summary>
    /// Records the <paramref name="ordinal"/>-th change of the running script, in its transaction when it
    /// has one; a resumed run writes the same row again. Nothing for a dry run or a down.
    /// </summary>
    public static Task RecordAsync(ScriptSession session, int ordinal, string text)
    {
        if (session.Mode == ExecutionMode.DryRun || session.JournalKey != session.Script.Id)
            return Task.CompletedTask;
        var entry = new JournalEntry(Key(session.Script.Id), ordinal, Op, "", JournalEntry.Done, StepData.Encode(text, null), session.Run.Time.GetUtcNow().UtcDateTime);
        return new JournalStore(session.Database, session.Run.Tables).WriteAsync(session.Connection, session.Transaction, entry, session.CancellationToken);
    }

    /// <summary>The recorded methods per script id, in order.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> FromJournal(IEnumerable<JournalEntry> journal) =>
        journal.Where(j => IsKey(j.ScriptId) && j.Op == Op)
            .GroupBy(j => j.ScriptId[..^KeySuffix.Length], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.OrderBy(j => j.Seq).Select(j => StepData.Description(j.Data) ?? "").ToList(), StringComparer.Ordinal);
}
