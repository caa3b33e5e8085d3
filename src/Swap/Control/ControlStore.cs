using System.Data.Common;
using System.Text.Json;
using Swap.Data;
using Swap.Dialects;
using Swap.History;

namespace Swap.Control;

/// <summary>Reads and writes the control table and the live-status table. Reading never creates them.</summary>
internal sealed class ControlStore(SwapDatabase database, RunnerTables tables)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private string Control => database.Dialect.Quote(tables.Control);

    private string Live => database.Dialect.Quote(tables.LiveStatus);

    public async Task EnsureTablesAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(database.Dialect.CreateControlTable(tables.Control), cancellationToken);
        await connection.ExecuteAsync(database.Dialect.CreateLiveStatusTable(tables.LiveStatus), cancellationToken);
    }

    public Task SendAsync(DbConnection connection, ControlRecord record, CancellationToken cancellationToken) =>
        record.HandledAtUtc is { } handled
            ? connection.ExecuteAsync(
                $"INSERT INTO {Control} (command_id, command, argument, sent_by, sent_at, handled_at, outcome) VALUES (@id, @command, @argument, @by, @at, @handled, @outcome)",
                new { id = record.Id, command = record.Command.Name(), argument = record.Argument ?? "", by = Truncate(record.SentBy, 255), at = record.SentAtUtc, handled, outcome = Truncate(record.Outcome ?? "", 1000) },
                null,
                cancellationToken)
            : connection.ExecuteAsync(
                $"INSERT INTO {Control} (command_id, command, argument, sent_by, sent_at) VALUES (@id, @command, @argument, @by, @at)",
                new { id = record.Id, command = record.Command.Name(), argument = record.Argument ?? "", by = Truncate(record.SentBy, 255), at = record.SentAtUtc },
                null,
                cancellationToken);

    /// <summary>Commands no swap has taken yet, oldest first.</summary>
    public async Task<IReadOnlyList<ControlRecord>> PendingAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ReadAsync(connection, $"SELECT * FROM {Control} WHERE handled_at IS NULL ORDER BY sent_at, command_id", null, cancellationToken);

    /// <summary>The newest pause or resume, taken or not: whether a swap that starts now starts paused.</summary>
    public async Task<ControlRecord?> LatestPauseOrResumeAsync(DbConnection connection, CancellationToken cancellationToken) =>
        (await ReadAsync(connection, $"SELECT * FROM {Control} WHERE command IN ('pause', 'resume') ORDER BY sent_at DESC, command_id DESC LIMIT 1", null, cancellationToken)).FirstOrDefault();

    public async Task<ControlRecord?> FindAsync(DbConnection connection, string id, CancellationToken cancellationToken) =>
        (await ReadAsync(connection, $"SELECT * FROM {Control} WHERE command_id = @id", new { id }, cancellationToken)).FirstOrDefault();

    /// <summary>The newest <paramref name="count"/> commands, newest first.</summary>
    public async Task<IReadOnlyList<ControlRecord>> RecentAsync(DbConnection connection, int count, CancellationToken cancellationToken) =>
        await ReadAsync(connection, $"SELECT * FROM {Control} ORDER BY sent_at DESC, command_id DESC LIMIT {count.ToString(System.Globalization.CultureInfo.InvariantCulture)}", null, cancellationToken);

    /// <summary>Records what became of a command; only a pending one (true when it was pending).</summary>
    public async Task<bool> MarkHandledAsync(DbConnection connection, string id, DateTime atUtc, string outcome, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(
            $"UPDATE {Control} SET handled_at = @at, outcome = @outcome WHERE command_id = @id AND handled_at IS NULL",
            new { id, at = atUtc, outcome = Truncate(outcome, 1000) },
            null,
            cancellationToken) > 0;

    public async Task WriteLiveAsync(DbConnection connection, LiveSwapStatus status, CancellationToken cancellationToken)
    {
        var p = new { id = status.ScriptId, runner = Truncate(status.Runner, 255), at = status.UpdatedAtUtc, snapshot = JsonSerializer.Serialize(status, Json) };
        if (await connection.ExecuteAsync($"UPDATE {Live} SET runner = @runner, updated_at = @at, snapshot = @snapshot WHERE script_id = @id", p, null, cancellationToken) == 0)
            await connection.ExecuteAsync($"INSERT INTO {Live} (script_id, runner, updated_at, snapshot) VALUES (@id, @runner, @at, @snapshot)", p, null, cancellationToken);
    }

    public Task DeleteLiveAsync(DbConnection connection, string scriptId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync($"DELETE FROM {Live} WHERE script_id = @id", new { id = scriptId }, null, cancellationToken);

    public async Task<IReadOnlyList<LiveSwapStatus>> ReadLiveAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (!await database.TableExistsAsync(connection, tables.LiveStatus, cancellationToken))
            return [];
        var rows = await connection.QueryAsync($"SELECT snapshot FROM {Live} ORDER BY script_id", null, cancellationToken);
        return rows.Select(r => JsonSerializer.Deserialize<LiveSwapStatus>(r.String("snapshot")!, Json)!).ToList();
    }

    public Task<bool> ControlTableExistsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        database.TableExistsAsync(connection, tables.Control, cancellationToken);

    private async Task<List<ControlRecord>> ReadAsync(DbConnection connection, string sql, object? parameters, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync(sql, parameters, cancellationToken);
        return rows
            .Select(r => (Row: r, Command: ControlCommands.Parse(r.String("command"))))
            .Where(x => x.Command is not null)
            .Select(x => new ControlRecord(
                x.Row.String("command_id")!,
                x.Command!.Value,
                x.Row.String("argument") is { Length: > 0 } a ? a : null,
                x.Row.String("sent_by")!,
                x.Row.Timestamp("sent_at")!.Value,
                x.Row.Timestamp("handled_at"),
                x.Row.String("outcome")))
            .ToList();
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
