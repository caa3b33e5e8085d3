using Swap.Engine;

namespace Swap.MySql;

internal sealed partial class MySqlDialect
{
    protected override string IdentitySql => "AUTO_INCREMENT";

    protected override string CreateTableSuffix => " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

    /// <summary>DATETIME(6) needs a default of the same precision.</summary>
    public override string CurrentTimestampSql(ColumnType? type) =>
        type?.Kind is ColumnKind.Timestamp or ColumnKind.Time ? "CURRENT_TIMESTAMP(6)" : "CURRENT_TIMESTAMP";

    /// <summary>MySQL indexes may cover a prefix of a column: <c>col(20)</c>.</summary>
    public override string CreateIndexSql(string table, string index, IReadOnlyList<(string Column, int? Prefix)> columns, bool unique)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var cols = string.Join(", ", columns.Select(c => c.Prefix is { } n ? $"{Quote(c.Column)}({n})" : Quote(c.Column)));
        return $"CREATE {(unique ? "UNIQUE " : "")}INDEX {Quote(index)} ON {Quote(table)} ({cols})";
    }

    public override string DropIndexSql(string table, string index) => $"DROP INDEX {Quote(index)} ON {Quote(table)}";

    public override string RenameTableSql(string table, string newName) => $"RENAME TABLE {Quote(table)} TO {Quote(newName)}";
}
