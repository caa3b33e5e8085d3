using Swap.Instant;

namespace Swap.Sqlite;

/// <summary>
/// SQLite changes its schema text in place for ADD COLUMN (at the end, nullable or with a
/// constant default, no CHECK) and RENAME COLUMN, and builds or drops indexes in place (under its
/// one write lock, as everything on SQLite). Dropping a column, defaults, and the rest go through
/// the rebuild.
/// </summary>
internal sealed partial class SqliteDialect
{
    internal override ChangePlan PlanChange(TableDiff diff)
    {
        if (diff.NeedsCopy is { } why)
            return ChangePlan.Copy(why);
        if (diff.Dropped.Count > 0)
            return ChangePlan.Copy("SQLite rewrites every row to drop a column");
        if (diff.ForeignKeysAdded.Count > 0)
            return ChangePlan.Copy("SQLite adds a foreign key only by rebuilding the table");
        if (diff.HasCheckChanges)
            return ChangePlan.Copy("SQLite adds or drops a CHECK only by rebuilding the table");
        if (diff.DefaultChanged.Count > 0 || diff.NullDropped.Count > 0)
            return ChangePlan.Copy("SQLite changes a column's default or nullability only by rebuilding the table");
        var t = Quote(diff.Original.Name);
        // Renamed first: a new column may take a name a renamed column leaves.
        var statements = diff.RenameSteps().Select(r => $"ALTER TABLE {t} RENAME COLUMN {Quote(r.From)} TO {Quote(r.To)}").ToList();
        foreach (var (c, after) in diff.Added)
        {
            if (!c.Nullable && c.DefaultSql is null)
                return ChangePlan.Copy($"new column {c.Name} is NOT NULL without a default");
            if (c.DefaultSql is not null && !c.DefaultIsValue)
                return ChangePlan.Copy($"SQLite adds a column with an expression default only by rebuilding");
            if (TypeCheck(c.Name, c.Type) is not null)
                return ChangePlan.Copy($"new column {c.Name} carries a CHECK");
            var position = diff.Target.Columns.ToList().IndexOf(c);
            if (diff.Target.Columns.Skip(position + 1).Any(o => o.OriginalName is not null))
                return ChangePlan.Copy($"SQLite adds columns at the end only, and {c.Name} goes {(after is null ? "first" : "after " + after)}");
            statements.Add($"ALTER TABLE {t} ADD COLUMN {Quote(c.Name)} {TypeSql(c.Type!)}{(c.Nullable ? "" : " NOT NULL")}{(DefaultSql(c) is { } d ? " DEFAULT " + d : "")}");
        }
        if (diff.IndexesAdded.Any(i => i.Unique))
            return ChangePlan.Copy("a unique index is built on the copy, where duplicates are found before anything changes");
        statements.AddRange(diff.IndexesDropped.Select(i => $"DROP INDEX {Quote(i.Name)}"));
        statements.AddRange(diff.IndexesAdded.Select(i => $"CREATE INDEX {Quote(i.Name)} ON {t} ({string.Join(", ", i.Columns.Select(c => Quote(c.Column)))})"));
        if (statements.Count == 0)
            return ChangePlan.Copy("nothing changes in the table's definition");
        return diff.HasIndexChanges
            ? new ChangePlan(ChangeMethod.InPlace, "SQLite builds or drops the index in place", statements)
            : new ChangePlan(ChangeMethod.Instant, "SQLite adds or renames columns by changing its schema text, without touching rows", statements);
    }
}
