using System.Data.Common;
using Swap.Data;
using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.MySql;

/// <summary>
/// Foreign keys on MySQL/MariaDB. Names are unique per database and InnoDB binds a foreign key to
/// the referenced table by name, following it through a RENAME; so:
/// <list type="bullet">
/// <item>The table's own foreign keys are added to the filled copy (after its indexes, with
/// <c>foreign_key_checks = 0</c>: an in-place, metadata-only ALTER; the rows are the original's,
/// which satisfied them) under temporary names, and get their own names back right after the swap
/// (the old table's are dropped first, so a kept old table never blocks the parent's deletes).
/// The copy and the applier write the copy with the checks off: a stale row a chunk read could
/// otherwise fail against a parent deleted since.</item>
/// <item>Foreign keys of other tables that point at the table are re-pointed at the copy inside
/// the cut-over: after the last catch-up, while the original is read-locked (the copy equals it,
/// and nobody can change either), one in-place ALTER per child table drops and re-adds each key
/// under its own name with the checks off, and the RENAME carries them, with the copy, to the
/// original's name. The ALTERs and the RENAME are one batch of the renamer's session, so the
/// server finishes both once it is sent, whatever happens to Swap. A child write is checked against the original up to the ALTER, against
/// the copy (equal to it) until the RENAME, and against the swapped-in table after; the table is
/// never missing. If the RENAME fails, they are pointed back at the original.</item>
/// </list>
/// </summary>
internal sealed partial class MySqlTableEngine
{
    /// <summary>The foreign key actions InnoDB runs itself, on rows of the child, without firing its triggers.</summary>
    private static readonly string[] SilentActions = ["CASCADE", "SET NULL", "SET DEFAULT"];

    /// <summary>
    /// InnoDB runs a foreign key's CASCADE, SET NULL and SET DEFAULT inside the storage engine and
    /// fires no trigger for the rows they change: a delete or key update of the parent during the
    /// swap would change rows of this table behind the capture, and the copy would keep them as
    /// they were (rows pointing at a deleted parent). PostgreSQL runs them as row triggers of their
    /// own, which fire the capture.
    /// </summary>
    public override IEnumerable<string> CaptureRefusals(TableSchema original)
    {
        foreach (var fk in original.ForeignKeys)
        {
            var actions = new[] { ("ON DELETE", fk.OnDelete), ("ON UPDATE", fk.OnUpdate) }
                .Where(a => a.Item2 is { } action && SilentActions.Contains(action, StringComparer.OrdinalIgnoreCase))
                .Select(a => $"{a.Item1} {a.Item2!.ToUpperInvariant()}")
                .ToList();
            if (actions.Count == 0)
                continue;
            yield return $"Its foreign key {fk.Name} to '{fk.ReferencedTable}' is {string.Join(" and ", actions)}: InnoDB runs that on the rows of '{original.Name}' without firing triggers, " +
                $"so rows that a delete or key update of '{fk.ReferencedTable}' changes during the swap would never reach Swap's change log, and the copy would swap them in as they were. " +
                $"For the swap, change the key to RESTRICT or NO ACTION and put its actions back after (ALTER TABLE {D.Quote(original.Name)} DROP FOREIGN KEY {D.Quote(fk.Name)}, ADD CONSTRAINT {D.Quote(fk.Name)} FOREIGN KEY ... in a migration before and after this one), " +
                $"or change the table with a plain ALTER TABLE while nothing deletes or updates rows of '{fk.ReferencedTable}'.";
        }
        foreach (var reason in CopyShapeRefusals(original))
            yield return reason;
    }

    /// <summary>
    /// A child and its parent in one cut-over: the child's copy gets its key on the parent's
    /// original, and the RENAME that moves the parent to its old name takes that key with it, so the
    /// swapped-in child would point at the old parent and the key could not get its name back.
    /// Each swapped alone is carried over correctly (its own keys, or its children's re-pointed).
    /// </summary>
    public override IEnumerable<string> TogetherRefusals(IReadOnlyList<TableSchema> originals)
    {
        foreach (var child in originals)
        {
            foreach (var fk in child.ForeignKeys)
            {
                if (string.Equals(fk.ReferencedTable, child.Name, StringComparison.Ordinal)
                    || !originals.Any(o => string.Equals(o.Name, fk.ReferencedTable, StringComparison.Ordinal)))
                    continue;
                yield return $"the foreign key {child.Name}.{fk.Name} points at '{fk.ReferencedTable}', and Swap cannot carry a key between two tables of the same cut-over on MySQL/MariaDB " +
                    $"(the child's copy would keep pointing at the parent's old table); swap '{fk.ReferencedTable}' and '{child.Name}' in separate swaps (two DoneUsingTablesAsync calls or two scripts). " +
                    "In a '-- swap:online' SQL script, any other statement between their ALTER statements separates them.";
            }
        }
    }

    /// <summary>The copy's temporary name for an original foreign key (names are per database).</summary>
    internal static string CopyForeignKeyName(string name) => SwapNames.For(name, 64).Copy;

    /// <summary>The original's own foreign keys that the swapped-in table keeps (the script's new ones are made with the copy).</summary>
    private static IEnumerable<ForeignKeySchema> CarriedForeignKeys(SwapSpec spec) =>
        spec.TargetForeignKeys.Where(f => spec.Original.ForeignKeys.Any(o => string.Equals(o.Name, f.Name, StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// Writes into the copy skip foreign key checks when the copy holds only the original's own
    /// keys. A key the script adds is new to the data, so its checks stay on.
    /// </summary>
    private static bool CopyWritesUnchecked(SwapSpec spec) =>
        spec.TargetForeignKeys.Count > 0 && spec.TargetForeignKeys.All(f => spec.Original.ForeignKeys.Any(o => string.Equals(o.Name, f.Name, StringComparison.OrdinalIgnoreCase)));

    private string Constraint(string name, IReadOnlyList<string> columns, string referencedTable, IReadOnlyList<string> referencedColumns, string? onDelete, string? onUpdate) =>
        $"CONSTRAINT {D.Quote(name)} FOREIGN KEY ({string.Join(", ", columns.Select(D.Quote))}) REFERENCES {D.Quote(referencedTable)} ({string.Join(", ", referencedColumns.Select(D.Quote))})"
        + Actions(onDelete, onUpdate);

    /// <summary>
    /// The key's <c>ON DELETE</c> / <c>ON UPDATE</c> clauses, RESTRICT left out: MariaDB stores a key
    /// without the clause as RESTRICT, but an in-place <c>ALTER TABLE ... ADD FOREIGN KEY</c> stores
    /// a written RESTRICT as NO ACTION (10.11: <c>SHOW CREATE TABLE</c> then prints
    /// <c>ON DELETE NO ACTION</c>, and schema diffs flag a key Swap added again). The same rule in InnoDB.
    /// </summary>
    internal static string Actions(string? onDelete, string? onUpdate) =>
        (onDelete is null || IsRestrict(onDelete) ? "" : " ON DELETE " + onDelete) + (onUpdate is null || IsRestrict(onUpdate) ? "" : " ON UPDATE " + onUpdate);

    private static bool IsRestrict(string action) => string.Equals(action.Trim(), "RESTRICT", StringComparison.OrdinalIgnoreCase);

    /// <summary>The ALTER that adds the original's own keys to the filled copy, or null.</summary>
    private string? AddCarriedForeignKeys(SwapSpec spec, IReadOnlySet<string> existing)
    {
        var adds = CarriedForeignKeys(spec).Where(f => !existing.Contains(CopyForeignKeyName(f.Name)))
            .Select(f => "ADD " + Constraint(CopyForeignKeyName(f.Name), f.Columns, f.ReferencedTable, f.ReferencedColumns, f.OnDelete, f.OnUpdate))
            .ToList();
        return adds.Count == 0 ? null : $"ALTER TABLE {D.Quote(spec.Names.Copy)} {string.Join(", ", adds)}, ALGORITHM=INPLACE";
    }

    public override bool BuildsAfterCopy(SwapSpec spec) => CarriedForeignKeys(spec).Any();

    private async Task AddCarriedForeignKeysAsync(DbConnection connection, SwapSpec spec, CancellationToken cancellationToken)
    {
        if (!CarriedForeignKeys(spec).Any())
            return;
        var existing = (await ForeignKeysAsync(connection, "k.TABLE_NAME = @t0", [spec.Names.Copy], cancellationToken)).Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (AddCarriedForeignKeys(spec, existing) is { } sql)
            await UncheckedAsync(connection, sql, cancellationToken);
    }

    /// <summary>
    /// After the swap: the old table drops its own keys (their names are needed, and a kept old
    /// table must not hold the parent's rows), then the swapped-in table's keys get their names
    /// back: in place, checks off, metadata only. Safe to run again.
    /// </summary>
    private IReadOnlyList<string> RestoreForeignKeyNames(SwapSpec spec)
    {
        var carried = CarriedForeignKeys(spec).ToList();
        var children = RestoreChildKeyNames(spec).ToList();
        if (carried.Count == 0 && children.Count == 0)
            return [];
        var sql = new List<string>();
        if (spec.Original.ForeignKeys.Count > 0)
            sql.Add($"ALTER TABLE {D.Quote(spec.Names.Old)} {string.Join(", ", spec.Original.ForeignKeys.Select(f => $"DROP FOREIGN KEY IF EXISTS {D.Quote(f.Name)}"))}");
        sql.Add("SET SESSION foreign_key_checks = 0");
        if (carried.Count > 0)
        {
            sql.Add($"ALTER TABLE {D.Quote(spec.Original.Name)} " + string.Join(", ", carried.SelectMany(f => new[]
            {
                $"DROP FOREIGN KEY IF EXISTS {D.Quote(CopyForeignKeyName(f.Name))}",
                "ADD " + Constraint(f.Name, f.Columns, f.ReferencedTable, f.ReferencedColumns, f.OnDelete, f.OnUpdate).Replace(" FOREIGN KEY (", " FOREIGN KEY IF NOT EXISTS (", StringComparison.Ordinal),
            })) + ", ALGORITHM=INPLACE");
        }
        sql.AddRange(children);
        sql.Add("SET SESSION foreign_key_checks = 1");
        return sql;
    }

    public override IReadOnlyList<string> AfterCutOver(SwapSpec spec) => RestoreForeignKeyNames(spec);

    /// <summary>Foreign keys (grouped, columns in order) matching a condition over KEY_COLUMN_USAGE <c>k</c> with parameters <c>@t0..</c>.</summary>
    private static async Task<List<ForeignKeySchema>> ForeignKeysAsync(DbConnection connection, string where, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, object?>();
        for (var i = 0; i < tables.Count; i++)
            parameters["t" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = tables[i];
        var rows = await connection.QueryAsync(
            $"""
            SELECT k.CONSTRAINT_NAME, k.TABLE_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.DELETE_RULE, r.UPDATE_RULE
            FROM information_schema.KEY_COLUMN_USAGE k
            JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
            WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL AND ({where})
            ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION
            """,
            parameters,
            null,
            cancellationToken);
        return Group(rows);
    }

    internal static List<ForeignKeySchema> Group(IEnumerable<Row> rows) =>
        rows.GroupBy(f => (f.String("TABLE_NAME")!, f.String("CONSTRAINT_NAME")!))
            .Select(g => new ForeignKeySchema(
                g.Key.Item2,
                g.Key.Item1,
                g.Select(f => f.String("COLUMN_NAME")!).ToList(),
                g.First().String("REFERENCED_TABLE_NAME")!,
                g.Select(f => f.String("REFERENCED_COLUMN_NAME")!).ToList(),
                g.First().String("DELETE_RULE"),
                g.First().String("UPDATE_RULE")))
            .ToList();

    /// <summary>Keys of tables not being swapped that point at any of <paramref name="referenced"/>.</summary>
    private static Task<List<ForeignKeySchema>> ChildForeignKeysAsync(DbConnection connection, IReadOnlyList<SwapSpec> specs, IReadOnlyList<string> referenced, CancellationToken cancellationToken)
    {
        var own = specs.SelectMany(s => new[] { s.Original.Name, s.Names.Copy, s.Names.Old }).ToList();
        var names = referenced.Concat(own).ToList();
        var inReferenced = string.Join(", ", referenced.Select((_, i) => "@t" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var notOwn = string.Join(", ", own.Select((_, i) => "@t" + (referenced.Count + i).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return ForeignKeysAsync(connection, $"k.REFERENCED_TABLE_NAME IN ({inReferenced}) AND k.TABLE_NAME NOT IN ({notOwn})", names, cancellationToken);
    }

    /// <summary>
    /// One in-place ALTER per child table: each key dropped and added again under its own name,
    /// pointing at each table's copy when <paramref name="toCopy"/> is set, else at its original
    /// (columns renamed by the script mapped), checks off.
    /// </summary>
    private async Task RepointAsync(DbConnection connection, IReadOnlyList<ForeignKeySchema> keys, IReadOnlyList<SwapSpec> specs, bool toCopy, CancellationToken cancellationToken)
    {
        foreach (var child in keys.GroupBy(k => k.Table, StringComparer.Ordinal))
            await UncheckedAsync(connection, Repoint(child.Key, child, specs, toCopy), cancellationToken);
    }

    private string Repoint(string child, IEnumerable<ForeignKeySchema> keys, IReadOnlyList<SwapSpec> specs, bool toCopy)
    {
        // MariaDB refuses to drop and add a key of the same name in one ALTER (error 1826): on the
        // copy it goes under the temporary name, which AfterCutOver (or a repair) gives back.
        var clauses = keys.SelectMany(k =>
        {
            var spec = specs.First(s => s.Original.Name == k.ReferencedTable || s.Names.Copy == k.ReferencedTable);
            var table = toCopy ? spec.Names.Copy : spec.Original.Name;
            var name = toCopy ? CopyForeignKeyName(k.Name) : OwnName(spec, k);
            // Referenced columns as named in the copy (a script may rename them) or in the original.
            var columns = k.ReferencedColumns.Select(c => toCopy ? CopyColumn(spec, c) : OriginalColumn(spec, c)).ToList();
            return new[] { $"DROP FOREIGN KEY {D.Quote(k.Name)}", "ADD " + Constraint(name, k.Columns, table, columns, k.OnDelete, k.OnUpdate) };
        });
        return $"ALTER TABLE {D.Quote(child)} {string.Join(", ", clauses)}, ALGORITHM=INPLACE";
    }

    /// <summary>A child key's own name, from its temporary one.</summary>
    private static string OwnName(SwapSpec spec, ForeignKeySchema key) =>
        spec.Original.ReferencedBy.FirstOrDefault(f => f.Table == key.Table && CopyForeignKeyName(f.Name) == key.Name)?.Name ?? key.Name;

    /// <summary>After the swap, the children's keys (pointing at the swapped-in table under temporary names) get their own names back. Safe to run again.</summary>
    private IEnumerable<string> RestoreChildKeyNames(SwapSpec spec) =>
        spec.Original.ReferencedBy.GroupBy(f => f.Table, StringComparer.Ordinal).Select(child =>
            $"ALTER TABLE {D.Quote(child.Key)} " + string.Join(", ", child.SelectMany(f => new[]
            {
                $"DROP FOREIGN KEY IF EXISTS {D.Quote(CopyForeignKeyName(f.Name))}",
                "ADD " + Constraint(f.Name, f.Columns, spec.Original.Name, f.ReferencedColumns.Select(c => CopyColumn(spec, c)).ToList(), f.OnDelete, f.OnUpdate).Replace(" FOREIGN KEY (", " FOREIGN KEY IF NOT EXISTS (", StringComparison.Ordinal),
            })) + ", ALGORITHM=INPLACE");

    private string CopyColumn(SwapSpec spec, string original) =>
        spec.Mapping.FirstOrDefault(x => x.Source == D.Quote(original))?.CopyColumn ?? original;

    private static string OriginalColumn(SwapSpec spec, string copy) =>
        spec.Mapping.FirstOrDefault(x => string.Equals(x.CopyColumn, copy, StringComparison.OrdinalIgnoreCase)) is { } mapped && mapped.Source.StartsWith('`')
            ? mapped.Source.Trim('`').Replace("``", "`", StringComparison.Ordinal)
            : copy;

    /// <summary>The re-pointing ALTERs with the checks off around them, as one batch of statements.</summary>
    private string RepointBatch(IReadOnlyList<ForeignKeySchema> keys, IReadOnlyList<SwapSpec> specs, bool toCopy) =>
        string.Join(";\n", keys.GroupBy(k => k.Table, StringComparer.Ordinal).Select(g => Repoint(g.Key, g, specs, toCopy))
            .Prepend("SET SESSION foreign_key_checks = 0").Append("SET SESSION foreign_key_checks = 1"));

    /// <summary>Runs one DDL statement with foreign_key_checks off on this session, and turns them back on.</summary>
    private static async Task UncheckedAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("SET SESSION foreign_key_checks = 0", cancellationToken);
        try
        {
            await connection.ExecuteAsync(sql, cancellationToken);
        }
        finally
        {
            await connection.ExecuteAsync("SET SESSION foreign_key_checks = 1", CancellationToken.None);
        }
    }

    /// <summary>Foreign keys of other tables left pointing at a copy by an interrupted cut-over point back at the original.</summary>
    private async Task RepointStrayKeysAsync(DbConnection connection, IReadOnlyList<SwapSpec> specs, CancellationToken cancellationToken)
    {
        var stray = await ChildForeignKeysAsync(connection, specs, specs.Select(s => s.Names.Copy).ToList(), cancellationToken);
        if (stray.Count > 0)
            await RepointAsync(connection, stray, specs, toCopy: false, cancellationToken);
    }
}
