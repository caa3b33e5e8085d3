using System.Globalization;

namespace Swap.Scenarios.Faults;

/// <summary>
/// What must hold after a successful run, read straight from the catalog (not through Swap): no
/// copies, old tables, triggers or functions left, an empty journal, the script recorded once.
/// </summary>
public static class TargetChecks
{
    /// <summary>Every object whose name Swap makes for a swap (<c>_t_swap_new</c>, <c>_t_swap_old</c>, triggers, functions, temporary index names).</summary>
    public static async Task<List<string>> LeftoversAsync(FaultTarget target)
    {
        await using var c = await target.OpenAsync();
        var sql = target.Engine switch
        {
            DatabaseEngine.PostgreSql => """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = @s AND c.relname LIKE '\_%\_swap\_%'
                UNION ALL SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = @s AND p.proname LIKE '\_%\_swap\_%'
                UNION ALL SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = @s AND NOT t.tgisinternal
                """,
            DatabaseEngine.MySql => """
                SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = @s AND TABLE_NAME LIKE '\_%\_swap\_%'
                UNION ALL SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = @s
                """,
            _ => "SELECT name FROM sqlite_master WHERE (name LIKE '\\_%\\_swap\\_%' ESCAPE '\\' OR type = 'trigger') AND @s = @s",
        };
        var rows = await Db.QueryAsync(c, sql, default, ("s", target.Name));
        return rows.Select(r => (string)r[0]!).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>True while Swap's capture triggers sit on the table.</summary>
    public static async Task<int> CaptureTriggersAsync(FaultTarget target, string table)
    {
        await using var c = await target.OpenAsync();
        var sql = target.Engine switch
        {
            DatabaseEngine.PostgreSql => "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = @s AND c.relname = @t AND t.tgname LIKE '%\\_swap\\_%'",
            DatabaseEngine.MySql => "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = @s AND EVENT_OBJECT_TABLE = @t AND TRIGGER_NAME LIKE '%\\_swap\\_%'",
            _ => "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = @t AND @s = @s",
        };
        return Convert.ToInt32(await Db.ScalarAsync(c, sql, default, ("s", target.Name), ("t", table)), CultureInfo.InvariantCulture);
    }

    /// <summary>The table's column names, in order.</summary>
    public static async Task<List<string>> ColumnsAsync(FaultTarget target, string table)
    {
        await using var c = await target.OpenAsync();
        var sql = target.Engine switch
        {
            DatabaseEngine.PostgreSql => "SELECT column_name FROM information_schema.columns WHERE table_schema = @s AND table_name = @t ORDER BY ordinal_position",
            DatabaseEngine.MySql => "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = @s AND TABLE_NAME = @t ORDER BY ORDINAL_POSITION",
            _ => "SELECT name FROM pragma_table_info(@t) WHERE @s = @s ORDER BY cid",
        };
        return (await Db.QueryAsync(c, sql, default, ("s", target.Name), ("t", table))).Select(r => (string)r[0]!).ToList();
    }

    /// <summary>Index names on the table (the primary key excluded where the engine lists it apart).</summary>
    public static async Task<List<string>> IndexesAsync(FaultTarget target, string table)
    {
        await using var c = await target.OpenAsync();
        var sql = target.Engine switch
        {
            DatabaseEngine.PostgreSql => "SELECT indexname FROM pg_indexes WHERE schemaname = @s AND tablename = @t ORDER BY indexname",
            DatabaseEngine.MySql => "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = @s AND TABLE_NAME = @t ORDER BY INDEX_NAME",
            _ => "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = @t AND @s = @s ORDER BY name",
        };
        return (await Db.QueryAsync(c, sql, default, ("s", target.Name), ("t", table))).Select(r => (string)r[0]!).ToList();
    }

    /// <summary>Rows of Swap's history: (script id, status).</summary>
    public static async Task<List<(string Id, string Status)>> HistoryAsync(FaultTarget target)
    {
        await using var c = await target.OpenAsync();
        var rows = await Db.QueryAsync(c, "SELECT script_id, status FROM swap_history ORDER BY script_id", default);
        return rows.Select(r => ((string)r[0]!, (string)r[1]!)).ToList();
    }

    public static async Task<long> JournalRowsAsync(FaultTarget target)
    {
        await using var c = await target.OpenAsync();
        return Convert.ToInt64(await Db.ScalarAsync(c, "SELECT COUNT(*) FROM swap_journal WHERE script_id NOT LIKE '%@methods'", default), CultureInfo.InvariantCulture);
    }

    /// <summary>One swapped table after a successful run: it equals the oracle and has the new column and index.</summary>
    public static async Task<List<string>> TableProblemsAsync(FaultTarget target, ItemsTable table, ItemsModel model)
    {
        var problems = await table.CompareAsync(model, expectLabel: true);
        var columns = await ColumnsAsync(target, table.Name);
        if (!columns.SequenceEqual(["id", "grp", "name", "qty", "note", "grp_label"]))
            problems.Add($"the table's columns are {string.Join(", ", columns)}; expected id, grp, name, qty, note, grp_label");
        if (!(await IndexesAsync(target, table.Name)).Contains(table.IndexName))
            problems.Add($"the new index {table.IndexName} is missing");
        return problems;
    }

    /// <summary>
    /// The full check after a successful run: the table equals the oracle (see
    /// <see cref="ItemsTable.CompareAsync"/>), has the new column and index, nothing Swap made is
    /// left, the journal is empty and the history holds the script once, applied.
    /// </summary>
    public static async Task<List<string>> AfterSuccessAsync(FaultTarget target, ItemsTable table, ItemsModel model, IReadOnlyList<string>? scripts = null)
    {
        scripts ??= [ItemsTable.ScriptId];
        var problems = await TableProblemsAsync(target, table, model);
        var leftovers = await LeftoversAsync(target);
        if (leftovers.Count > 0)
            problems.Add("left behind after success: " + string.Join(", ", leftovers));
        var journal = await JournalRowsAsync(target);
        if (journal != 0)
            problems.Add($"the journal still has {journal} row(s) after success");
        var history = await HistoryAsync(target);
        if (!history.Select(h => h.Id).Order(StringComparer.Ordinal).SequenceEqual(scripts.Order(StringComparer.Ordinal)) || history.Any(h => !string.Equals(h.Status, "applied", StringComparison.OrdinalIgnoreCase)))
            problems.Add($"the history should hold {string.Join(", ", scripts)} once each, applied; it holds: {string.Join(", ", history.Select(h => $"{h.Id} ({h.Status})"))}");
        return problems;
    }
}
