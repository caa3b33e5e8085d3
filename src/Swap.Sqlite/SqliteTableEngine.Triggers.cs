using System.Data.Common;
using System.Text.RegularExpressions;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.Sqlite;

internal sealed partial class SqliteTableEngine
{
    /// <summary>
    /// The table's own triggers come back on the new table at the cut-over as they were written, and
    /// SQLite resolves a trigger's columns only when it fires: a trigger naming a column the swap
    /// drops would break every later write of the application. For each trigger, in a savepoint rolled
    /// back at once (both tables end as they were), the original is renamed aside and the empty copy
    /// takes its name, the trigger is created on it as written, and the copy is renamed, which makes
    /// SQLite check every trigger (as its own <c>DROP COLUMN</c> does): so a body that writes the
    /// table by name (<c>UPDATE t SET dropped = ...</c>) is checked against the new columns too. Then
    /// the views over the table (<see cref="CheckViewsOnCopyAsync"/>).
    /// </summary>
    public override async Task CheckCopyAsync(DbConnection connection, DbTransaction? transaction, TableSchema original, SwapNames names, CancellationToken cancellationToken)
    {
        // In the script's transaction (a rebuild): refused here, before the rows are copied under its write lock.
        if (transaction is not null)
            await RefuseReferencedRebuildAsync(connection, transaction, original, cancellationToken);
        List<string>? writes = null;
        foreach (var trigger in original.Triggers.Where(t => !SwapNames.IsSwapName(t.Name)))
        {
            var checkName = names.UserTrigger(trigger.Name);
            // On the copy under the table's own name, as after the cut-over: the body's statements that
            // name the table (an UPDATE of the row just written) then resolve against the new columns.
            if (OnCopy(trigger.Definition, checkName, original.Name) is not { } create)
                continue;
            // The copy's columns, read once: each check renames the same copy to the same name.
            writes ??= FiringWrites(names.Copy + "_check", await ColumnNamesAsync(connection, transaction, names.Copy, cancellationToken));
            await connection.ExecuteAsync("SAVEPOINT swap_trigger_check", null, transaction, cancellationToken);
            try
            {
                await connection.ExecuteAsync($"ALTER TABLE {D.Quote(original.Name)} RENAME TO {D.Quote(names.Copy + "_original")}", null, transaction, cancellationToken);
                await connection.ExecuteAsync($"ALTER TABLE {D.Quote(names.Copy)} RENAME TO {D.Quote(original.Name)}", null, transaction, cancellationToken);
                await connection.ExecuteAsync(create, null, transaction, cancellationToken);
                await connection.ExecuteAsync($"ALTER TABLE {D.Quote(original.Name)} RENAME TO {D.Quote(names.Copy + "_check")}", null, transaction, cancellationToken);
                // The rename resolves NEW. and OLD. but not the columns an UPDATE sets or an INSERT
                // names; preparing a write compiles the triggers it fires with all of them (the rename
                // pointed the body's references to the table at its new name).
                foreach (var write in writes)
                    await connection.ExecuteAsync("EXPLAIN " + write, null, transaction, cancellationToken);
            }
            catch (Exception e) when (database.IsDatabaseError(e))
            {
                await connection.ExecuteAsync("ROLLBACK TO swap_trigger_check", null, transaction, cancellationToken);
                await connection.ExecuteAsync("RELEASE swap_trigger_check", null, transaction, cancellationToken);
                await connection.ExecuteAsync($"DROP TABLE IF EXISTS {D.Quote(names.Copy)}", null, transaction, cancellationToken);
                throw new SwapException(
                    SwapErrorKind.Refused,
                    $"Swap cannot change '{original.Name}' on SQLite: its trigger '{trigger.Name}' would not work on the new table ({e.Message.Replace(checkName, trigger.Name, StringComparison.Ordinal).TrimEnd('.')}). " +
                    "Swap puts a table's triggers back on the new table at the cut-over. Change or drop the trigger first (for example with plain SQL in an earlier migration), " +
                    "or keep the columns it uses; nothing was changed.",
                    e);
            }
            await connection.ExecuteAsync("ROLLBACK TO swap_trigger_check", null, transaction, cancellationToken);
            await connection.ExecuteAsync("RELEASE swap_trigger_check", null, transaction, cancellationToken);
        }
        await CheckViewsOnCopyAsync(connection, transaction, original, names, cancellationToken);
    }

    private static async Task<List<string>> ColumnNamesAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken) =>
        (await connection.QueryAsync("SELECT name FROM pragma_table_info(@t)", new { t = table }, transaction, cancellationToken))
            .Select(r => r.String("name")!)
            .ToList();

    /// <summary>An insert, an update of every column and a delete of <paramref name="table"/> that touch no row: what fires its triggers.</summary>
    private List<string> FiringWrites(string table, IReadOnlyList<string> columnNames)
    {
        var columns = columnNames.Select(D.Quote).ToList();
        var quoted = D.Quote(table);
        var writes = new List<string> { $"INSERT INTO {quoted} DEFAULT VALUES", $"DELETE FROM {quoted} WHERE 0" };
        if (columns.Count > 0)
            writes.Add($"UPDATE {quoted} SET {string.Join(", ", columns.Select(c => $"{c} = {c}"))} WHERE 0");
        return writes;
    }

    /// <summary>
    /// <paramref name="definition"/> (<c>CREATE TRIGGER name ... ON table ...</c>) renamed to
    /// <paramref name="name"/> and moved onto <paramref name="table"/>; null when its shape is not recognised.
    /// </summary>
    internal static string? OnCopy(string definition, string name, string table)
    {
        var head = TriggerHead().Match(definition);
        if (!head.Success)
            return null;
        var rest = definition[(head.Index + head.Length)..];
        var on = OnTarget().Match(rest);
        if (!on.Success)
            return null;
        var q = SqliteDialect.Instance;
        return definition[..head.Groups["name"].Index] + q.Quote(name) + rest[..on.Groups["table"].Index] + q.Quote(table) + rest[(on.Groups["table"].Index + on.Groups["table"].Length)..];
    }

    private const string Identifier = """(?:"(?:[^"]|"")*"|\[[^\]]*\]|`(?:[^`]|``)*`|[A-Za-z_][A-Za-z0-9_$]*)""";

    [GeneratedRegex(@"^\s*CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:" + Identifier + @"\s*\.\s*)?(?<name>" + Identifier + ")", RegexOptions.IgnoreCase)]
    private static partial Regex TriggerHead();

    /// <summary>The first <c>ON table</c> after the event (column names of <c>UPDATE OF</c> are skipped as identifiers).</summary>
    [GeneratedRegex(@"^(?:\s+|" + Identifier + @"|,)*?\s(?:ON|on|On|oN)\s+(?:" + Identifier + @"\s*\.\s*)?(?<table>" + Identifier + ")")]
    private static partial Regex OnTarget();
}
