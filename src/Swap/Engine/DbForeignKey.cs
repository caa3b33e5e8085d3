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

    public string? Name { get; private set; }
    public IReadOnlyList<string> Columns { get; }
    public string ReferencedTable { get; }
    public IReadOnlyList<string> ReferencedColumns { get; }
    public string? DeleteAction { get; private set; }
    public string? UpdateAction { get; private set; }

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

    public DbForeignKey Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        return this;
    }

    public DbForeignKey OnDelete(string action)
    {
        DeleteAction = Action(action);
        return this;
    }

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
