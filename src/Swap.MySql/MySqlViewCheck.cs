using System.Data.Common;
using System.Text.Json;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.MySql;

/// <summary>
/// MySQL/MariaDB keep a view's definition as text, its tables and columns named as
/// <c>`db`.`t`.`c`</c> or through an alias, and check it only when the view is read. After a swap
/// the view reads the new table by name, so a column the swap drops or renames leaves the view
/// failing every query (1356) while the swap itself succeeds. The check:
/// <list type="number">
/// <item>when the table's schema is read, keeps the definitions of the views that name it (in any
/// schema: <see cref="LoadAsync"/>);</item>
/// <item>right after the copy is made, prepares each definition with the table's name replaced by
/// the copy's (<c>PREPARE</c> resolves every name without running the query or creating anything)
/// and refuses, with nothing changed, a view the new table cannot serve.</item>
/// </list>
/// A definition the account may not read (information_schema shows it empty without SHOW VIEW) is
/// not checked.
/// </summary>
internal sealed class MySqlViewCheck(MySqlDatabase database)
{
    private static MySqlDialect D => MySqlDialect.Instance;

    /// <summary>A view that names the table: its schema-qualified name as shown to users, the table's database, and its stored definition.</summary>
    public sealed record View(string Name, string Database, string Definition);

    private const string ExtraKey = "views";

    /// <summary>The definitions of the views that name <paramref name="table"/>, as the schema's <c>Extra</c> keeps them.</summary>
    public static async Task<string> LoadAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync(
            """
            SELECT TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION, DATABASE() AS DB, TABLE_SCHEMA = DATABASE() AS SAME_DB
            FROM information_schema.VIEWS
            WHERE VIEW_DEFINITION <> ''
              AND INSTR(VIEW_DEFINITION, CONCAT('`', REPLACE(DATABASE(), '`', '``'), '`.`', REPLACE(@name, '`', '``'), '`')) > 0
            ORDER BY TABLE_SCHEMA, TABLE_NAME
            """,
            new { name = table },
            transaction,
            cancellationToken);
        var views = rows.Select(r => new View(
                (r.Int64("SAME_DB") ?? 0) == 1 ? r.String("TABLE_NAME")! : r.String("TABLE_SCHEMA") + "." + r.String("TABLE_NAME"),
                r.String("DB")!,
                r.String("VIEW_DEFINITION")!))
            .ToList();
        return JsonSerializer.Serialize(views);
    }

    /// <summary>The views <see cref="LoadAsync"/> found over <paramref name="table"/> when its schema was read.</summary>
    public static IReadOnlyList<View> Views(TableSchema table) =>
        table.Extra.GetValueOrDefault(ExtraKey) is { } json ? JsonSerializer.Deserialize<List<View>>(json) ?? [] : [];

    /// <summary>Adds the views over the table to the schema's <c>Extra</c>.</summary>
    public static void Keep(Dictionary<string, string> extra, string views) => extra[ExtraKey] = views;

    /// <summary>Prepares each view's definition over the empty copy: a view the new table cannot serve fails the swap now, before any row is copied.</summary>
    public async Task CheckOnCopyAsync(DbConnection connection, TableSchema original, SwapNames names, CancellationToken cancellationToken)
    {
        var refusals = new List<string>();
        foreach (var view in Views(original))
        {
            var onCopy = view.Definition.Replace(
                D.QuoteQualified(view.Database, original.Name),
                D.QuoteQualified(view.Database, names.Copy),
                StringComparison.Ordinal);
            // A view already broken before the swap (it fails over the original too) is not the swap's to refuse.
            if (await PrepareAsync(connection, onCopy, cancellationToken) is { } failure && await PrepareAsync(connection, view.Definition, cancellationToken) is null)
                refusals.Add($"the view '{view.Name}' reads a column of '{original.Name}' that the new table drops or renames ({failure.Replace(names.Copy, original.Name, StringComparison.Ordinal)})");
        }
        if (refusals.Count == 0)
            return;
        await connection.ExecuteAsync($"DROP TABLE IF EXISTS {D.Quote(names.Copy)}", cancellationToken);
        throw new SwapException(
            SwapErrorKind.Refused,
            $"Swap cannot change '{original.Name}' on MySQL/MariaDB: {string.Join("; ", refusals)}. MySQL/MariaDB would keep the view and fail every query of it after the change. " +
            "Drop the view in the migration before the change and create it again after (for example with plain SQL), or keep the columns it reads; nothing was changed.");
    }

    /// <summary>Prepares <paramref name="select"/> and lets it go; the server's message when a column it names is unknown, else null.</summary>
    private async Task<string?> PrepareAsync(DbConnection connection, string select, CancellationToken cancellationToken)
    {
        try
        {
            await connection.ExecuteAsync("PREPARE _swap_view_check FROM @definition", new { definition = select }, null, cancellationToken);
            await connection.ExecuteAsync("DEALLOCATE PREPARE _swap_view_check", cancellationToken);
            return null;
        }
        catch (Exception e) when (database.IsDatabaseError(e) && MySqlDatabase.Code(e) == MySqlConnector.MySqlErrorCode.BadFieldError)
        {
            return e.Message;
        }
    }
}
