using System.Globalization;
using Swap.Data;
using Swap.Dialects;

namespace Swap.Engine;

/// <summary>
/// Stops a swap whose copy met a value that does not fit the copy's column (a text longer than a
/// narrowed VARCHAR, a number out of a narrowed integer's range, text that is no number): finds
/// the first row that does not fit, removes the copy, capture and change log, forgets the swap's
/// journal entry (a later <c>swap up</c> starts it afresh, as if it had been refused before it
/// began) and returns the refusal (exit 7) that names the table, column, new type and key.
/// </summary>
/// <remarks>
/// The row is found by running the failed chunk's copy statement again over halves of its range,
/// each in a transaction that is rolled back (in the swap's own transaction when it runs in one):
/// the server decides what does not fit, exactly as it did, for any type and mapping. At most
/// about log2(rows) statements, each no larger than the chunk. A value the application wrote during
/// the copy is looked for among the keys at the head of the change log.
/// </remarks>
internal sealed class ValueMisfits(SwapContext swap)
{
    /// <summary>The most keys of a failed range searched (the last chunk is open-ended).</summary>
    internal const int MaxKeysSearched = 100_000;

    private SwapDatabase Database => swap.Session.Database;

    private SqlDialect Dialect => swap.Engine.Dialect;

    /// <summary>Finds the row, removes what the swap made (outside a transaction) and returns the refusal to throw.</summary>
    public async Task<SwapException> StopAsync(Exception error, ValueMisfit misfit)
    {
        var at = Find(error);
        SwapSpec? spec = at?.Spec;
        object?[]? key = null;
        try
        {
            if (at is { Key: { } known })
                key = known;
            else if (at is { FromLog: false })
                key = await FirstInRangeAsync(at.Spec, at.Lower, at.Upper, at.Rows);
            else
            {
                foreach (var candidate in at is null ? swap.Specs : [at.Spec])
                {
                    if ((key = await FirstInLogAsync(candidate)) is not null)
                    {
                        spec = candidate;
                        break;
                    }
                }
            }
        }
        catch (Exception e) when (Database.IsDatabaseError(e))
        {
            // The lookup is a courtesy: without it the message names the range instead.
            EngineLog.MisfitNotFound(swap.Logger, swap.ScriptId, e.Message);
        }
        spec ??= swap.Specs.Count == 1 ? swap.Specs[0] : null;
        var message = Message(spec, misfit, key, at);
        if (!swap.InTransaction)
        {
            try
            {
                await RemoveAsync();
            }
            catch (Exception e) when (Database.IsDatabaseError(e) || e is SwapException)
            {
                message += $" Removing the copy, capture and change log failed ({e.Message.TrimEnd('.')}): 'swap cleanup --script {swap.ScriptId}' removes the rest.";
            }
        }
        return new SwapException(SwapErrorKind.Refused, message, error) { ScriptId = swap.ScriptId };
    }

    private static ValueMisfitException? Find(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is ValueMisfitException m)
                return m;
        }
        return null;
    }

    private string Message(SwapSpec? spec, ValueMisfit misfit, object?[]? key, ValueMisfitException? at)
    {
        var table = spec?.Original.Name ?? swap.Tables;
        var where = key is not null
            ? $"the row with key {KeyValues.Show(key)}"
            : at is { FromLog: false } ? $"a row with a key {RangeText(at.Lower, at.Upper)}" : "a row the application wrote during the swap";
        var column = spec is null ? null : ColumnOf(spec, misfit.Column);
        var check = spec?.NewChecks.FirstOrDefault(k => NamesCheck(misfit.Reason, k.Name));
        var foreignKey = spec is null || !misfit.ForeignKey ? null : ForeignKeyOf(spec, misfit.Reason);
        var what = foreignKey is not null
            ? $"{where} fails the {(spec!.NewForeignKeys.Contains(foreignKey) ? "new " : "")}foreign key '{foreignKey.Name}' ({ForeignKeyText(foreignKey)}): '{foreignKey.ReferencedTable}' has no row with its {string.Join(", ", foreignKey.Columns)}"
            : misfit.ForeignKey
            ? $"{where} has no parent row for a foreign key of the new table"
            : check is not null
            ? $"{where} fails the new check '{check.Name}' ({check.Expression})"
            : column is { } c
            ? $"column '{c.Name}' becomes {TypeText(c)}, and {where} holds a value it cannot take"
            : $"{where} holds a value that a column of the new table cannot take" + (spec is null ? "" : ChangedColumnsText(spec));
        var done = swap.InTransaction
            ? "the swap's transaction was rolled back"
            : "the swap stopped before its cut-over and removed its copy, capture and change log";
        // The server names the table it was writing: the copy, under a name the user never made.
        var reason = spec is null ? misfit.Reason : misfit.Reason.Replace(spec.Names.Copy, spec.Original.Name, StringComparison.Ordinal);
        return $"{swap.ScriptId}: the values of '{table}' do not all fit the change: {what} ({reason}). " +
            $"Nothing was changed: {done}; '{table}' is as it was. " +
            "Fix or remove the values that do not fit, or change the migration; then run 'swap up' again.";
    }

    /// <summary>
    /// True when the server's words name the check: MariaDB's <c>CONSTRAINT `c` failed</c>, MySQL's
    /// <c>Check constraint 'c' is violated</c>, PostgreSQL's <c>violates check constraint "c"</c>,
    /// SQLite's <c>CHECK constraint failed: c</c>.
    /// </summary>
    internal static bool NamesCheck(string reason, string name) =>
        reason.Contains($"`{name.Replace("`", "``", StringComparison.Ordinal)}`", StringComparison.OrdinalIgnoreCase)
        || reason.Contains($"'{name}'", StringComparison.OrdinalIgnoreCase)
        || reason.Contains($"\"{name}\"", StringComparison.Ordinal)
        || reason.EndsWith("failed: " + name, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The foreign key the server's words name (SQLite names none: then the swap's only new one), or null.
    /// </summary>
    private static Schema.ForeignKeySchema? ForeignKeyOf(SwapSpec spec, string reason) =>
        spec.NewForeignKeys.Concat(spec.TargetForeignKeys).FirstOrDefault(f => NamesCheck(reason, f.Name))
        ?? (spec.NewForeignKeys.Count == 1 && reason.StartsWith("FOREIGN KEY constraint failed", StringComparison.Ordinal) ? spec.NewForeignKeys[0] : null);

    /// <summary>"k references owners (id)", as a message shows a foreign key.</summary>
    internal static string ForeignKeyText(Schema.ForeignKeySchema foreignKey) =>
        ForeignKeyText(foreignKey.Columns, foreignKey.ReferencedTable, foreignKey.ReferencedColumns);

    /// <summary>A foreign key as messages show it: "owner_id references owners (id)".</summary>
    internal static string ForeignKeyText(IEnumerable<string> columns, string referencedTable, IEnumerable<string> referencedColumns) =>
        $"{string.Join(", ", columns)} references {referencedTable} ({string.Join(", ", referencedColumns)})";

    /// <summary>The copy's column the server named; else the only column whose type or nullability the change alters (or that a FillWith fills).</summary>
    private static ColumnSchemaOf? ColumnOf(SwapSpec spec, string? named)
    {
        if (named is not null)
        {
            var column = spec.Copy.Columns.FirstOrDefault(c => string.Equals(c.Name, named, StringComparison.OrdinalIgnoreCase));
            return column is null ? new ColumnSchemaOf(named, null) : new ColumnSchemaOf(column.Name, column);
        }
        var changed = Changed(spec).ToList();
        return changed.Count == 1 ? new ColumnSchemaOf(changed[0].Name, changed[0]) : null;
    }

    private static string ChangedColumnsText(SwapSpec spec)
    {
        var changed = Changed(spec).ToList();
        return changed.Count == 0 ? "" : $" (one of {string.Join(", ", changed.Select(c => $"'{c.Name}' as {TypeText(new ColumnSchemaOf(c.Name, c))}"))})";
    }

    /// <summary>The copy's columns that take a value the original's column may not fit: another type, NOT NULL where it was nullable, or a FillWith.</summary>
    private static IEnumerable<Schema.ColumnSchema> Changed(SwapSpec spec)
    {
        foreach (var m in spec.Mapping)
        {
            var copy = spec.Copy.Columns.FirstOrDefault(c => string.Equals(c.Name, m.CopyColumn, StringComparison.OrdinalIgnoreCase));
            if (copy is null)
                continue;
            var origin = m.Origin is null ? null : spec.Original.Columns.FirstOrDefault(c => string.Equals(c.Name, m.Origin, StringComparison.OrdinalIgnoreCase));
            if (origin is null || !string.Equals(origin.NativeType, copy.NativeType, StringComparison.OrdinalIgnoreCase) || (origin.Nullable && !copy.Nullable))
                yield return copy;
        }
    }

    private static string TypeText(ColumnSchemaOf column) =>
        column.Schema is { } c ? c.NativeType + (c.Nullable ? "" : " NOT NULL") : "its new type";

    private static string RangeText(object?[]? lower, object?[]? upper) => (lower, upper) switch
    {
        (null, null) => "anywhere in the table",
        (null, { } u) => $"up to {KeyValues.Show(u)}",
        ({ } l, null) => $"after {KeyValues.Show(l)}",
        ({ } l, { } u) => $"after {KeyValues.Show(l)} and up to {KeyValues.Show(u)}",
    };

    /// <summary>The first key of (lower, upper] whose row does not fit, or null when none does now.</summary>
    private async Task<object?[]?> FirstInRangeAsync(SwapSpec spec, object?[]? lower, object?[]? upper, int rows)
    {
        var order = KeyRange.OrderBy(Dialect, "o", spec.Key);
        var limit = Math.Clamp(rows <= 0 ? MaxKeysSearched : 2L * rows, 1, MaxKeysSearched).ToString(CultureInfo.InvariantCulture);
        var sql = $"SELECT {order} FROM {Dialect.Quote(spec.Original.Name)} o WHERE {KeyRange.Between(Dialect, "o", spec.Key, lower is not null, upper is not null)} ORDER BY {order} LIMIT {limit}";
        var keys = (await swap.Connection.QueryAsync(sql, KeyRange.Parameters("l", lower).Concat(KeyRange.Parameters("u", upper)).ToList(), swap.Transaction, swap.Token))
            .Select(r => Enumerable.Range(0, spec.Key.Count).Select(i => r[i]).ToArray())
            .ToList();
        return await BisectAsync(keys, (a, b) =>
        {
            var from = a == 0 ? lower : keys[a - 1];
            var predicate = KeyRange.Between(Dialect, "o", spec.Key, from is not null, true);
            return DoesNotFitAsync(spec, predicate, KeyRange.Parameters("l", from).Concat(KeyRange.Parameters("u", keys[b - 1])).ToList());
        });
    }

    /// <summary>The first key at the head of <paramref name="spec"/>'s change log whose row does not fit, or null.</summary>
    private async Task<object?[]?> FirstInLogAsync(SwapSpec spec)
    {
        var rows = await swap.Connection.QueryAsync(SwapQueries.ReadLog(swap.Engine, spec, Math.Max(1, swap.Applier.BatchSize)), null, swap.Transaction, swap.Token);
        var keys = ChangeLogApplier.DistinctKeys(rows, spec.Key.Count);
        return await BisectAsync(keys, (a, b) =>
        {
            var some = keys.Skip(a).Take(b - a).ToList();
            return DoesNotFitAsync(spec, KeyRange.In(Dialect, "o", spec.Key, some.Count, "a"), KeyRange.InParameters("a", some).ToList());
        });
    }

    /// <summary>The first of <paramref name="keys"/> whose row does not fit, halving the keys: <paramref name="fails"/> tells whether keys [a, b) hold one.</summary>
    internal static async Task<T?> BisectAsync<T>(IReadOnlyList<T> keys, Func<int, int, Task<bool>> fails)
        where T : class
    {
        if (keys.Count == 0 || !await fails(0, keys.Count))
            return null;
        int a = 0, b = keys.Count;
        while (b - a > 1)
        {
            var mid = a + ((b - a) / 2);
            if (await fails(a, mid))
                b = mid;
            else
                a = mid;
        }
        return keys[a];
    }

    /// <summary>Runs the copy statement over <paramref name="predicate"/> and undoes it: true when a value does not fit.</summary>
    private async Task<bool> DoesNotFitAsync(SwapSpec spec, string predicate, List<KeyValuePair<string, object?>> parameters)
    {
        var sql = swap.Engine.CopyChunk(spec, predicate);
        if (swap.InTransaction)
        {
            // The whole swap is rolled back after this: rows that fit may stay in the copy until then.
            try
            {
                await swap.Connection.ExecuteAsync(sql, parameters, swap.Transaction, swap.Token);
                return false;
            }
            catch (Exception e) when (Database.ValueNotFitting(e) is not null)
            {
                return true;
            }
        }
        await using var tx = await Database.BeginTransactionAsync(swap.Connection, swap.Token);
        try
        {
            await swap.Connection.ExecuteAsync(sql, parameters, tx, swap.Token);
            return false;
        }
        catch (Exception e) when (Database.ValueNotFitting(e) is not null)
        {
            return true;
        }
        finally
        {
            await tx.RollbackAsync(swap.Token);
        }
    }

    /// <summary>
    /// Removes the swap's copies, capture and change logs, and its journal entry. A copy the script
    /// made with <c>UseTableAsync</c> and changed with its own SQL stays, emptied: the steps that
    /// changed it are done and are not run again.
    /// </summary>
    private async Task RemoveAsync()
    {
        var engine = swap.Engine;
        var kept = swap.Uses.Where(u => u.CopyExists).Select(u => u.Names.Copy).ToHashSet(StringComparer.Ordinal);
        var names = swap.Uses.Select(u => u.Names)
            .SelectMany(n => new[] { n.Copy, n.Function, n.InsertTrigger, n.UpdateTrigger, n.DeleteTrigger, n.Log })
            .Where(n => !kept.Contains(n))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var leftover in TableEngine.InRemovalOrder(await engine.FindLeftoversAsync(swap.Connection, swap.Token)))
        {
            if (names.Contains(leftover.Name))
                await swap.ExecAllAsync(engine.Remove(leftover), $"remove {leftover.Name} after values did not fit");
        }
        foreach (var copy in kept)
            await swap.ExecAsync($"DELETE FROM {Dialect.Quote(copy)}", $"empty {copy} after values did not fit");
        await swap.State.ForgetAsync();
    }

    /// <summary>A column's name and, where the copy has it, its schema.</summary>
    private sealed record ColumnSchemaOf(string Name, Schema.ColumnSchema? Schema);
}
