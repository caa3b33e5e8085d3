using System.Data.Common;

namespace Swap.Running;

/// <summary>
/// The journal entry of a multi-phase operation (a table swap), as the operation sees it: where
/// it got to, and a way to record progress, optionally in the same transaction as the work.
/// </summary>
internal sealed class OperationState(string phase, string? data, DbTransaction? transaction, Func<string, string?, DbTransaction?, Task> save, Func<Task>? forget = null)
{
    /// <summary>
    /// Removes the operation's journal entry, as if it had never started: for an operation that
    /// stopped and removed everything it made (values that do not fit the change). Inside one
    /// transaction there is nothing to remove: the entry is written only when the transaction commits.
    /// </summary>
    public Task ForgetAsync() => forget?.Invoke() ?? Task.CompletedTask;

    /// <summary>The last recorded phase; <c>started</c> for a fresh operation.</summary>
    public string Phase { get; private set; } = phase;

    /// <summary>The operation's own data (JSON) recorded with the phase.</summary>
    public string? Data { get; private set; } = data;

    /// <summary>The transaction the whole operation runs in (SQLite, or a transactional script), or null.</summary>
    public DbTransaction? Transaction { get; } = transaction;

    /// <summary>True when nothing may commit on its own: the operation runs inside one transaction.</summary>
    public bool InTransaction => Transaction is not null;

    /// <summary>Records progress. Pass the chunk's transaction to commit progress with the work.</summary>
    public async Task SaveAsync(string newPhase, string? newData, DbTransaction? withTransaction = null)
    {
        await save(newPhase, newData, withTransaction ?? Transaction);
        Phase = newPhase;
        Data = newData;
    }
}
