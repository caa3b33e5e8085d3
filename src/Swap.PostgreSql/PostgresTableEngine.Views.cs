using System.Data.Common;
using System.Text.Json;
using Swap.Data;
using Swap.Engine.Schema;

namespace Swap.PostgreSql;

internal sealed partial class PostgresTableEngine
{
    /// <summary>
    /// The cut-over replaces each view over the table with its definition (CREATE OR REPLACE VIEW)
    /// and re-creates the table's triggers from theirs, both naming the columns as they were, and a
    /// view may not change a column's type: a column the swap drops or renames, or a type change that
    /// reaches a view's output, would fail it after the whole copy. An instant rename is fine
    /// (PostgreSQL updates views and triggers itself), so only the copy asks. A type change is tried
    /// on an empty temporary stand-in of the table under the table's name, in a transaction rolled
    /// back at once: the view's definition compiled over it must give the same column types.
    /// </summary>
    public override async Task<IReadOnlyList<string>> CopyRefusalsAsync(DbConnection connection, DbTransaction? transaction, TableSchema original, DbTable target, CancellationToken cancellationToken)
    {
        var refusals = new List<string>();
        var retyped = new List<string[]>();
        foreach (var view in JsonSerializer.Deserialize<List<string[]>>(original.Extra.GetValueOrDefault("views") ?? "[]") ?? [])
        {
            if (view[1] != "v" || view.Length < 3)
                continue;
            foreach (var used in JsonSerializer.Deserialize<List<string>>(view[2]) ?? [])
            {
                var kept = target.Columns.FirstOrDefault(t => string.Equals(t.OriginalName, used, StringComparison.Ordinal));
                if (kept is null)
                    refusals.Add($"The view '{ViewName(view)}' reads the column '{used}', which this swap drops. Drop the view in the migration before the swap and create it again after.");
                else if (!string.Equals(kept.Name, used, StringComparison.Ordinal))
                    refusals.Add($"The view '{ViewName(view)}' reads the column '{used}', which this swap renames to '{kept.Name}'. Rename the column in a migration of its own (ALTER TABLE ... RENAME COLUMN, instant, and it updates the view), or drop the view before the swap and create it again after.");
                else if (kept.TypeChanged && !retyped.Contains(view))
                    retyped.Add(view);
            }
        }
        // The cut-over re-creates the table's own triggers from their definitions too.
        foreach (var trigger in JsonSerializer.Deserialize<List<string[]>>(original.Extra.GetValueOrDefault("trigger_columns") ?? "[]") ?? [])
        {
            foreach (var used in JsonSerializer.Deserialize<List<string>>(trigger[1]) ?? [])
            {
                var kept = target.Columns.FirstOrDefault(t => string.Equals(t.OriginalName, used, StringComparison.Ordinal));
                if (kept is null)
                    refusals.Add($"The trigger '{trigger[0]}' names the column '{used}' (UPDATE OF or WHEN), which this swap drops. Drop the trigger in the migration before the swap and create it again after.");
                else if (!string.Equals(kept.Name, used, StringComparison.Ordinal))
                    refusals.Add($"The trigger '{trigger[0]}' names the column '{used}' (UPDATE OF or WHEN), which this swap renames to '{kept.Name}'. Rename the column in a migration of its own (ALTER TABLE ... RENAME COLUMN, instant, and it updates the trigger), or drop the trigger before the swap and create it again after.");
            }
        }
        if (refusals.Count == 0 && retyped.Count > 0)
            refusals.AddRange(await RetypedViewsAsync(connection, transaction, original, target, retyped, cancellationToken));
        return refusals;
    }

    private async Task<List<string>> RetypedViewsAsync(DbConnection connection, DbTransaction? transaction, TableSchema original, DbTable target, List<string[]> views, CancellationToken cancellationToken)
    {
        const string OutputTypes = "SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = CAST(@view AS regclass) AND attnum > 0 ORDER BY attnum";
        var refusals = new List<string>();
        var own = transaction is null ? await connection.BeginTransactionAsync(cancellationToken) : null;
        var tx = transaction ?? own!;
        try
        {
            if (own is null)
                await connection.ExecuteAsync("SAVEPOINT swap_view_probe", null, tx, cancellationToken);
            await connection.ExecuteAsync($"SET LOCAL search_path = {D.Quote(database.Schema)}", null, tx, cancellationToken);
            // The definitions are read while the table is visible by its plain name, so they name it unqualified.
            var definitions = new Dictionary<string, string>();
            foreach (var view in views)
                definitions[Q(ViewSchema(view), view[0])] = (string)(await connection.ScalarAsync("SELECT pg_get_viewdef(CAST(@view AS regclass))", new { view = Q(ViewSchema(view), view[0]) }, tx, cancellationToken))!;
            var columns = target.Columns.Where(c => c.OriginalName is not null)
                .Select(c => $"{D.Quote(c.OriginalName!)} {(c.Type is null ? c.Original!.NativeType : D.TypeSql(c.Type))}");
            // A temporary table comes first in the search path: the definitions now read the stand-in.
            await connection.ExecuteAsync($"CREATE TEMPORARY TABLE {D.Quote(original.Name)} ({string.Join(", ", columns)})", null, tx, cancellationToken);
            foreach (var view in views)
            {
                var before = (await connection.QueryAsync(OutputTypes, new { view = Q(ViewSchema(view), view[0]) }, tx, cancellationToken)).Select(r => (r.String("name"), r.String("type"))).ToList();
                try
                {
                    await connection.ExecuteAsync($"CREATE TEMPORARY VIEW {D.Quote("_swap_view_probe")} AS {definitions[Q(ViewSchema(view), view[0])].TrimEnd().TrimEnd(';')}", null, tx, cancellationToken);
                }
                catch (DbException e)
                {
                    // The probe's transaction is aborted now: the rest is not tried (the finally rolls it back).
                    var why = e is Npgsql.PostgresException pe ? $"{pe.SqlState}: {pe.MessageText}" : e.Message;
                    refusals.Add($"The view '{ViewName(view)}' does not compile over the new column types ({why}), so the cut-over could not replace it. Drop the view in the migration before the swap and create it again after.");
                    break;
                }
                var after = (await connection.QueryAsync(OutputTypes, new { view = "pg_temp._swap_view_probe" }, tx, cancellationToken)).Select(r => (r.String("name"), r.String("type"))).ToList();
                await connection.ExecuteAsync($"DROP VIEW pg_temp.{D.Quote("_swap_view_probe")}", null, tx, cancellationToken);
                var changed = before.Zip(after).Where(p => p.First.Item2 != p.Second.Item2).Select(p => $"'{p.First.Item1}' from {p.First.Item2} to {p.Second.Item2}").ToList();
                if (changed.Count > 0)
                    refusals.Add($"The view '{ViewName(view)}' would change the type of its column {string.Join(", ", changed)}, which the cut-over cannot do (it replaces the view in place). Drop the view in the migration before the swap and create it again after.");
            }
        }
        finally
        {
            if (own is not null)
            {
                await own.RollbackAsync(cancellationToken);
                await own.DisposeAsync();
            }
            else
            {
                await connection.ExecuteAsync("ROLLBACK TO SAVEPOINT swap_view_probe", null, tx, cancellationToken);
            }
        }
        return refusals;
    }
}
