namespace Swap;

public sealed partial class DbTable
{
    private readonly Dictionary<string, string> revertValues = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// For a column this script drops, the value rows inserted while a revert window is open get in
    /// the kept old table: an SQL expression over the new table's row (for example <c>'unknown'</c>
    /// or <c>lower(email)</c>). Existing rows keep their old values. Without it such rows get the
    /// column's default; a NOT NULL column without a default needs one, or the window is refused.
    /// </summary>
    public DbTable SetRevertValue(string column, string sqlExpression)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        ArgumentException.ThrowIfNullOrWhiteSpace(sqlExpression);
        Writable();
        if (Original.Column(column) is null)
            throw Refuse($"Table '{Name}' has no column '{column}' to give a revert value; SetRevertValue names a column of the table as it is, that this script drops.");
        revertValues[Original.Column(column)!.Name] = sqlExpression;
        return this;
    }

    /// <summary>The revert values given with <see cref="SetRevertValue"/>, by the original column's name.</summary>
    internal IReadOnlyDictionary<string, string> RevertValues => revertValues;
}
