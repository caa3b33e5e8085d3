using System.Data.Common;
using Swap.Dialects;
using Swap.History;
using Swap.Journal;

namespace Swap.Engine.Revert;

/// <summary>
/// Reads and writes revert windows. They live in the journal table under the key
/// <c>script@window</c> (one row per swap of the script), so they outlast the script's own
/// journal, which is deleted when the script is recorded applied.
/// </summary>
internal sealed class RevertWindowStore(SwapDatabase database, RunnerTables tables)
{
    private readonly JournalStore journal = new(database, tables);

    /// <summary>Every window of every script, oldest first; none when Swap's tables do not exist yet.</summary>
    public async Task<IReadOnlyList<RevertWindow>> ReadAllAsync(DbConnection connection, CancellationToken cancellationToken) =>
        FromJournal(await journal.ReadAllAsync(connection, cancellationToken));

    public static IReadOnlyList<RevertWindow> FromJournal(IEnumerable<JournalEntry> entries) =>
        entries.Where(e => RevertWindow.IsKey(e.ScriptId) && e.Op == RevertWindow.Op && StepData.Result(e.Data) is not null)
            .Select(e => RevertWindow.Read(RevertWindow.ScriptOf(e.ScriptId), e.Seq, RevertWindow.ParseStage(e.State), StepData.Result(e.Data)!))
            .OrderBy(w => w.OpenedUtc)
            .ThenBy(w => w.ScriptId, StringComparer.Ordinal)
            .ThenBy(w => w.Seq)
            .ToList();

    /// <summary>The windows of one script, in the order its swaps ran.</summary>
    public async Task<IReadOnlyList<RevertWindow>> ReadAsync(DbConnection connection, DbTransaction? transaction, string scriptId, CancellationToken cancellationToken)
    {
        if (!await database.TableExistsAsync(connection, tables.Journal, cancellationToken))
            return [];
        var rows = await journal.ReadAsync(connection, transaction, RevertWindow.Key(scriptId), cancellationToken);
        // Ids are compared with their letter case, as everywhere else: MySQL's collation of the
        // journal's key column is not (a 'swap finish migrateitems' closed MigrateItems's window).
        return FromJournal(rows.Values).Where(w => string.Equals(w.ScriptId, scriptId, StringComparison.Ordinal)).OrderBy(w => w.Seq).ToList();
    }

    /// <summary>Writes a window with its stage (insert or update).</summary>
    public Task WriteAsync(DbConnection connection, DbTransaction? transaction, RevertWindow window, DateTime nowUtc, CancellationToken cancellationToken) =>
        journal.WriteAsync(
            connection,
            transaction,
            new JournalEntry(
                RevertWindow.Key(window.ScriptId),
                window.Seq,
                RevertWindow.Op,
                "",
                RevertWindow.Name(window.Stage),
                StepData.Encode($"revert window of {string.Join(", ", window.TableNames)}", window.Write()),
                nowUtc),
            cancellationToken);

    /// <summary>Forgets every window of a script (after a revert or a finish).</summary>
    public Task DeleteAsync(DbConnection connection, DbTransaction? transaction, string scriptId, CancellationToken cancellationToken) =>
        journal.DeleteAsync(connection, transaction, RevertWindow.Key(scriptId), cancellationToken);
}
