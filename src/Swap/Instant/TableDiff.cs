using Swap.Engine;
using Swap.Engine.Schema;

namespace Swap.Instant;

/// <summary>How a table's change set is made.</summary>
internal enum ChangeMethod
{
    /// <summary>Metadata only: a catalog update under a short, bounded lock.</summary>
    Instant,

    /// <summary>In place without blocking writes (index builds: CONCURRENTLY, INPLACE LOCK=NONE).</summary>
    InPlace,

    /// <summary>The online copy-and-swap.</summary>
    Copy,
}

/// <summary>The method chosen for one table, why, and (unless it is a copy) the statements that make the change.</summary>
internal sealed record ChangePlan(ChangeMethod Method, string Reason, IReadOnlyList<string> Statements)
{
    /// <summary>
    /// Statements that take back what must not outlive a failed change (PostgreSQL: a foreign key
    /// added NOT VALID, which would already check every new write, when its VALIDATE fails or waits
    /// too long). Run once, best effort, when a statement of the plan fails.
    /// </summary>
    public IReadOnlyList<string> Undo { get; init; } = [];

    /// <summary>
    /// Statements to run before a statement of the plan (by its index) is tried again after a lock
    /// wait gave up: PostgreSQL's <c>CREATE INDEX CONCURRENTLY</c> that gives up leaves an invalid
    /// index of that name behind, which must be dropped before the next attempt.
    /// </summary>
    public IReadOnlyDictionary<int, string> BeforeRetry { get; init; } = new Dictionary<int, string>();

    /// <summary>
    /// The statements (by index) that validate a new CHECK or foreign key over the existing rows
    /// (PostgreSQL's <c>VALIDATE CONSTRAINT</c>), with the constraint: when one fails, the first
    /// failing row is looked up and named (exit 7) instead of the server's "violated by some row".
    /// </summary>
    public IReadOnlyDictionary<int, Validation> Validations { get; init; } = new Dictionary<int, Validation>();

    public static ChangePlan Copy(string reason) => new(ChangeMethod.Copy, reason, []);

    public override string ToString() => $"{Name(Method)}: {Reason}";

    public static string Name(ChangeMethod method) => method switch
    {
        ChangeMethod.Instant => "instant",
        ChangeMethod.InPlace => "in place",
        _ => "copy",
    };
}

/// <summary>
/// A constraint a plan adds NOT VALID and then validates over the existing rows: what it is, how a
/// message shows it, the rows that fail it (a predicate over the table aliased <c>t</c>) and what
/// fixes them, so that a failed validation names the first such row.
/// </summary>
internal sealed record Validation(string Kind, string Name, string Shown, string Failing, string Fix)
{
    public static Validation Of(DbTable.CheckModel check) =>
        new("check", check.Name, check.Expression, $"NOT ({check.Expression})", "Fix or remove the rows that fail it, or change the check");

    public static Validation Of(DbTable.ForeignKeyModel foreignKey, Dialects.SqlDialect dialect) => new(
        "foreign key",
        foreignKey.Name,
        ValueMisfits.ForeignKeyText(foreignKey.Columns, foreignKey.ReferencedTable, foreignKey.ReferencedColumns),
        SwapQueries.Orphans(dialect, "t", foreignKey.Columns, foreignKey.ReferencedTable, foreignKey.ReferencedColumns),
        $"Add the missing rows to '{foreignKey.ReferencedTable}', fix or remove the rows that have none, or change the foreign key");
}

/// <summary>
/// What a script's engineer changes amount to, in the terms the instant rules need: added,
/// dropped and renamed columns, default and nullability changes, added and dropped indexes.
/// Anything else (a type change, keys, foreign keys, fills) is named in <see cref="NeedsCopy"/>.
/// </summary>
internal sealed class TableDiff
{
    public required TableSchema Original { get; init; }

    public required DbTable Target { get; init; }

    /// <summary>New columns with the column they follow (null: first).</summary>
    public List<(DbColumn Column, string? After)> Added { get; } = [];

    public List<ColumnSchema> Dropped { get; } = [];

    public List<DbColumn> Renamed { get; } = [];

    public List<DbColumn> DefaultChanged { get; } = [];

    /// <summary>Existing columns whose new type the engine takes in its catalog, with the clause that does it.</summary>
    public List<(DbColumn Column, string Clause)> Retyped { get; } = [];

    /// <summary>Existing columns that become nullable.</summary>
    public List<DbColumn> NullDropped { get; } = [];

    public List<DbTable.IndexModel> IndexesAdded { get; } = [];

    public List<IndexSchema> IndexesDropped { get; } = [];

    /// <summary>Foreign keys the script adds; the original's all stay as they are (dropping one is a copy).</summary>
    public List<DbTable.ForeignKeyModel> ForeignKeysAdded { get; } = [];

    /// <summary>CHECK constraints the script adds.</summary>
    public List<DbTable.CheckModel> ChecksAdded { get; } = [];

    /// <summary>The original's CHECK constraints the script drops.</summary>
    public List<CheckSchema> ChecksDropped { get; } = [];

    public bool HasCheckChanges => ChecksAdded.Count + ChecksDropped.Count > 0;

    /// <summary>MySQL's <c>AUTO_INCREMENT = n</c>: the table's next id, or null when the script sets none.</summary>
    public ulong? AutoIncrementNext => Target.AutoIncrementNext;

    /// <summary>Why no instant or in-place method applies whatever the engine, or null.</summary>
    public string? NeedsCopy { get; private set; }

    public bool HasColumnChanges => Added.Count + Dropped.Count + Renamed.Count + DefaultChanged.Count + NullDropped.Count + Retyped.Count > 0;

    public bool HasIndexChanges => IndexesAdded.Count + IndexesDropped.Count > 0;

    /// <summary>The renames as steps taken one at a time (<see cref="ColumnRenames.Steps"/>).</summary>
    public IReadOnlyList<(string From, string To)> RenameSteps() => ColumnRenames.Steps(Renamed.Select(r => (r.OriginalName!, r.Name)));

    public static TableDiff Of(DbTable target, Dialects.SqlDialect dialect)
    {
        var original = target.Original;
        var diff = new TableDiff { Original = original, Target = target };
        for (var i = 0; i < target.Columns.Count; i++)
        {
            var c = target.Columns[i];
            if (c.OriginalName is null)
            {
                if (c.Fill is not null)
                    diff.NeedsCopy ??= $"column {c.Name} is filled from the existing rows (FillWith)";
                if (c.GeneratedExpression is not null)
                    diff.NeedsCopy ??= $"generated column {c.Name} is computed for every existing row";
                diff.Added.Add((c, i == 0 ? null : target.Columns[i - 1].Name));
                continue;
            }
            if (c.TypeChanged && dialect.RetypeInPlaceClause(original, c.Original!, c) is { } clause)
                diff.Retyped.Add((c, clause));
            else if (c.TypeChanged)
                diff.NeedsCopy ??= $"changing the type of {c.OriginalName} rewrites every row";
            if (c.GeneratedChanged)
                diff.NeedsCopy ??= $"the expression of generated column {c.OriginalName} changes, so every row is computed again";
            if (c.NullabilityChanged && !c.Nullable)
                diff.NeedsCopy ??= $"making {c.OriginalName} NOT NULL checks every row";
            // MySQL/MariaDB restate a whole column to change its comment: the copy does, as gh-ost and pt-osc do.
            if (c.CommentSql is not null)
                diff.NeedsCopy ??= $"the comment of {c.OriginalName} changes";
            if (dialect.RestatementChange(c.Original!, c) is { } restated)
                diff.NeedsCopy ??= restated;
            if (c.NullabilityChanged && c.Nullable)
                diff.NullDropped.Add(c);
            if (c.DefaultChanged)
                diff.DefaultChanged.Add(c);
            if (!string.Equals(c.OriginalName, c.Name, StringComparison.Ordinal))
                diff.Renamed.Add(c);
        }
        var kept = target.Columns.Where(c => c.OriginalName is not null).Select(c => c.OriginalName!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        diff.Dropped.AddRange(original.Columns.Where(c => !kept.Contains(c.Name)));
        // Existing columns must keep their order: only new columns may be placed.
        var order = target.Columns.Where(c => c.OriginalName is not null).Select(c => c.OriginalName!).ToList();
        if (!order.SequenceEqual(original.Columns.Where(c => kept.Contains(c.Name)).Select(c => c.Name), StringComparer.OrdinalIgnoreCase))
            diff.NeedsCopy ??= "existing columns change their order";
        if (target.ConvertTo is { } convert)
            diff.NeedsCopy ??= $"the table is converted to {convert}, which rewrites every row";
        if (!target.PrimaryKey.SequenceEqual(original.PrimaryKey, StringComparer.OrdinalIgnoreCase)
            && !target.PrimaryKey.SequenceEqual(original.PrimaryKey.Select(k => target.Columns.FirstOrDefault(c => string.Equals(c.OriginalName, k, StringComparison.OrdinalIgnoreCase))?.Name ?? k), StringComparer.OrdinalIgnoreCase))
            diff.NeedsCopy ??= "the primary key changes";
        if (original.ForeignKeys.Count != target.ForeignKeys.Count(f => f.Original is not null))
            diff.NeedsCopy ??= "foreign keys are dropped";
        diff.ForeignKeysAdded.AddRange(target.ForeignKeys.Where(f => f.Original is null));
        diff.ChecksAdded.AddRange(target.Checks.Where(c => c.Original is null));
        diff.ChecksDropped.AddRange(original.Checks.Where(o => !target.Checks.Any(c => c.Original == o)));
        if (target.Partitioning is not null)
            diff.NeedsCopy ??= "the table becomes partitioned";
        diff.IndexesAdded.AddRange(target.Indexes.Where(i => i.Original is null));
        diff.IndexesDropped.AddRange(original.Indexes.Where(i => !target.Indexes.Any(t => t.Original == i)));
        // An index of the original whose columns were renamed keeps working; one that names a dropped column cannot exist (the engineer refuses it).
        return diff;
    }
}
