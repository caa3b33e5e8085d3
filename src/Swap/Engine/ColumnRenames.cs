namespace Swap.Engine;

/// <summary>
/// How a table's columns get their new names, one statement at a time, when names move between
/// columns: two columns trading names, a chain (a to b, b to c), a new column taking the name a
/// renamed one leaves. The copy is created under the original's names (the catalog's definitions
/// of constraints name those) and renamed after; an instant change renames the table itself.
/// </summary>
internal static class ColumnRenames
{
    /// <summary>
    /// The name a column of the copy is created under: a kept column its original's, a new column
    /// its own, or a work name while a kept column still holds that name (renamed away after).
    /// </summary>
    public static string CreateName(DbTable target, DbColumn column)
    {
        if (column.OriginalName is not null)
            return column.OriginalName;
        return target.Columns.Any(k => string.Equals(k.OriginalName, column.Name, StringComparison.OrdinalIgnoreCase))
            ? "_swap_added_" + target.Columns.ToList().IndexOf(column)
            : column.Name;
    }

    /// <summary>The renames that take a copy created under <see cref="CreateName"/> to the target's names, as <see cref="Steps"/>.</summary>
    public static IReadOnlyList<(string From, string To)> OfCopy(DbTable target) =>
        Steps(target.Columns.Select(c => (From: CreateName(target, c), To: c.Name)).Where(r => !string.Equals(r.From, r.To, StringComparison.Ordinal)));

    /// <summary>
    /// The renames as steps taken one at a time: straight from the old name to the new one, or,
    /// when a new name is one another column still has, all through work names first, so no step
    /// meets a name in use.
    /// </summary>
    public static IReadOnlyList<(string From, string To)> Steps(IEnumerable<(string From, string To)> renames)
    {
        var list = renames.ToList();
        if (!list.Any(r => list.Any(o => string.Equals(o.From, r.To, StringComparison.OrdinalIgnoreCase))))
            return list;
        var work = list.Select((r, i) => (r.From, r.To, Work: $"_swap_rename_{i}")).ToList();
        return [.. work.Select(w => (w.From, w.Work)), .. work.Select(w => (w.Work, w.To))];
    }
}
