using System.Data.Common;
using Microsoft.Data.Sqlite;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.Sqlite;

/// <summary>
/// SQLite keeps a view as the text that created it and compiles it when it is read; views bind by
/// name, so after the swap they read the new table, and a column the swap drops or renames would
/// leave a view failing every query. Right after the copy is made, the copy is put in the table's
/// place for a moment (<see cref="CheckViewsOnCopyAsync"/>) and each view over the table compiled
/// there; at the cut-over each is compiled again over the real new table (<see cref="CheckViewsAsync"/>),
/// for a view created while the swap ran.
/// </summary>
internal sealed partial class SqliteTableEngine
{
    /// <summary>
    /// In a savepoint rolled back at once: the original renamed aside and the empty copy renamed to
    /// its name (<c>legacy_alter_table</c> on, so neither rename rewrites a view), then each view over
    /// the table compiled with <c>SELECT * ... LIMIT 0</c>. The database ends as it was.
    /// </summary>
    private async Task CheckViewsOnCopyAsync(DbConnection connection, DbTransaction? transaction, TableSchema original, SwapNames names, CancellationToken cancellationToken)
    {
        var views = await ViewsOverAsync(connection, transaction, original.Name, cancellationToken);
        if (views.Count == 0)
            return;
        var refusals = new List<string>();
        await connection.ExecuteAsync("SAVEPOINT swap_view_check", null, transaction, cancellationToken);
        try
        {
            await connection.ExecuteAsync("PRAGMA legacy_alter_table = ON", null, transaction, cancellationToken);
            await connection.ExecuteAsync($"ALTER TABLE {D.Quote(original.Name)} RENAME TO {D.Quote(names.Copy + "_view_check")}", null, transaction, cancellationToken);
            await connection.ExecuteAsync($"ALTER TABLE {D.Quote(names.Copy)} RENAME TO {D.Quote(original.Name)}", null, transaction, cancellationToken);
            foreach (var view in views)
            {
                if (await CompileAsync(connection, transaction, view, cancellationToken) is { } failure)
                    refusals.Add($"the view '{view}' reads a column of '{original.Name}' that the new table drops or renames ({failure})");
            }
        }
        finally
        {
            await connection.ExecuteAsync("ROLLBACK TO swap_view_check", null, transaction, CancellationToken.None);
            await connection.ExecuteAsync("RELEASE swap_view_check", null, transaction, CancellationToken.None);
            await connection.ExecuteAsync("PRAGMA legacy_alter_table = OFF", null, transaction, CancellationToken.None);
        }
        if (refusals.Count == 0)
            return;
        await connection.ExecuteAsync($"DROP TABLE IF EXISTS {D.Quote(names.Copy)}", null, transaction, cancellationToken);
        throw new SwapException(
            SwapErrorKind.Refused,
            $"Swap cannot change '{original.Name}' on SQLite: {string.Join("; ", refusals)}. SQLite would keep the view and fail every query of it after the change. " +
            "Drop the view in the migration before the change and create it again after (for example with plain SQL), or keep the columns it reads; nothing was changed.");
    }

    /// <summary>Views bind by name, so they now read the new table; one that no longer compiles (a column it reads is gone, or a view created during the swap) stops the cut-over.</summary>
    private async Task CheckViewsAsync(DbConnection connection, DbTransaction tx, SwapSpec spec, CancellationToken cancellationToken)
    {
        foreach (var view in await ViewsOverAsync(connection, tx, spec.Original.Name, cancellationToken))
        {
            if (await CompileAsync(connection, tx, view, cancellationToken) is { } failure)
            {
                throw new SwapException(
                    SwapErrorKind.Refused,
                    $"The view '{view}' does not work with the new '{spec.Original.Name}' ({failure}); nothing was swapped, the original is in place and capture keeps the copy current. " +
                    "Drop the view in the migration before the swap and create it again after, then run 'swap up' again.");
            }
        }
    }

    /// <summary>The views whose text names <paramref name="table"/> (a mention in a string costs a check, never a missed view).</summary>
    private static async Task<List<string>> ViewsOverAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken) =>
        (await connection.QueryAsync("SELECT name FROM sqlite_master WHERE type = 'view' AND instr(lower(sql), lower(@table)) > 0", new { table }, transaction, cancellationToken))
            .Select(v => v.String("name")!)
            .ToList();

    /// <summary>Compiles the view; SQLite's message when it does not compile, else null.</summary>
    private async Task<string?> CompileAsync(DbConnection connection, DbTransaction? transaction, string view, CancellationToken cancellationToken)
    {
        try
        {
            await connection.QueryAsync($"SELECT * FROM {D.Quote(view)} LIMIT 0", null, transaction, cancellationToken);
            return null;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1)
        {
            return e.Message.TrimEnd('.');
        }
    }
}
