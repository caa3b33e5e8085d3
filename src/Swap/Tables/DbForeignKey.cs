using Swap.Engine;
namespace Swap;
/// <summary>A foreign key to add: <c>DbForeignKey.Create(["user_id"], "users", ["id"]).OnDelete("CASCADE")</c>.</summary>
public sealed class DbForeignKey
{
    private static readonly string[] Actions = ["CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"];

    private DbForeignKey(IReadOnlyList<string> columns, string referencedTable, IReadOnlyList<string> referencedColumns)
    {
        Columns = columns;
        ReferencedTable = referencedTable;
        ReferencedColumns = referencedColumns;
    }

    /// <summary>The name given with <see cref="Named"/>; when null, <c>AddForeignKey</c> names the key <c>fk_&lt;table&gt;_&lt;columns joined by _&gt;</c>.</summary>
    public string? Name { get; private set; }
    /// <summary>The referencing columns of this table, in order.</summary>
    public IReadOnlyList<string> Columns { get; }
    /// <summary>The table the key points at.</summary>
    public string ReferencedTable { get; }
    /// <summary>The referenced columns, matched to <see cref="Columns"/> by position.</summary>
    public IReadOnlyList<string> ReferencedColumns { get; }
    /// <summary>The <c>ON DELETE</c> action, upper-case, or null for the engine's default (<c>NO ACTION</c>).</summary>
    public string? DeleteAction { get; private set; }
    /// <summary>The <c>ON UPDATE</c> action, upper-case, or null for the engine's default (<c>NO ACTION</c>).</summary>
    public string? UpdateAction { get; private set; }

    /// <summary>A key over one or more columns that reference as many columns of <paramref name="referencedTable"/>.</summary>
    /// <exception cref="SwapException">No columns, or not as many referenced columns as columns (<see cref="SwapErrorKind.Refused"/>).</exception>
    public static DbForeignKey Create(string[] columns, string referencedTable, string[] referencedColumns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(referencedColumns);
        ArgumentException.ThrowIfNullOrWhiteSpace(referencedTable);
        if (columns.Length == 0 || columns.Length != referencedColumns.Length)
            throw new SwapException(SwapErrorKind.Refused, $"A foreign key needs as many referenced columns as columns ({columns.Length} vs {referencedColumns.Length}).");
        return new DbForeignKey(columns, referencedTable, referencedColumns);
    }

    /// <summary>A single-column key: <c>DbForeignKey.Create("user_id", "users", "id")</c>.</summary>
    public static DbForeignKey Create(string column, string referencedTable, string referencedColumn) =>
        Create([column], referencedTable, [referencedColumn]);

    /// <summary>Names the key instead of the generated <c>fk_&lt;table&gt;_&lt;columns&gt;</c>.</summary>
    public DbForeignKey Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        return this;
    }

    /// <summary>
    /// What deleting a referenced row does: <c>CASCADE</c>, <c>SET NULL</c>, <c>SET DEFAULT</c>,
    /// <c>RESTRICT</c> or <c>NO ACTION</c> (any case); anything else is refused.
    /// </summary>
    public DbForeignKey OnDelete(string action)
    {
        DeleteAction = Action(action);
        return this;
    }

    /// <summary>What changing a referenced key does; the same actions as <see cref="OnDelete"/>.</summary>
    public DbForeignKey OnUpdate(string action)
    {
        UpdateAction = Action(action);
        return this;
    }

    private static string Action(string action)
    {
        var a = action?.Trim().ToUpperInvariant();
        return Actions.Contains(a) ? a! : throw new SwapException(SwapErrorKind.Refused, $"'{action}' is not a foreign key action; use one of {string.Join(", ", Actions)}.");
    }

    internal string DefaultName(string table) => "fk_" + table + "_" + string.Join('_', Columns);
}
