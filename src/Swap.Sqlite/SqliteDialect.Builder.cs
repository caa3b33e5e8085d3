using Swap.Engine;

namespace Swap.Sqlite;

internal sealed partial class SqliteDialect
{
    protected override string IdentitySql => "PRIMARY KEY AUTOINCREMENT";

    /// <summary>SQLite numbers rows only for an <c>INTEGER PRIMARY KEY</c> column: the identity is written as exactly that.</summary>
    protected override string ColumnDefinitionSql(TableBuilder table, DbColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (!column.IsIdentity)
            return base.ColumnDefinitionSql(table, column);
        return $"{Quote(column.Name)} INTEGER {IdentitySql} NOT NULL" + (DefaultSql(column) is { } d ? " DEFAULT " + d : "");
    }

    protected override bool IdentityIsInlineKey(TableBuilder table) => table?.IdentityColumn is not null;

    protected override string? ColumnCheckSql(DbColumn column) => TypeCheck(column.Name, column.Type);

    /// <summary>
    /// A date or time column gets SQLite's date or time alone (<c>CURRENT_DATE</c>, <c>CURRENT_TIME</c>),
    /// as the other engines store only that part of <c>CURRENT_TIMESTAMP</c> in such a column;
    /// SQLite would store the whole timestamp text.
    /// </summary>
    public override string CurrentTimestampSql(ColumnType? type) => type?.Kind switch
    {
        ColumnKind.Date => "CURRENT_DATE",
        ColumnKind.Time => "CURRENT_TIME",
        _ => "CURRENT_TIMESTAMP",
    };

    /// <summary>SQLite cannot add a foreign key to an existing table: the table is rebuilt instead.</summary>
    public override IReadOnlyList<string>? AddForeignKeySql(string table, DbForeignKey foreignKey, string name) => null;
}
