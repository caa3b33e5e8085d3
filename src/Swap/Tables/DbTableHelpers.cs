using Swap.Engine;
namespace Swap;
/// <summary>
/// Composite helpers built only from the public engineer API, to show that helpers compose.
/// </summary>
public static class DbTableHelpers
{
    /// <summary>
    /// Adds the "updated on / updated by id / name / email" set: <c>{prefix}_on</c> (timestamp),
    /// <c>{prefix}_by_id</c> (bigint), <c>{prefix}_by_name</c> and <c>{prefix}_by_email</c>
    /// (string 255), all nullable, placed together after <paramref name="after"/> (or at the end).
    /// Existing rows are filled from <paramref name="fillOnFrom"/> when given (an expression over
    /// the original row, such as <c>created_at</c>).
    /// </summary>
    public static DbTable AddUpdatedByColumns(this DbTable table, string prefix = "updated", string? after = null, string? fillOnFrom = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var on = DbColumn.Timestamp(prefix + "_on");
        if (fillOnFrom is not null)
            on.FillWith(fillOnFrom);
        var set = new[]
        {
            on,
            DbColumn.BigInt(prefix + "_by_id"),
            DbColumn.String(prefix + "_by_name", 255),
            DbColumn.String(prefix + "_by_email", 255),
        };
        var previous = after;
        foreach (var column in set)
        {
            table.AddColumn(column, after: previous);
            previous = previous is null ? null : column.Name;
        }
        return table;
    }
}
