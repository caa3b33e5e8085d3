using Swap.Engine;
namespace Swap;
/// <summary>An index to add to a table: <see cref="Create"/> or <see cref="Unique"/>, then optionally <see cref="Named"/> and <see cref="WithPrefix"/>.</summary>
public sealed class DbIndex
{
    private readonly List<(string Column, int? Prefix)> columns;

    private DbIndex(IEnumerable<string> columns, bool unique)
    {
        this.columns = columns.Select(c => (c, (int?)null)).ToList();
        IsUnique = unique;
    }

    /// <summary>The index name; made from the table and column names when not given.</summary>
    public string? Name { get; private set; }

    /// <summary>True for an index made with <see cref="Unique"/>.</summary>
    public bool IsUnique { get; }

    /// <summary>The indexed columns in order, each with its prefix length (<see cref="WithPrefix"/>) or null.</summary>
    public IReadOnlyList<(string Column, int? Prefix)> Columns => columns;

    /// <summary>An index over one or more columns.</summary>
    public static DbIndex Create(params string[] columns) => Make(columns, unique: false);

    /// <summary>A unique index; Swap refuses it up front when current data has duplicates.</summary>
    public static DbIndex Unique(params string[] columns) => Make(columns, unique: true);

    private static DbIndex Make(string[] columns, bool unique)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0 || columns.Any(string.IsNullOrWhiteSpace))
            throw new SwapException(SwapErrorKind.Refused, "An index needs one or more column names.");
        var duplicate = columns.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new SwapException(SwapErrorKind.Refused, $"The index lists column '{duplicate.Key}' twice.");
        return new DbIndex(columns, unique);
    }

    /// <summary>
    /// Names the index instead of the generated <c>ix_&lt;table&gt;_&lt;columns&gt;</c> (<c>ux_</c> when unique).
    /// <see cref="DbTable.AddIndex"/> shortens a name longer than the engine allows with a hash; the
    /// schema builder refuses it.
    /// </summary>
    public DbIndex Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        return this;
    }

    /// <summary>Indexes only the first <paramref name="length"/> characters of a column (MySQL only).</summary>
    public DbIndex WithPrefix(string column, int length)
    {
        var i = columns.FindIndex(c => string.Equals(c.Column, column, StringComparison.OrdinalIgnoreCase));
        if (i < 0)
            throw new SwapException(SwapErrorKind.Refused, $"The index has no column '{column}' to give a prefix length.");
        if (length < 1)
            throw new SwapException(SwapErrorKind.Refused, $"A prefix length must be 1 or more, not {length}.");
        columns[i] = (columns[i].Column, length);
        return this;
    }

    internal string DefaultName(string table) =>
        (IsUnique ? "ux_" : "ix_") + table + "_" + string.Join('_', columns.Select(c => c.Column));
}
