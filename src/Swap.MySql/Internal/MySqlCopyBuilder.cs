using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.MySql;

/// <summary>
/// The copy: <c>CREATE TABLE copy LIKE original</c> (columns, indexes, CHECKs, table options),
/// then the script's changes as ALTERs on the empty copy, in an order that keeps each one's
/// column references valid: drops, type/null/default changes, renames, new columns at their
/// positions, index and key changes, new foreign keys and CHECKs.
/// </summary>
internal static partial class MySqlCopyBuilder
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\b(CHARACTER\s+SET|CHARSET|COLLATE)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex NamesCharset();

    public static IReadOnlyList<string> Build(MySqlDialect d, TableSchema original, DbTable? target, SwapNames names)
    {
        var copy = d.Quote(names.Copy);
        var sql = new List<string> { $"CREATE TABLE {copy} LIKE {d.Quote(original.Name)}" };
        if (target is null)
            return sql;

        var kept = target.Columns.Where(c => c.OriginalName is not null).Select(c => c.OriginalName!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // Secondary indexes the engine builds on the filled copy are dropped from the empty copy
        // (kept ones come back after the rows are copied), with those the script drops.
        // The unique index that keys a table without a primary key stays: chunks skip the keys already
        // in the copy by it, and the applier finds rows by it (see SwapSpecBuilder).
        var key = original.ChunkKey() ?? [];
        // So does an index that an AUTO_INCREMENT column outside the primary key leads: InnoDB refuses
        // a table whose auto column leads no index (1075).
        // And so does a unique index that keys a table the script leaves without a primary key (DbTable.CanKey).
        var droppedIndexes = original.Indexes.Where(i => (MySqlTableEngine.Deferrable(i) && !i.IsUniqueOver(key) && !LedByAutoIncrement(original, i) && !target.Indexes.Any(t => t.Original == i && target.CanKey(t)))
            || !target.Indexes.Any(t => t.Original == i)).ToList();
        var pkChanged = !target.PrimaryKey.SequenceEqual(original.PrimaryKey, StringComparer.OrdinalIgnoreCase);

        // CONVERT TO first: the columns restated below then take the new character set, not their old collation.
        var converted = target.ConvertTo is not null;
        if (target.ConvertTo is { } convert)
            sql.Add($"ALTER TABLE {copy} CONVERT TO {convert}");
        var first = new List<string>();
        // CHECKs the script drops go first: one may name a column dropped below.
        first.AddRange(original.Checks.Where(o => !target.Checks.Any(c => c.Original == o)).Select(c => $"DROP CONSTRAINT {d.Quote(c.Name)}"));
        first.AddRange(droppedIndexes.Select(i => $"DROP INDEX {d.Quote(i.Name)}"));
        // InnoDB refuses an AUTO_INCREMENT column that leads no index (1075), so between dropping the
        // old primary key here and adding the new one below, a kept auto column holds an index of its own.
        var autoHold = pkChanged && original.PrimaryKey.Count > 0
            && original.Columns.FirstOrDefault(c => c.AutoIncrement) is { } auto && kept.Contains(auto.Name) ? auto.Name : null;
        if (pkChanged && original.PrimaryKey.Count > 0)
            first.Add("DROP PRIMARY KEY");
        if (autoHold is not null)
            first.Add($"ADD INDEX {d.Quote(AutoIncrementHold)} ({d.Quote(autoHold)})");
        first.AddRange(original.Columns.Where(c => !kept.Contains(c.Name)).Select(c => $"DROP COLUMN {d.Quote(c.Name)}"));
        foreach (var c in target.Columns.Where(c => c.OriginalName is not null && !c.GeneratedChanged && (c.TypeChanged || c.NullabilityChanged || c.DefaultChanged || c.CommentSql is not null || c.Restatement is not null)))
            first.Add($"MODIFY COLUMN {d.Quote(c.OriginalName!)} {Definition(d, c, converted)}");
        if (first.Count > 0)
            sql.Add($"ALTER TABLE {copy} {string.Join(", ", first)}");

        var renames = target.Columns.Where(c => c.OriginalName is not null && !string.Equals(c.OriginalName, c.Name, StringComparison.Ordinal))
            .Select(c => $"RENAME COLUMN {d.Quote(c.OriginalName!)} TO {d.Quote(c.Name)}").ToList();
        if (renames.Count > 0)
            sql.Add($"ALTER TABLE {copy} {string.Join(", ", renames)}");

        var adds = new List<string>();
        for (var i = 0; i < target.Columns.Count; i++)
        {
            var c = target.Columns[i];
            if (c.OriginalName is not null)
                continue;
            var position = i == 0 ? " FIRST" : " AFTER " + d.Quote(target.Columns[i - 1].Name);
            adds.Add($"ADD COLUMN {d.Quote(c.Name)} {Definition(d, c, converted)}{position}");
        }
        if (adds.Count > 0)
            sql.Add($"ALTER TABLE {copy} {string.Join(", ", adds)}");

        // A changed generation expression last: it may name columns the script adds or renames.
        var regenerated = target.Columns.Where(c => c.OriginalName is not null && c.GeneratedChanged)
            .Select(c => $"MODIFY COLUMN {d.Quote(c.Name)} {Definition(d, c, converted)}").ToList();
        if (regenerated.Count > 0)
            sql.Add($"ALTER TABLE {copy} {string.Join(", ", regenerated)}");

        // Existing columns in another order (online SQL's MODIFY ... AFTER): every column restated in
        // the target's order, each after the one before it.
        var keptOrder = target.Columns.Where(c => c.OriginalName is not null).Select(c => c.OriginalName!);
        if (!keptOrder.SequenceEqual(original.Columns.Where(c => kept.Contains(c.Name)).Select(c => c.Name), StringComparer.OrdinalIgnoreCase))
        {
            sql.Add($"ALTER TABLE {copy} " + string.Join(", ", target.Columns.Select((c, i) =>
                $"MODIFY COLUMN {d.Quote(c.Name)} {Definition(d, c, converted)} {(i == 0 ? "FIRST" : "AFTER " + d.Quote(target.Columns[i - 1].Name))}")));
        }

        var keys = new List<string>();
        if (pkChanged && target.PrimaryKey.Count > 0)
            keys.Add($"ADD PRIMARY KEY ({string.Join(", ", target.PrimaryKey.Select(d.Quote))})");
        if (autoHold is not null)
            keys.Add($"DROP INDEX {d.Quote(AutoIncrementHold)}");
        // New indexes the engine cannot build later, and a new unique index over the key the copy is
        // walked by: like the original's, it comes with the empty copy (SwapSpecBuilder defers neither).
        var copyKey = key.Select(k => target.Columns.FirstOrDefault(c => string.Equals(c.OriginalName, k, StringComparison.OrdinalIgnoreCase))?.Name ?? k).ToList();
        foreach (var index in target.Indexes.Where(i => i.Original is null
            && (!MySqlTableEngine.Deferrable(new IndexSchema(i.Name, [], i.Unique)) || new IndexSchema(i.Name, i.SchemaColumns(), i.Unique).IsUniqueOver(copyKey) || target.CanKey(i))))
        {
            var cols = string.Join(", ", index.Columns.Select(c => d.Quote(c.Column) + (c.Prefix is { } p ? $"({p})" : "")));
            keys.Add($"ADD {(index.Unique ? "UNIQUE " : "")}INDEX {d.Quote(index.Name)} ({cols})");
        }
        foreach (var fk in target.ForeignKeys.Where(f => f.Original is null))
        {
            var actions = MySqlTableEngine.Actions(fk.OnDelete, fk.OnUpdate);
            keys.Add($"ADD CONSTRAINT {d.Quote(fk.Name)} FOREIGN KEY ({string.Join(", ", fk.Columns.Select(d.Quote))}) REFERENCES {d.Quote(fk.ReferencedTable)} ({string.Join(", ", fk.ReferencedColumns.Select(d.Quote))}){actions}");
        }
        // New CHECKs last, over the final column names: each chunk's INSERT then checks its rows, and one that fails is named (exit 7).
        keys.AddRange(target.Checks.Where(c => c.Original is null).Select(c => $"ADD CONSTRAINT {d.Quote(c.Name)} CHECK ({c.Expression})"));
        if (keys.Count > 0)
            sql.Add($"ALTER TABLE {copy} {string.Join(", ", keys)}");
        // AUTO_INCREMENT = n: the empty copy's counter; each row copied with a larger id moves it on, so
        // the swapped-in table hands out max(n, largest id + 1), as the server's own ALTER leaves it.
        if (target.AutoIncrementNext is { } next)
            sql.Add($"ALTER TABLE {copy} AUTO_INCREMENT = {next.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        // Last, on the empty copy with its final columns and key (a partitioned copy's keys are checked against the partitioning).
        if (target.Partitioning is { } partitioning)
            sql.Add($"ALTER TABLE {copy} {MySqlPartitioning.Clause(d, target, partitioning)}");
        return sql;
    }

    /// <summary>The index that holds a kept AUTO_INCREMENT column while the copy's primary key is replaced.</summary>
    private const string AutoIncrementHold = "_swap_auto_increment";

    private static bool LedByAutoIncrement(TableSchema original, IndexSchema index) =>
        index.Columns.Count > 0 && original.Columns.Any(c => c.AutoIncrement && string.Equals(c.Name, index.Columns[0].Name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The column's COMMENT clause: the one the script wrote, else the original's (none when online SQL restated the column without one); null for none.</summary>
    private static string? Comment(DbColumn c) =>
        c.CommentSql is { } own ? "COMMENT " + own : c.Restatement is not null ? null : MySqlColumnText.Comment(c.Original?.Extra.GetValueOrDefault("ddl") ?? "");

    /// <summary>
    /// A column definition for ADD or MODIFY: type, character set kept for text, NULL, DEFAULT, INVISIBLE, AUTO_INCREMENT, ON UPDATE, COMMENT, the column's own CHECK.
    /// A column online SQL restated (MODIFY / CHANGE) has only what the restatement says, as the server's own ALTER leaves it.
    /// </summary>
    internal static string Definition(MySqlDialect d, DbColumn c, bool converted = false)
    {
        var o = c.Original;
        var type = c.Type is null ? o!.NativeType : d.TypeSql(c.Type);
        var parts = new List<string> { type };
        if (c.GeneratedExpression is { } generated)
        {
            // No NULL / NOT NULL and no DEFAULT: MariaDB takes neither on a generated column.
            parts.Add($"GENERATED ALWAYS AS ({generated}) {(c.GeneratedStored ? "STORED" : "VIRTUAL")}");
            if (Comment(c) is { } note)
                parts.Add(note);
            return string.Join(' ', parts);
        }
        // The column keeps its collation unless the new type names a character set or collation itself.
        var r = c.Restatement;
        if (!converted && r is null && o?.Collation is { } collation && MySqlColumnText.IsText(type) && MySqlColumnText.IsText(o.NativeType) && !NamesCharset().IsMatch(type))
            parts.Add("COLLATE " + collation);
        parts.Add(c.Nullable ? "NULL" : "NOT NULL");
        var def = c.DefaultChanged || o is null ? d.DefaultSql(c) : o.Default;
        if (def is not null)
            parts.Add("DEFAULT " + def);
        // MODIFY restates the whole column: an invisible one says so again, or it becomes visible (and SELECT * and INSERT without a column list see it).
        if (r?.Invisible ?? o?.Extra.GetValueOrDefault("invisible") == "1")
            parts.Add("INVISIBLE");
        var text = o?.Extra.GetValueOrDefault("ddl") ?? "";
        if (r?.AutoIncrement ?? o?.AutoIncrement == true)
            parts.Add("AUTO_INCREMENT");
        if ((r is null ? MySqlColumnText.OnUpdate(text) : r.OnUpdate) is { } onUpdate)
            parts.Add(onUpdate);
        if (Comment(c) is { } comment)
            parts.Add(comment);
        // MariaDB keeps a column's own CHECK in its definition: a MODIFY without it would drop it.
        if ((r is null ? MySqlColumnText.Check(text) : r.Check) is { } check)
            parts.Add(check);
        return string.Join(' ', parts);
    }
}
