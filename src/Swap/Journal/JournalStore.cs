using System.Data.Common;
using Swap.Data;
using Swap.Dialects;
using Swap.History;

namespace Swap.Journal;

/// <summary>Reads and writes the step journal.</summary>
internal sealed class JournalStore(SwapDatabase database, RunnerTables tables)
{
    private string Table => database.Dialect.Quote(tables.Journal);

    public async Task<Dictionary<int, JournalEntry>> ReadAsync(DbConnection connection, DbTransaction? transaction, string scriptId, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync($"SELECT * FROM {Table} WHERE script_id = @id ORDER BY seq", new { id = scriptId }, transaction, cancellationToken);
        return rows.Select(ToEntry).ToDictionary(e => e.Seq);
    }

    /// <summary>Every script with journal rows, for status and cleanup.</summary>
    public async Task<IReadOnlyList<JournalEntry>> ReadAllAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (!await database.TableExistsAsync(connection, tables.Journal, cancellationToken))
            return [];
        var rows = await connection.QueryAsync($"SELECT * FROM {Table} ORDER BY script_id, seq", null, cancellationToken);
        return rows.Select(ToEntry).ToList();
    }

    /// <summary>Writes a step's state: update when the row exists, insert otherwise.</summary>
    public async Task WriteAsync(DbConnection connection, DbTransaction? transaction, JournalEntry entry, CancellationToken cancellationToken)
    {
        var p = new { id = entry.ScriptId, seq = entry.Seq, op = entry.Op, fp = entry.Fingerprint, state = entry.State, data = entry.Data, now = entry.UpdatedAtUtc };
        var updated = await connection.ExecuteAsync(
            $"UPDATE {Table} SET op = @op, fingerprint = @fp, state = @state, data = @data, updated_at = @now WHERE script_id = @id AND seq = @seq",
            p,
            transaction,
            cancellationToken);
        if (updated == 0)
        {
            await connection.ExecuteAsync(
                $"INSERT INTO {Table} (script_id, seq, op, fingerprint, state, data, updated_at) VALUES (@id, @seq, @op, @fp, @state, @data, @now)",
                p,
                transaction,
                cancellationToken);
        }
    }

    public Task DeleteAsync(DbConnection connection, DbTransaction? transaction, string scriptId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync($"DELETE FROM {Table} WHERE script_id = @id", new { id = scriptId }, transaction, cancellationToken);

    /// <summary>Deletes one step's row: the step is as if it had never started.</summary>
    public Task DeleteStepAsync(DbConnection connection, string scriptId, int seq, CancellationToken cancellationToken) =>
        connection.ExecuteAsync($"DELETE FROM {Table} WHERE script_id = @id AND seq = @seq", new { id = scriptId, seq }, null, cancellationToken);

    private static JournalEntry ToEntry(Row r) => new(
        r.String("script_id")!,
        (int)r.Int64("seq")!.Value,
        r.String("op")!,
        r.String("fingerprint")!,
        r.String("state")!,
        r.String("data"),
        r.Timestamp("updated_at")!.Value);
}
