using System.Data.Common;
using Swap.Data;
using Swap.Dialects;
using Swap.Discovery;

namespace Swap.History;

/// <summary>Reads and writes the history table. Portable SQL; only the DDL comes from the dialect.</summary>
internal sealed class HistoryStore(SwapDatabase database, RunnerTables tables)
{
    private string Table => database.Dialect.Quote(tables.History);

    /// <summary>Creates the runner's tables if they are missing. Returns true when the history table was created now.</summary>
    public async Task<bool> EnsureTablesAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var created = !await database.TableExistsAsync(connection, tables.History, cancellationToken);
        var d = database.Dialect;
        await connection.ExecuteAsync(d.CreateHistoryTable(tables.History), cancellationToken);
        await connection.ExecuteAsync(d.CreateJournalTable(tables.Journal), cancellationToken);
        await connection.ExecuteAsync(d.CreateLockInfoTable(tables.LockInfo), cancellationToken);
        return created;
    }

    /// <summary>
    /// Drops Swap's own tables again (<see cref="RunnerTables.All"/> that exist) when none but the
    /// lock's holds a row: nothing was applied, recorded or started. Returns the tables dropped,
    /// none when any holds a row. For a run that found no history and was refused.
    /// </summary>
    public async Task<IReadOnlyList<string>> DropIfUnusedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var existing = new List<string>();
        foreach (var table in tables.All)
        {
            if (await database.TableExistsAsync(connection, table, cancellationToken))
                existing.Add(table);
        }
        // The lock's table holds the running holder's own row.
        foreach (var table in existing.Where(t => t != tables.LockInfo))
        {
            var rows = await connection.ScalarAsync($"SELECT COUNT(*) FROM (SELECT 1 AS x FROM {database.Dialect.Quote(table)} LIMIT 1) t", cancellationToken);
            if (Convert.ToInt64(rows, System.Globalization.CultureInfo.InvariantCulture) > 0)
                return [];
        }
        foreach (var table in existing)
            await connection.ExecuteAsync($"DROP TABLE {database.Dialect.Quote(table)}", cancellationToken);
        return existing;
    }

    /// <summary>All rows, or none when the table does not exist yet (reading never creates it).</summary>
    public async Task<IReadOnlyList<HistoryEntry>> ReadAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (!await database.TableExistsAsync(connection, tables.History, cancellationToken))
            return [];
        var rows = await connection.QueryAsync($"SELECT * FROM {Table} ORDER BY apply_order, script_id", null, cancellationToken);
        return rows.Select(r => new HistoryEntry(
            r.String("script_id")!,
            r.String("module")!,
            r.String("group_name"),
            r.String("kind")!,
            r.String("checksum")!,
            (int)r.Int64("batch")!.Value,
            r.Int64("apply_order")!.Value,
            Enum.Parse<HistoryStatus>(r.String("status")!, ignoreCase: true),
            r.Timestamp("started_at")!.Value,
            r.Timestamp("finished_at"),
            r.Int64("duration_ms"),
            r.String("error_text"),
            r.String("applied_by")!)).ToList();
    }

    /// <summary>Marks a script as started (insert, or update a failed/interrupted row).</summary>
    public Task BeginAsync(DbConnection connection, MigrationScript script, int batch, long applyOrder, DateTime nowUtc, string appliedBy, bool exists, CancellationToken cancellationToken)
    {
        var row = NewRow(script, batch, applyOrder, HistoryStatus.Running, nowUtc, null, appliedBy);
        return exists ? RewriteAsync(connection, row, cancellationToken) : InsertAsync(connection, null, row, cancellationToken);
    }

    /// <summary>
    /// Records a script as applied without running it (<c>swap baseline</c>). Its duration stays
    /// empty: that is how status tells a baselined script from one that ran here.
    /// </summary>
    public Task RecordBaselineAsync(DbConnection connection, DbTransaction transaction, MigrationScript script, int batch, long applyOrder, DateTime nowUtc, string appliedBy, CancellationToken cancellationToken) =>
        InsertAsync(connection, transaction, NewRow(script, batch, applyOrder, HistoryStatus.Applied, nowUtc, nowUtc, appliedBy), cancellationToken);

    private static HistoryEntry NewRow(MigrationScript script, int batch, long applyOrder, HistoryStatus status, DateTime startedUtc, DateTime? finishedUtc, string appliedBy) =>
        new(script.Id, script.Module, script.Group, KindName(script.Kind), script.Checksum, batch, applyOrder, status, startedUtc, finishedUtc, null, null, Truncate(appliedBy, 255));

    private Task InsertAsync(DbConnection connection, DbTransaction? transaction, HistoryEntry row, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            $"INSERT INTO {Table} (script_id, module, group_name, kind, checksum, batch, apply_order, status, started_at, finished_at, duration_ms, error_text, applied_by) VALUES (@id, @module, @grp, @kind, @checksum, @batch, @apply_order, @status, @started, @finished, @ms, @error, @by)",
            Parameters(row),
            transaction,
            cancellationToken);

    public Task MarkAppliedAsync(DbConnection connection, DbTransaction? transaction, string scriptId, DateTime nowUtc, long durationMs, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            $"UPDATE {Table} SET status = 'applied', finished_at = @now, duration_ms = @ms, error_text = NULL WHERE script_id = @id",
            new { id = scriptId, now = nowUtc, ms = durationMs },
            transaction,
            cancellationToken);

    public Task MarkFailedAsync(DbConnection connection, string scriptId, DateTime nowUtc, long durationMs, string error, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            $"UPDATE {Table} SET status = 'failed', finished_at = @now, duration_ms = @ms, error_text = @error WHERE script_id = @id",
            new { id = scriptId, now = nowUtc, ms = durationMs, error = Truncate(error, 8000) },
            null,
            cancellationToken);

    /// <summary>
    /// Puts a script's row back as <paramref name="earlier"/> had it (deletes it when there was
    /// none): a run that was refused before writing anything leaves no trace in the history.
    /// </summary>
    public Task RestoreAsync(DbConnection connection, string scriptId, HistoryEntry? earlier, CancellationToken cancellationToken) =>
        earlier is null
            ? DeleteAsync(connection, null, scriptId, cancellationToken)
            : RewriteAsync(connection, earlier with { ScriptId = scriptId }, cancellationToken);

    /// <summary>Writes every column of an existing script's row as <paramref name="row"/> has it.</summary>
    private Task RewriteAsync(DbConnection connection, HistoryEntry row, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            $"UPDATE {Table} SET module = @module, group_name = @grp, kind = @kind, checksum = @checksum, batch = @batch, apply_order = @apply_order, status = @status, started_at = @started, finished_at = @finished, duration_ms = @ms, error_text = @error, applied_by = @by WHERE script_id = @id",
            Parameters(row),
            null,
            cancellationToken);

    /// <summary>A history row's columns as parameters (@id, @module, @grp, @kind, @checksum, @batch, @apply_order, @status, @started, @finished, @ms, @error, @by).</summary>
    private static object Parameters(HistoryEntry row) => new
    {
        id = row.ScriptId,
        module = row.Module,
        grp = row.Group,
        kind = row.Kind,
        checksum = row.Checksum,
        batch = row.Batch,
        apply_order = row.ApplyOrder,
        status = row.Status.ToString().ToLowerInvariant(),
        started = row.StartedAtUtc,
        finished = row.FinishedAtUtc,
        ms = row.DurationMs,
        error = row.Error,
        by = row.AppliedBy,
    };

    public Task DeleteAsync(DbConnection connection, DbTransaction? transaction, string scriptId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync($"DELETE FROM {Table} WHERE script_id = @id", new { id = scriptId }, transaction, cancellationToken);

    internal static string KindName(ScriptKind kind) => kind == ScriptKind.Sql ? "sql" : "cs";

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
