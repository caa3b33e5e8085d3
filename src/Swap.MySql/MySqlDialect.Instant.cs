using Swap.Instant;
using MySqlConnector;
using Swap.MySql.Internal;

namespace Swap.MySql;

/// <summary>
/// MariaDB 10.4+ and MySQL 8.0.29+ add (at any position), drop and rename columns and change
/// defaults with <c>ALGORITHM=INSTANT</c>; indexes are added and dropped with
/// <c>ALGORITHM=INPLACE, LOCK=NONE</c>. The server itself refuses an algorithm it cannot honour
/// (older versions, a table format without instant columns), and Swap then copies.
/// </summary>
internal sealed partial class MySqlDialect
{
    internal override ChangePlan PlanChange(TableDiff diff)
    {
        if (diff.NeedsCopy is { } why)
            return ChangePlan.Copy(why);
        if (diff.NullDropped.Count > 0)
            return ChangePlan.Copy("MySQL rebuilds the table to make a column nullable");
        var t = Quote(diff.Original.Name);
        var clauses = new List<string>();
        foreach (var (c, after) in diff.Added)
        {
            if (!c.Nullable && c.DefaultSql is null)
                return ChangePlan.Copy($"new column {c.Name} is NOT NULL without a default");
            var position = after is null ? " FIRST" : " AFTER " + Quote(after);
            clauses.Add($"ADD COLUMN {Quote(c.Name)} {TypeSql(c.Type!)} {(c.Nullable ? "NULL" : "NOT NULL")}{(DefaultSql(c) is { } d ? " DEFAULT " + d : "")}{position}");
        }
        clauses.AddRange(diff.Dropped.Select(c => $"DROP COLUMN {Quote(c.Name)}"));
        clauses.AddRange(diff.DefaultChanged.Select(c => DefaultSql(c) is { } d ? $"ALTER COLUMN {Quote(c.OriginalName!)} SET DEFAULT {d}" : $"ALTER COLUMN {Quote(c.OriginalName!)} DROP DEFAULT"));
        clauses.AddRange(diff.Renamed.Select(c => $"RENAME COLUMN {Quote(c.OriginalName!)} TO {Quote(c.Name)}"));
        var statements = new List<string>();
        if (clauses.Count > 0)
            statements.Add($"ALTER TABLE {t} {string.Join(", ", clauses)}, ALGORITHM=INSTANT");
        if (diff.IndexesAdded.Any(i => i.Unique))
            return ChangePlan.Copy("a unique index is built on the copy, where duplicates are found before anything changes");
        var indexClauses = diff.IndexesDropped.Select(i => $"DROP INDEX {Quote(i.Name)}")
            .Concat(diff.IndexesAdded.Select(i => $"ADD INDEX {Quote(i.Name)} ({string.Join(", ", i.Columns.Select(c => Quote(c.Column) + (c.Prefix is { } p ? $"({p})" : "")))})"))
            .ToList();
        if (indexClauses.Count > 0)
            statements.Add($"ALTER TABLE {t} {string.Join(", ", indexClauses)}, ALGORITHM=INPLACE, LOCK=NONE");
        if (statements.Count == 0)
            return ChangePlan.Copy("nothing changes in the table's definition");
        return diff.HasIndexChanges
            ? new ChangePlan(ChangeMethod.InPlace, diff.HasColumnChanges
                ? "MySQL/MariaDB changes these columns instantly and builds or drops indexes in place (LOCK=NONE), without blocking writes"
                : "MySQL/MariaDB builds or drops indexes in place (ALGORITHM=INPLACE, LOCK=NONE), without blocking writes", statements)
            : new ChangePlan(ChangeMethod.Instant, "MariaDB 10.4+ / MySQL 8.0.29+ add, drop and rename columns and change defaults with ALGORITHM=INSTANT", statements);
    }

    /// <summary>ER_ALTER_OPERATION_NOT_SUPPORTED(_REASON): the server cannot honour the algorithm asked for.</summary>
    internal override bool IsUnsupportedInstant(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is MySqlException { ErrorCode: ServerErrors.AlterOperationNotSupported or ServerErrors.AlterOperationNotSupportedReason })
                return true;
        }
        return false;
    }
}
