using System.Globalization;
using Swap.Data;

namespace Swap.IntegrationTests.Infrastructure;

/// <summary>One row of the history table, as the tests read it back.</summary>
public sealed record HistoryRow(
    string ScriptId,
    string Module,
    string? Group,
    string Kind,
    string Checksum,
    long Batch,
    long ApplyOrder,
    string Status,
    DateTime StartedAt,
    DateTime? FinishedAt,
    long? DurationMs,
    string? Error,
    string AppliedBy);

/// <summary>Reads what a run left in a target: its tables, the history, row counts.</summary>
public static class TargetInspection
{
    /// <summary>Names of the target's tables, lower-case and sorted.</summary>
    public static async Task<List<string>> TablesAsync(this TestTarget target)
    {
        var sql = target.Engine switch
        {
            DatabaseEngine.Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            DatabaseEngine.PostgreSql => "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()",
            _ => "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()",
        };
        var rows = await target.QueryAsync(sql);
        return rows.Select(r => r.String("name")!.ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The history rows in apply order; empty when the table does not exist.</summary>
    public static async Task<List<HistoryRow>> HistoryAsync(this TestTarget target, string table = "swap_history")
    {
        if (!(await target.TablesAsync()).Contains(table))
            return [];
        var rows = await target.QueryAsync($"SELECT * FROM {table} ORDER BY apply_order, script_id");
        return rows.Select(r => new HistoryRow(
            r.String("script_id")!,
            r.String("module")!,
            r.String("group_name"),
            r.String("kind")!,
            r.String("checksum")!,
            r.Int64("batch")!.Value,
            r.Int64("apply_order")!.Value,
            r.String("status")!,
            r.Timestamp("started_at")!.Value,
            r.Timestamp("finished_at"),
            r.Int64("duration_ms"),
            r.String("error_text"),
            r.String("applied_by")!)).ToList();
    }

    /// <summary>Ids of the history rows with that status, in apply order.</summary>
    public static async Task<List<string>> HistoryIdsAsync(this TestTarget target, string status = "applied") =>
        (await target.HistoryAsync()).Where(h => h.Status == status).Select(h => h.ScriptId).ToList();

    public static async Task<long> CountAsync(this TestTarget target, string table, string where = "1 = 1") =>
        Convert.ToInt64(await target.ScalarAsync($"SELECT COUNT(*) FROM {table} WHERE {where}"), CultureInfo.InvariantCulture);

    /// <summary>The first column of every row, as invariant strings.</summary>
    public static async Task<List<string?>> ColumnAsync(this TestTarget target, string sql) =>
        (await target.QueryAsync(sql)).Select(r => Convert.ToString(r[0], CultureInfo.InvariantCulture)).ToList();

    /// <summary>Rows of the target's journal table (steps of interrupted scripts), without the methods applied scripts used (kept for status).</summary>
    public static async Task<long> JournalCountAsync(this TestTarget target) =>
        (await target.TablesAsync()).Contains("swap_journal") ? await target.CountAsync("swap_journal", "script_id NOT LIKE '%@methods'") : 0;
}
