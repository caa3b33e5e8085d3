using Swap.Instant;

namespace Swap.PostgreSql;

/// <summary>
/// PostgreSQL 11+: adding a column that is nullable or has a constant default, dropping or
/// renaming a column, setting or dropping a default, dropping NOT NULL and widening a varchar (or
/// making it text) are catalog updates; non-unique indexes are built and dropped CONCURRENTLY; a
/// foreign key is added <c>NOT VALID</c> (a brief lock on both tables) and then validated, which
/// reads the table without blocking writes. Everything else is copied.
/// </summary>
internal sealed partial class PostgresDialect
{
    /// <summary>
    /// <c>varchar(n)</c> to <c>varchar(m)</c> with m ≥ n, or <c>varchar</c> to <c>text</c>: binary-coercible, so
    /// PostgreSQL changes only its catalog (no row and no index is rewritten). Not when something else
    /// names the column's type (a view, a policy, a generated column, a foreign key), nor with a
    /// collation of its own (ALTER TYPE would reset it): those are copied.
    /// </summary>
    internal override string? RetypeInPlaceClause(Swap.Engine.Schema.TableSchema original, Swap.Engine.Schema.ColumnSchema old, DbColumn column)
    {
        if (column.Type is not { } type || TypeCheck(column.Name, type) is not null || old.Collation is not null || old.Generated is not null)
            return null;
        if (original.Columns.Any(c => c.Generated is not null)
            || original.Extra.GetValueOrDefault("views", "[]") != "[]"
            || BoundRoutines(original) is not null
            || original.Extra.GetValueOrDefault("policies", "[]") != "[]"
            || original.ForeignKeys.Concat(original.ReferencedBy).Any(f => f.Columns.Concat(f.ReferencedColumns).Contains(old.Name, StringComparer.OrdinalIgnoreCase)))
            return null;
        var m = Varchar().Match(old.NativeType);
        if (!m.Success)
            return null;
        int? length = m.Groups[1].Success ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        var widens = type.Kind == ColumnKind.Text
            || (type.Kind == ColumnKind.String && length is { } n && type.Length >= n);
        if (!widens)
            return null;
        // An enum made a string: its CHECK on the values goes with the old type (a catalog change too).
        var drop = ValueListCheck(original, old.Name) is { } check ? $", DROP CONSTRAINT {Quote(check)}" : "";
        return $"ALTER COLUMN {Quote(column.OriginalName!)} TYPE {TypeSql(type)}{drop}";
    }

    /// <summary>
    /// PostgreSQL refuses to drop a column a view reads (2BP01). Such a change goes to the copy,
    /// whose check refuses it before anything is written and says what to do.
    /// </summary>
    private static string? ViewUsingDroppedColumn(TableDiff diff)
    {
        foreach (var view in System.Text.Json.JsonSerializer.Deserialize<List<string[]>>(diff.Original.Extra.GetValueOrDefault("views") ?? "[]") ?? [])
        {
            if (view.Length < 3)
                continue;
            var reads = System.Text.Json.JsonSerializer.Deserialize<List<string>>(view[2]) ?? [];
            if (diff.Dropped.FirstOrDefault(d => reads.Contains(d.Name, StringComparer.Ordinal)) is { } dropped)
                return $"the view {view[0]} reads the column {dropped.Name}, which PostgreSQL will not drop under it; the copy checks the views first";
        }
        return null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^character varying(?:\((\d+)\))?$")]
    private static partial System.Text.RegularExpressions.Regex Varchar();

    /// <summary>
    /// A rule on the table or a function bound to it, which PostgreSQL keeps through an instant
    /// change (and updates for a rename) but will not let a column it may use be dropped or
    /// retyped under it; null when there is none.
    /// </summary>
    private static string? BoundRoutines(Swap.Engine.Schema.TableSchema original) =>
        (System.Text.Json.JsonSerializer.Deserialize<List<string>>(original.Extra.GetValueOrDefault("rules") ?? "[]") ?? [])
            .Select(r => $"the rule '{r}'")
            .Concat((System.Text.Json.JsonSerializer.Deserialize<List<string>>(original.Extra.GetValueOrDefault("functions") ?? "[]") ?? []).Select(f => $"the function {f}"))
            .FirstOrDefault();

    internal override ChangePlan PlanChange(TableDiff diff)
    {
        if (diff.NeedsCopy is { } why)
            return ChangePlan.Copy(why);
        if (ViewUsingDroppedColumn(diff) is { } used)
            return ChangePlan.Copy(used);
        if (diff.Dropped.Count > 0 && BoundRoutines(diff.Original) is { } routine)
            return ChangePlan.Copy($"{routine} is bound to the table and may use the dropped column; the copy checks it first");
        var t = Quote(diff.Original.Name);
        var lastOriginal = diff.Original.Columns.Count == 0 ? null : diff.Target.Columns.LastOrDefault(c => c.OriginalName is not null)?.Name;
        var adds = new List<string>();
        foreach (var (c, after) in diff.Added)
        {
            if (!c.Nullable && c.DefaultSql is null)
                return ChangePlan.Copy($"new column {c.Name} is NOT NULL without a default");
            if (c.DefaultSql is not null && !c.DefaultIsValue)
                return ChangePlan.Copy($"the default of new column {c.Name} is an expression, which PostgreSQL may evaluate for every row");
            if (TypeCheck(c.Name, c.Type) is not null)
                return ChangePlan.Copy($"new column {c.Name} carries a CHECK, which PostgreSQL validates over every row");
            var position = diff.Target.Columns.ToList().IndexOf(c);
            if (diff.Target.Columns.Skip(position + 1).Any(o => o.OriginalName is not null))
                return ChangePlan.Copy($"PostgreSQL adds columns at the end only, and {c.Name} goes {(after is null ? "first" : "after " + after)}");
            adds.Add($"ADD COLUMN {Quote(c.Name)} {TypeSql(c.Type!)}{(c.Nullable ? "" : " NOT NULL")}{(DefaultSql(c) is { } d ? " DEFAULT " + d : "")}");
        }
        // A check goes before the columns: one naming a dropped column would go with it, and then could not be dropped by name.
        var clauses = diff.ChecksDropped.Select(c => $"DROP CONSTRAINT IF EXISTS {Quote(c.Name)}").ToList();
        clauses.AddRange(diff.Dropped.Select(c => $"DROP COLUMN {Quote(c.Name)}"));
        clauses.AddRange(diff.DefaultChanged.Select(c => DefaultSql(c) is { } d ? $"ALTER COLUMN {Quote(c.OriginalName!)} SET DEFAULT {d}" : $"ALTER COLUMN {Quote(c.OriginalName!)} DROP DEFAULT"));
        clauses.AddRange(diff.NullDropped.Select(c => $"ALTER COLUMN {Quote(c.OriginalName!)} DROP NOT NULL"));
        clauses.AddRange(diff.Retyped.Select(r => r.Clause));
        // The other clauses name columns by their old names; RENAME is a statement of its own in
        // PostgreSQL; a new column may take a name a renamed column leaves, so it comes after the renames.
        var statements = new List<string>();
        if (diff.Renamed.Count == 0)
            clauses.InsertRange(0, adds);
        if (clauses.Count > 0)
            statements.Add($"ALTER TABLE {t} {string.Join(", ", clauses)}");
        statements.AddRange(diff.RenameSteps().Select(r => $"ALTER TABLE {t} RENAME COLUMN {Quote(r.From)} TO {Quote(r.To)}"));
        if (diff.Renamed.Count > 0 && adds.Count > 0)
            statements.Add($"ALTER TABLE {t} {string.Join(", ", adds)}");
        if (diff.IndexesAdded.Any(i => i.Unique))
            return ChangePlan.Copy("a unique index is built on the copy, where duplicates are found before anything changes");
        statements.AddRange(diff.IndexesDropped.Select(i => $"DROP INDEX CONCURRENTLY IF EXISTS {Quote(i.Name)}"));
        var beforeRetry = new Dictionary<int, string>();
        foreach (var i in diff.IndexesAdded)
        {
            // An interrupted CONCURRENTLY build leaves an invalid index behind: a resumed run drops it
            // first, and so does each new attempt after the build gave up waiting for a lock.
            var drop = $"DROP INDEX CONCURRENTLY IF EXISTS {Quote(i.Name)}";
            statements.Add(drop);
            beforeRetry[statements.Count] = drop;
            statements.Add($"CREATE INDEX CONCURRENTLY {Quote(i.Name)} ON {t} ({string.Join(", ", i.Columns.Select(c => Quote(c.Column)))})");
        }
        var undo = new List<string>();
        var validations = new Dictionary<int, Validation>();
        foreach (var fk in diff.ForeignKeysAdded)
        {
            // A resumed run finds the constraint there (duplicate_object counts as done) and validates it.
            statements.Add($"ALTER TABLE {t} ADD CONSTRAINT {Quote(fk.Name)} FOREIGN KEY ({string.Join(", ", fk.Columns.Select(Quote))}) REFERENCES {Quote(fk.ReferencedTable)} ({string.Join(", ", fk.ReferencedColumns.Select(Quote))})"
                + (fk.OnDelete is null ? "" : " ON DELETE " + fk.OnDelete) + (fk.OnUpdate is null ? "" : " ON UPDATE " + fk.OnUpdate) + " NOT VALID");
            validations[statements.Count] = Validation.Of(fk, this);
            statements.Add($"ALTER TABLE {t} VALIDATE CONSTRAINT {Quote(fk.Name)}");
            undo.Add($"ALTER TABLE {t} DROP CONSTRAINT IF EXISTS {Quote(fk.Name)}");
        }
        foreach (var check in diff.ChecksAdded)
        {
            // As a foreign key: every new write is checked from the ADD on, the existing rows by VALIDATE, which blocks no write.
            statements.Add($"ALTER TABLE {t} ADD CONSTRAINT {Quote(check.Name)} CHECK ({check.Expression}) NOT VALID");
            validations[statements.Count] = Validation.Of(check);
            statements.Add($"ALTER TABLE {t} VALIDATE CONSTRAINT {Quote(check.Name)}");
            undo.Add($"ALTER TABLE {t} DROP CONSTRAINT IF EXISTS {Quote(check.Name)}");
        }
        if (statements.Count == 0)
            return ChangePlan.Copy("nothing changes in the table's definition");
        if (diff.ChecksAdded.Count > 0)
        {
            return new ChangePlan(ChangeMethod.InPlace, "PostgreSQL adds the CHECK NOT VALID (a brief lock) and validates the existing rows without blocking writes"
                + (diff.HasColumnChanges || diff.HasIndexChanges || diff.ForeignKeysAdded.Count > 0 ? ", with the other changes made in its catalog, CONCURRENTLY or NOT VALID" : ""), statements) { Undo = undo, BeforeRetry = beforeRetry, Validations = validations };
        }
        if (diff.ForeignKeysAdded.Count > 0)
        {
            return new ChangePlan(ChangeMethod.InPlace, "PostgreSQL adds the foreign key NOT VALID (a brief lock) and validates the existing rows without blocking writes"
                + (diff.HasColumnChanges || diff.HasIndexChanges ? ", with the other changes made in its catalog or CONCURRENTLY" : ""), statements) { Undo = undo, BeforeRetry = beforeRetry, Validations = validations };
        }
        return diff.HasIndexChanges
            ? new ChangePlan(ChangeMethod.InPlace, diff.HasColumnChanges
                ? "PostgreSQL changes these columns in its catalog and builds or drops indexes CONCURRENTLY, without blocking writes"
                : "PostgreSQL builds or drops indexes CONCURRENTLY, without blocking writes", statements) { BeforeRetry = beforeRetry }
            : new ChangePlan(ChangeMethod.Instant, diff.HasColumnChanges
                ? "PostgreSQL makes these column changes in its catalog, without touching rows"
                : "PostgreSQL drops a CHECK constraint in its catalog, without touching rows", statements);
    }
}
