using Swap.Dialects;
using Swap.Engine;

namespace Swap.MySql;

/// <summary>SQL text for MySQL 8 and MariaDB 10.x.</summary>
internal sealed partial class MySqlDialect : SqlDialect
{
    private static readonly HashSet<string> Ddl = new(StringComparer.OrdinalIgnoreCase)
    {
        "CREATE", "ALTER", "DROP", "RENAME", "TRUNCATE", "GRANT", "REVOKE", "LOCK", "UNLOCK", "ANALYZE",
        "OPTIMIZE", "REPAIR", "INSTALL", "UNINSTALL", "FLUSH", "START", "BEGIN", "COMMIT", "ROLLBACK", "LOAD",
    };

    public static MySqlDialect Instance { get; } = new();

    public override DatabaseEngine Engine => DatabaseEngine.MySql;

    public override int MaxIdentifierLength => 64;

    public override SqlSyntax Syntax { get; } = new(
        BackslashEscapes: true,
        HashComments: true,
        DollarQuotes: false,
        BacktickIdentifiers: true,
        DelimiterCommand: true,
        TriggerBodies: false,
        NestedBlockComments: false,
        ExecutableComments: true);

    public override string Quote(string identifier) => "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";

    /// <summary>Backslashes are escapes in MySQL strings unless NO_BACKSLASH_ESCAPES is set; doubling them is right either way... except under that mode, so Swap's own literals never contain one.</summary>
    public override string Literal(string text) =>
        "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>DDL commits implicitly on MySQL, so it cannot share a transaction with its journal row.</summary>
    public override bool CanShareTransaction(string sql) => !Ddl.Contains(FirstKeyword(sql));

    protected override string TextType => "LONGTEXT";

    protected override string TimestampType => "DATETIME(6)";

    protected override string OwnTableOptions => " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

    /// <summary>
    /// <c>SHOW GLOBAL STATUS</c>: MySQL 8.0 removed <c>information_schema.GLOBAL_STATUS</c>, and
    /// <c>performance_schema.global_status</c> is empty on a MariaDB without the performance schema
    /// (its default); the SHOW statement answers on both.
    /// </summary>
    public override string? ServerLoadQuery => "SHOW GLOBAL STATUS LIKE 'Threads_running'";

    /// <summary>Threads_running counts the session that asks.</summary>
    public override bool ServerLoadCountsSelf => true;

    public override string ServerLoadName => "Threads_running";

    public override string CreateHistoryTable(string table) => $"CREATE TABLE IF NOT EXISTS {Quote(table)} (\n{HistoryColumns()}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

    public override string CreateJournalTable(string table) => $"CREATE TABLE IF NOT EXISTS {Quote(table)} (\n{JournalColumns()}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

    public override string TableOfIndexQuery => "SELECT DISTINCT TABLE_NAME AS table_name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = @name";

    public override string CreateLockInfoTable(string table) => $"CREATE TABLE IF NOT EXISTS {Quote(table)} (\n{LockInfoColumns()}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

    public override string TypeSql(ColumnType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Kind switch
        {
            ColumnKind.SmallInt => "SMALLINT",
            ColumnKind.Int => "INT",
            ColumnKind.BigInt => "BIGINT",
            ColumnKind.UnsignedBigInt => "BIGINT UNSIGNED",
            ColumnKind.Decimal => $"DECIMAL({type.Precision},{type.Scale})",
            ColumnKind.Float => "FLOAT",
            ColumnKind.Double => "DOUBLE",
            ColumnKind.String => $"VARCHAR({type.Length})",
            ColumnKind.Text => "LONGTEXT",
            ColumnKind.Boolean => "TINYINT(1)",
            ColumnKind.Date => "DATE",
            ColumnKind.Time => "TIME(6)",
            ColumnKind.Timestamp => "DATETIME(6)",
            ColumnKind.Enum => $"ENUM({string.Join(",", type.Values!.Select(Literal))})",
            ColumnKind.Json => "JSON",
            ColumnKind.Binary => type.Length is { } n ? $"VARBINARY({n})" : "LONGBLOB",
            ColumnKind.Uuid => "CHAR(36)",
            ColumnKind.Native => type.Native!,
            ColumnKind.Interval => throw Lacks(type, "Store the interval as a number of seconds (BigInt) or microseconds."),
            _ => throw Lacks(type, "Use a native type with ColumnType.NativeType(...)."),
        };
    }
}
